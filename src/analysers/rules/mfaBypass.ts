import type { Grant, PolicyStatement } from '../../model/accessModel';
import { describeGrantee } from '../describeGrant';
import { principalKey } from '../effective';
import type { LabelledStatement } from '../identityPolicies';
import { roleKey } from '../reach';
import type { WayIn } from '../waysIn';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';
import { roleName, roleSubject } from './trustEntry';

/**
 * `mfa` on a grant whose principal reaches the same role another way that
 * asks for no MFA: another trust entry for it without `mfa`, a trust in its
 * account that its own policy uses, or a chain of roles none of whose steps
 * needs MFA. The principals a grant admits are its user or role, or for an
 * account grant each principal of the account whose own policy lets it in.
 * Another principal's way in is not a bypass of this grant: its MFA still
 * stops a stolen key of its own principal.
 */
export const mfaBypass: SecurityRule = {
  id: 'mfa-bypass',
  severity: 'warning',
  summary: 'mfa on a trust whose principal can reach the role another way without MFA',
  docs: {
    why: 'IAM allows whichever way matches. If the principal that must show MFA on one trust entry can reach the same role another way that asks for none (a second entry, a trust in its account its own policy uses, a role it assumes without MFA that may assume this one), a stolen access key gets in without MFA and the mfa written here gives nothing.',
    fires: `accounts:
  - name: prod
    id: "222222222222"
users:
  - name: alice
roles:
  - name: jump
    trust:
      - user: alice
  - name: admin
    trust:
      - user: alice
        mfa: true
      - role: jump
    managedPolicies: [ReadOnlyAccess]
`,
    quiet: `accounts:
  - name: prod
    id: "222222222222"
users:
  - name: alice
roles:
  - name: jump
    trust:
      - user: alice
        mfa: true
  - name: admin
    trust:
      - user: alice
        mfa: true
      - role: jump
    managedPolicies: [ReadOnlyAccess]
`,
    fix: 'Require mfa on every way the principal has into the role (the other entry, the first role of the chain), or remove the other way.',
  },
  check: ({ model, effective }: RuleContext) => {
    const withMfa = model.grants.filter((g) => g.conditions.mfa !== undefined);
    if (withMfa.length === 0) return [];
    const withoutMfa = new Map<string, WayIn[]>();
    for (const way of effective.ways) {
      if (way.caller === undefined || way.blockedBy !== undefined || way.certainty !== 'sure' || requiresMfa(way)) continue;
      const from = principalKey(way.caller);
      const list = withoutMfa.get(from);
      if (list) list.push(way);
      else withoutMfa.set(from, [way]);
    }
    return withMfa.flatMap((grant): SecurityFinding[] => {
      const target = `role:${roleKey(grant.role)}`;
      for (const caller of callersOf(grant, effective.ways)) {
        const path = pathWithoutMfa(caller, target, withoutMfa);
        if (path) return [finding(grant, caller, path)];
      }
      return [];
    });
  },
};

/** The principals a grant admits: its user or role, or the principals of a trusted account whose own policy uses it. */
function callersOf(grant: Grant, ways: readonly WayIn[]): string[] {
  const { grantee } = grant;
  switch (grantee.kind) {
    case 'user':
    case 'role':
      return [principalKey(grantee)];
    case 'account':
      return ways
        .filter((w) => w.grant === grant && w.via === 'identity-policy' && w.blockedBy === undefined && w.caller !== undefined)
        .map((w) => principalKey(w.caller!));
    case 'service':
    case 'web-identity':
    case 'saml':
      return [];
  }
}

/**
 * Whether a way asks for MFA: its trust entry's `mfa`, the caller's Allow
 * that opens it (a trust in an account), or a Deny of the caller's without
 * MFA (`requireMfa`) that refuses the call.
 */
function requiresMfa(way: WayIn): boolean {
  if (way.grant.conditions.mfa !== undefined) return true;
  if (way.via === 'identity-policy' && way.allowedBy && mentionsMfa(way.allowedBy.statement)) return true;
  return way.refusedWhen.some((deny: LabelledStatement) => mentionsMfa(deny.statement));
}

function mentionsMfa(statement: PolicyStatement): boolean {
  return Object.values(statement.conditions ?? {}).some((keys) => Object.keys(keys).some((k) => /^aws:MultiFactorAuth(Present|Age)$/i.test(k)));
}

/** The shortest chain of MFA-free ways from a principal to a role (breadth first, each role once). */
function pathWithoutMfa(from: string, target: string, withoutMfa: ReadonlyMap<string, readonly WayIn[]>): WayIn[] | undefined {
  const seen = new Set<string>([from]);
  let frontier: { at: string; ways: WayIn[] }[] = [{ at: from, ways: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { at, ways } of frontier) {
      for (const way of withoutMfa.get(at) ?? []) {
        const to = `role:${roleKey(way.role)}`;
        if (to === target) return [...ways, way];
        if (seen.has(to)) continue;
        seen.add(to);
        next.push({ at: to, ways: [...ways, way] });
      }
    }
    frontier = next;
  }
  return undefined;
}

function finding(grant: Grant, caller: string, path: readonly WayIn[]): SecurityFinding {
  const who = caller.replace(':', ' ');
  const steps = path.map(describeStep).join(', then ');
  const last = path[path.length - 1]!;
  return {
    rule: 'mfa-bypass',
    severity: 'warning',
    message: `mfa on this trust of ${roleName(grant.role)} gives nothing: ${who} also gets in without MFA, ${steps}. Fix: require mfa on that way too, or remove it`,
    source: grant.source,
    subject: roleSubject(grant),
    related: last.grant.source,
  };
}

function describeStep(way: WayIn): string {
  const into = roleName(way.role);
  const { grantee } = way.grant;
  if (way.via === 'identity-policy' && grantee.kind === 'account') {
    const policy = way.allowedBy ? `, allowed by its own policy ${way.allowedBy.policy.replace(/^arn:[^:]+:iam::aws:policy\//, '')}` : '';
    return `into ${into} through its trust in account ${grantee.account} (no mfa)${policy}`;
  }
  return `into ${into} through its trust in ${describeGrantee(way.grant.grantee, way.grant.trustKind)} (no mfa)`;
}
