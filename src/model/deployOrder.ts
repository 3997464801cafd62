import { error, type Diagnostic } from '../diagnostics/diagnostic';
import type { Account, AccountStack, PrincipalKey, Role } from './accessModel';

/**
 * One stack per managed account. A stack whose trust documents name
 * principals of another managed account deploys after that account's stack:
 * IAM refuses a trust naming a principal that does not exist yet.
 */
export function planStacks(
  accounts: readonly Account[],
  trustedAccounts: ReadonlyMap<string, ReadonlySet<string>>,
  diagnostics: Diagnostic[],
): AccountStack[] {
  const managed = accounts.filter((a) => !a.external && a.declared);
  const stacks = managed.map((account) => ({
    account: account.name,
    accountId: account.id,
    region: account.region,
    partition: account.partition,
    dependsOn: [...(trustedAccounts.get(account.name) ?? [])].filter((a) => a !== account.name && managed.some((m) => m.name === a)).sort(),
    ...(account.deployRoleArn !== undefined ? { deployRoleArn: account.deployRoleArn } : {}),
    source: account.source,
  }));
  const cycle = findCycle(new Map(stacks.map((s) => [s.account, s.dependsOn])));
  if (cycle) {
    const first = managed.find((a) => a.name === cycle[0])!;
    diagnostics.push(
      error(
        'stack-cycle',
        `accounts ${cycle.join(' → ')} trust each other's users or roles, so no stack can deploy first (IAM refuses a trust naming a principal that does not exist yet): in one direction, trust the account (account: NAME) instead of its users or roles`,
        first.source,
      ),
    );
  }
  return stacks;
}

/** Roles of one account that trust each other cannot be created in any order. */
export function checkRoleOrder(roles: readonly Role[], diagnostics: Diagnostic[]): void {
  const key = (k: PrincipalKey) => `${k.kind}:${k.account}/${k.name}`;
  const edges = new Map<string, string[]>();
  for (const role of roles) {
    edges.set(key({ kind: 'role', account: role.account, name: role.name }), role.createAfter.filter((k) => k.kind === 'role').map(key));
  }
  const cycle = findCycle(edges);
  if (!cycle) return;
  const names = cycle.map((k) => k.replace(/^role:/, ''));
  const first = roles.find((r) => `role:${r.account}/${r.name}` === cycle[0])!;
  diagnostics.push(
    error(
      'trust-cycle',
      `roles ${names.join(' → ')} trust each other, so none can be created first (IAM refuses a trust naming a role that does not exist yet): let one of them trust its account instead of the other role (the account's identity policies then decide)`,
      { file: first.source.file, path: [...first.source.path, 'trust'], at: 'key' },
    ),
  );
}

function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}
