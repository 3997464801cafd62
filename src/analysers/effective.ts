import type { AccessModel, Group, PolicyStatement, Role, User } from '../model/accessModel';
import { groupsOf, identityPolicies, type IdentityPolicies, type LabelledStatement } from './identityPolicies';
import { actionMatches, decide, hasConditions, resourceMatches, type Decision } from './policyEvaluation';
import { chains, principalKey, roleKey } from './reach';
import { waysIn, type WayIn } from './waysIn';

/**
 * What each principal of the model may do, computed once and shared by the
 * security rules, the access report and the diff: its identity policies
 * (inline, s3ReadOnly, AWS managed documents) cut by its permissions
 * boundary, and the roles it reaches, directly or through other roles.
 */
export interface EffectivePermissions {
  readonly principal: User | Role;
  /** `user:account/name` or `role:account/name`. */
  readonly key: string;
  readonly policies: IdentityPolicies;
  /** How IAM decides one request of this principal (identity policies and boundary; conditions not evaluated). */
  decide(action: string, resource: string): Decision;
  /**
   * The Allow statements that grant `action` on some resource, boundary and
   * unconditional denies applied: the answer to "may it do this at all, and where?".
   */
  grantsOf(action: string): readonly LabelledStatement[];
  /** Roles this principal can assume, `account/name`, directly or through other roles (open ways only). */
  readonly reaches: readonly string[];
}

export interface EffectiveIndex {
  readonly byKey: ReadonlyMap<string, EffectivePermissions>;
  readonly all: readonly EffectivePermissions[];
  readonly ways: readonly WayIn[];
  /** Role ARN → the services its trust admits. */
  readonly trustedServices: ReadonlyMap<string, ReadonlySet<string>>;
  /** `principalKey|roleArn` for every open way a principal opens with its own policy (a trust in its account). */
  readonly ownPolicyWays: ReadonlySet<string>;
}

export { principalKey };

export function effectivePermissions(model: AccessModel, ways: readonly WayIn[] = waysIn(model)): EffectiveIndex {
  const reaches = reachedRoles(ways);
  const groups = groupsOf(model);
  const all = [...model.users, ...model.roles].map((principal) => effectiveFor(principal, reaches.get(principalKey(principal)) ?? [], groups(principal)));
  const trustedServices = new Map<string, Set<string>>();
  const ownPolicyWays = new Set<string>();
  for (const way of ways) {
    const grantee = way.grant.grantee;
    if (grantee.kind === 'service') trustedServices.set(way.role.arn, (trustedServices.get(way.role.arn) ?? new Set()).add(grantee.service));
    if (way.via === 'identity-policy' && way.blockedBy === undefined && way.caller) ownPolicyWays.add(`${principalKey(way.caller)}|${way.role.arn}`);
  }
  return { byKey: new Map(all.map((e) => [e.key, e])), all, ways, trustedServices, ownPolicyWays };
}

function effectiveFor(principal: User | Role, reaches: readonly string[], groups: readonly Group[]): EffectivePermissions {
  const policies = identityPolicies(principal, groups);
  const statements = policies.statements.map((s) => s.statement);
  const boundary = policies.boundary?.statements;
  const labelOf = new Map<PolicyStatement, LabelledStatement>(policies.statements.map((s) => [s.statement, s]));
  // The rules ask each principal about the same few actions again and again.
  const grants = new Map<string, readonly LabelledStatement[]>();
  const within = (action: string, resource: string) => boundary === undefined || decide(boundary, action, resource).outcome === 'allowed';
  return {
    principal,
    key: principalKey(principal),
    policies,
    decide(action, resource) {
      const decision = decide(statements, action, resource);
      if (decision.outcome === 'allowed' && !within(action, resource)) return { outcome: 'not-allowed', conditionalDenies: decision.conditionalDenies };
      return decision;
    },
    grantsOf(action) {
      const known = grants.get(action);
      if (known) return known;
      const found = grantsFor(action);
      grants.set(action, found);
      return found;
    },
    reaches,
  };
  function grantsFor(action: string): readonly LabelledStatement[] {
    const hardDenyAll = statements.some(
      (s) => s.effect === 'Deny' && !hasConditions(s) && coversAction(s, action) && s.notResources === undefined && (s.resources ?? []).includes('*'),
    );
    if (hardDenyAll) return [];
    if (boundary !== undefined && !boundary.some((s) => s.effect === 'Allow' && coversAction(s, action))) return [];
    return statements.filter((s) => s.effect === 'Allow' && coversAction(s, action)).map((s) => labelOf.get(s)!);
  }
}

/** Whether a statement's Action (or NotAction) covers an action, resources aside. */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  return statement.notActions ? !statement.notActions.some((p) => actionMatches(p, action)) : (statement.actions ?? []).some((p) => actionMatches(p, action));
}

/** Whether a statement's Resource (or NotResource) can cover `resource` (a concrete ARN or a pattern such as `*`). */
export function coversResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.notResources) return !statement.notResources.some((p) => resourceMatches(p, resource, 'deny'));
  return (statement.resources ?? []).some((p) => resourceMatches(p, resource, 'allow'));
}

/** Every role each user or role reaches, through open ways, directly or by chaining. */
function reachedRoles(ways: readonly WayIn[]): Map<string, string[]> {
  const reached = new Map<string, Set<string>>();
  const add = (key: string, role: string) => {
    const set = reached.get(key) ?? new Set<string>();
    set.add(role);
    reached.set(key, set);
  };
  for (const way of ways) {
    if (way.caller && way.blockedBy === undefined && way.certainty === 'sure') add(principalKey(way.caller), roleKey(way.role));
  }
  // Chains start from users; a role's own chains start with the roles it reaches directly.
  for (const chain of chains(ways, (way) => (way.caller && way.blockedBy === undefined ? principalKey(way.caller) : undefined))) {
    add(chain.origin, chain.roles[chain.roles.length - 1]!);
  }
  return new Map([...reached].map(([key, set]) => [key, [...set].sort()]));
}
