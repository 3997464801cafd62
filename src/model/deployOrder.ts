import { error, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import type { Account, AccountStack, Grant, PrincipalKey, Role, StackHolding } from './accessModel';

/**
 * The stacks and their deploy order. IAM refuses a trust document naming a
 * principal that does not exist yet, so a stack whose roles trust users or
 * roles of another managed account deploys after the stack creating them.
 *
 * One stack per managed account, named after it, holding everything, unless
 * accounts depend on each other in a cycle: identity's users are trusted by
 * prod's roles, and an identity role trusts a prod role. Users trust nothing
 * (only roles have trust documents), so such an account is split: its users
 * go first, in ACCOUNT-principals, which depends on no stack; its roles and
 * identity providers (trusted only by its own roles) stay in the stack
 * ACCOUNT, so a split never moves a role. Order: identity-principals, prod,
 * identity. Only accounts in a cycle are split, and only those with users
 * (splitting the others would break no cycle): every other config keeps one
 * stack per account, and existing deployments keep their resources where
 * they are.
 *
 * What is still a cycle after the split is roles trusting roles across
 * accounts, both ways: no order of stacks can create those roles, and it is
 * an error (stack-cycle) that names the trust entries.
 */
export function planStacks(
  accounts: readonly Account[],
  principals: readonly { readonly kind: StackHolding; readonly account: string }[],
  grants: readonly Grant[],
  diagnostics: Diagnostic[],
): AccountStack[] {
  const managed = accounts.filter((a) => !a.external && a.declared);
  const trusts = crossAccountTrusts(grants, new Set(managed.map((a) => a.name)));
  const withPrincipals = new Set(principals.filter((p) => PRINCIPALS.includes(p.kind)).map((p) => p.account));
  const split = new Set([...accountsInCycles(trusts)].filter((account) => withPrincipals.has(account)));
  const stackOf = (kind: StackHolding, account: string): string =>
    split.has(account) && PRINCIPALS.includes(kind) ? principalsStackName(account) : account;

  const dependsOn = new Map<string, Set<string>>();
  const addDependency = (stack: string, dependency: string) => dependsOn.set(stack, (dependsOn.get(stack) ?? new Set()).add(dependency));
  for (const trust of trusts) addDependency(stackOf('role', trust.role.account), stackOf(trust.trusted.kind, trust.trusted.account));
  // Its roles may trust its own users.
  for (const account of split) addDependency(account, principalsStackName(account));

  const stacks = managed.flatMap((account) => {
    const stack = (name: string, holds: readonly StackHolding[]): AccountStack => ({
      name,
      account: account.name,
      accountId: account.id,
      region: account.region,
      partition: account.partition,
      holds,
      dependsOn: [...(dependsOn.get(name) ?? [])].sort(),
      ...(account.deployRoleArn !== undefined ? { deployRoleArn: account.deployRoleArn } : {}),
      source: account.source,
    });
    return split.has(account.name)
      ? [stack(principalsStackName(account.name), PRINCIPALS), stack(account.name, ACCESS)]
      : [stack(account.name, WHOLE)];
  });
  checkStackNames(stacks, managed, diagnostics);
  const cycle = findCycle(new Map(stacks.map((s) => [s.name, s.dependsOn])));
  if (cycle) diagnostics.push(roleCycle(cycle, trusts, stackOf));
  return stacks;
}

/** What a split account's principals stack holds: principals that trust nothing (users, and groups of them), so it waits for no stack. */
const PRINCIPALS: readonly StackHolding[] = ['user', 'group'];
/** The rest of a split account: roles, and the identity providers only its own roles can trust. */
const ACCESS: readonly StackHolding[] = ['provider', 'role'];
const WHOLE: readonly StackHolding[] = ['provider', 'user', 'group', 'role'];

export const PRINCIPALS_STACK_SUFFIX = '-principals';

export function principalsStackName(account: string): string {
  return `${account}${PRINCIPALS_STACK_SUFFIX}`;
}

/** A role trusting a user or role of another managed account. */
interface CrossTrust {
  readonly role: { readonly account: string; readonly name: string };
  readonly trusted: { readonly kind: 'user' | 'role'; readonly account: string; readonly name: string };
  readonly source: SourceRef;
}

function crossAccountTrusts(grants: readonly Grant[], managed: ReadonlySet<string>): CrossTrust[] {
  const trusts: CrossTrust[] = [];
  for (const grant of grants) {
    const grantee = grant.grantee;
    if (grantee.kind !== 'user' && grantee.kind !== 'role') continue;
    if (grantee.account === grant.role.account || !managed.has(grantee.account) || !managed.has(grant.role.account)) continue;
    trusts.push({ role: grant.role, trusted: { kind: grantee.kind, account: grantee.account, name: grantee.name }, source: grant.source });
  }
  return trusts;
}

/** Accounts that reach themselves through the accounts their roles trust. */
function accountsInCycles(trusts: readonly CrossTrust[]): Set<string> {
  const edges = new Map<string, Set<string>>();
  for (const t of trusts) edges.set(t.role.account, (edges.get(t.role.account) ?? new Set()).add(t.trusted.account));
  const inCycle = new Set<string>();
  for (const start of edges.keys()) {
    const seen = new Set<string>();
    const queue = [...(edges.get(start) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop() as string;
      if (next === start) {
        inCycle.add(start);
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(edges.get(next) ?? []));
    }
  }
  return inCycle;
}

/** A principals stack named like an account: the two would write the same stack and state. */
function checkStackNames(stacks: readonly AccountStack[], managed: readonly Account[], diagnostics: Diagnostic[]): void {
  for (const stack of stacks) {
    if (stack.name === stack.account) continue;
    const clash = managed.find((a) => a.name === stack.name);
    if (!clash) continue;
    diagnostics.push(
      error(
        'stack-name',
        `account "${clash.name}" has the name of the stack that holds the users of account ${stack.account} (split, since ${stack.account} and another account trust each other's principals): rename one of the two accounts`,
        clash.source,
      ),
    );
  }
}

/** The trust entries that close a cycle of stacks, each link named, at the first one. */
function roleCycle(cycle: readonly string[], trusts: readonly CrossTrust[], stackOf: (kind: StackHolding, account: string) => string): Diagnostic {
  const links = cycle.slice(0, -1).map((stack, i) => {
    const next = cycle[i + 1];
    const closing = trusts
      .filter((t) => stackOf('role', t.role.account) === stack && stackOf(t.trusted.kind, t.trusted.account) === next)
      .map((t) => ({ trust: t, text: `${t.role.account}/${t.role.name} trusts ${t.trusted.kind} ${t.trusted.account}/${t.trusted.name}` }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return closing[0] as { trust: CrossTrust; text: string };
  });
  return error(
    'stack-cycle',
    `roles of accounts ${cycle.join(' → ')} trust each other's roles (${links.map((l) => l.text).join('; ')}), so no account's roles can be created first (IAM refuses a trust naming a role that does not exist yet): deploy in two steps (first without one of these trust entries, then with it), or break the chain`,
    (links[0] as { trust: CrossTrust }).trust.source,
  );
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
