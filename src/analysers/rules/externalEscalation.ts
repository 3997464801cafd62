import type { Grant } from '../../model/accessModel';
import { describeGrantee } from '../describeGrant';
import { chains, roleKey } from '../reach';
import type { WayIn } from '../waysIn';
import { ESCALATION_RULES } from './escalation';
import { isFullAdmin } from './power';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';
import { roleSubject } from './trustEntry';

/**
 * A role that someone outside the managed accounts can reach, directly or
 * through other roles, and that is full admin or can escalate (one of the
 * published escalation paths). Outside: an external account, an account id
 * no `accounts:` entry declares, and OIDC, GitHub and Cognito identities
 * (anyone who can push to the branch or sign in to the pool). Services act
 * for resources of the config; SAML sign-ins are the organisation's own
 * workforce: neither is outside.
 */
export const externalEscalation: SecurityRule = {
  id: 'external-escalation',
  severity: 'error',
  summary: 'a principal outside the managed accounts reaches a role that is full admin or can escalate',
  docs: {
    why: 'Whoever an external account lets in, or whoever can run a workflow on the trusted branch, holds this role. If the role (or a role it reaches) can grant itself more, the outsider ends up with whatever that grants, up to the whole account; the external id or the token conditions only decide who outside may try.',
    fires: `accounts:
  - name: prod
    id: "222222222222"
  - name: vendor
    id: "333333333333"
    external: true
roles:
  - name: vendor-access
    trust:
      - account: vendor
        externalId: vendor-7f3a
    allow:
      - actions: [iam:PutRolePolicy]
        resources: ["*"]
`,
    quiet: `accounts:
  - name: prod
    id: "222222222222"
  - name: vendor
    id: "333333333333"
    external: true
roles:
  - name: vendor-access
    trust:
      - account: vendor
        externalId: vendor-7f3a
    allow:
      - actions: [iam:GetRolePolicy]
        resources: ["*"]
`,
    fix: 'Keep roles that outsiders can assume to what they need: no IAM write actions, no iam:PassRole on `*`, no admin, and no trust path from them to a role that has those. Accept it on the role when an outside party is meant to administer the account.',
  },
  check: (context: RuleContext) => {
    const outsiderGrants = context.model.grants.filter(fromOutside);
    if (outsiderGrants.length === 0) return [];
    const reached = reachedByOutsiders(outsiderGrants, context.effective.ways);
    const capable = powerfulRoles(new Set([...reached.values()].flatMap((routes) => routes.map((r) => r.roles[r.roles.length - 1]!))), context);
    return outsiderGrants.flatMap((grant): SecurityFinding[] => {
      const route = (reached.get(grant) ?? []).find((r) => capable.has(r.roles[r.roles.length - 1]!));
      if (!route) return [];
      const target = route.roles[route.roles.length - 1]!;
      const chained = route.roles.length > 1;
      const through = chained ? ` through ${route.roles.map((r) => `role ${r}`).join(' → ')}` : '';
      const cut = chained ? `or stop role ${route.roles[route.roles.length - 2]!} from assuming it` : 'or remove this trust entry';
      return [
        {
          rule: 'external-escalation',
          severity: 'error',
          message: `${describeGrantee(grant.grantee, grant.trustKind)} is outside the managed accounts and reaches role ${target}${through}, which ${capable.get(target)}. Fix: take the escalating permissions off role ${target}, ${cut}`,
          source: grant.source,
          subject: roleSubject(grant),
        },
      ];
    });
  },
};

/** External accounts (declared `external: true` or an undeclared id) and web identities (OIDC, GitHub, Cognito). */
export function fromOutside(grant: Grant): boolean {
  switch (grant.grantee.kind) {
    case 'account':
      return grant.grantee.external;
    case 'web-identity':
      return true;
    case 'user':
    case 'role':
    case 'service':
    case 'saml':
      return false;
  }
}

interface Route {
  /** `account/name`, from the role the grant opens to the role reached. */
  readonly roles: readonly string[];
}

/** For each outsider grant, the roles it reaches: its own first, then through role chaining (shortest first). */
function reachedByOutsiders(grants: readonly Grant[], ways: readonly WayIn[]): Map<Grant, Route[]> {
  const origin = new Map<Grant, string>(grants.map((g, i) => [g, `outsider:${i}`]));
  const byOrigin = new Map<string, Grant>([...origin].map(([g, key]) => [key, g]));
  const routes = new Map<Grant, Route[]>(grants.map((g) => [g, [{ roles: [roleKey(g.role)] }]]));
  // Only ways rolecall is sure of: a policy it cannot see is no evidence of a path.
  const sure = ways.filter((w) => w.certainty === 'sure');
  for (const chain of chains(sure, (way) => origin.get(way.grant))) {
    routes.get(byOrigin.get(chain.origin)!)!.push({ roles: chain.roles });
  }
  return routes;
}

/**
 * Of the roles given, those that are full admin or match an escalation path,
 * with the reason in words. The escalation rules run on these roles only.
 */
function powerfulRoles(roles: ReadonlySet<string>, context: RuleContext): Map<string, string> {
  const holders = context.effective.all.filter((e) => e.principal.kind === 'role' && roles.has(roleKey(e.principal)));
  const found = new Map<string, string>();
  for (const holder of holders) if (isFullAdmin(holder)) found.set(roleKey(holder.principal), 'is full admin (* on *)');
  const rest = holders.filter((h) => !found.has(roleKey(h.principal)));
  if (rest.length === 0) return found;
  const narrowed: RuleContext = { ...context, effective: { ...context.effective, all: rest } };
  for (const rule of ESCALATION_RULES) {
    for (const finding of rule.check(narrowed)) {
      const key = `${finding.subject.account}/${finding.subject.name}`;
      if (!found.has(key)) found.set(key, `can escalate (${finding.rule})`);
    }
  }
  return found;
}
