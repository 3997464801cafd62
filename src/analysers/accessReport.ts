import type { SourceRef } from '../diagnostics/diagnostic';
import type { AccessModel, Grant, InlinePolicy, PolicyStatement, Role, User } from '../model/accessModel';
import { matchActions, type ActionCatalog } from '../model/actionCatalog';
import { formatDuration } from '../model/duration';
import { describeConditions, describeGrantee } from './describeGrant';

/**
 * Who can assume which role, under which conditions, and what every role and
 * user may then do, with wildcards expanded through the action catalog.
 * Plain data: the formats (table, markdown, json) and the diff read it.
 */
export interface AccessReport {
  readonly roles: readonly RoleAccess[];
  readonly users: readonly UserAccess[];
}

export interface RoleAccess {
  /** `account/name`. */
  readonly role: string;
  readonly arn: string;
  readonly maxSession: string;
  readonly assumedBy: readonly AssumePath[];
  readonly permissions: Permissions;
  readonly source: SourceRef;
}

export interface AssumePath {
  readonly who: string;
  readonly kind: Grant['trustKind'];
  readonly actions: readonly string[];
  readonly conditions: readonly string[];
  readonly notes: Grant['notes'];
  readonly source: SourceRef;
}

export interface UserAccess {
  readonly user: string;
  readonly arn: string;
  readonly requireMfa: boolean;
  /** The roles this user may assume, with the conditions of each grant. */
  readonly canAssume: readonly { readonly role: string; readonly conditions: readonly string[] }[];
  readonly permissions: Permissions;
  /** What a federated session the user hands out may receive at most. */
  readonly federation?: readonly StatementAccess[];
  readonly source: SourceRef;
}

export interface Permissions {
  readonly managedPolicies: readonly string[];
  readonly statements: readonly StatementAccess[];
}

export interface StatementAccess {
  readonly policy: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly ActionAccess[];
  /** NotAction: everything but these. */
  readonly allBut?: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly string[];
}

export interface ActionAccess {
  readonly pattern: string;
  /** The actions the pattern matches; `all` for `*` alone. */
  readonly matches: readonly string[] | 'all';
}

export function accessReport(model: AccessModel, catalog: ActionCatalog): AccessReport {
  const grantsByRole = new Map<string, Grant[]>();
  for (const grant of model.grants) {
    const key = `${grant.role.account}/${grant.role.name}`;
    grantsByRole.set(key, [...(grantsByRole.get(key) ?? []), grant]);
  }
  const roles = model.roles.map((role) => roleAccess(role, grantsByRole.get(`${role.account}/${role.name}`) ?? [], catalog));
  const users = model.users.map((user) => userAccess(user, model.grants, catalog));
  return { roles, users };
}

function roleAccess(role: Role, grants: readonly Grant[], catalog: ActionCatalog): RoleAccess {
  return {
    role: `${role.account}/${role.name}`,
    arn: role.arn,
    maxSession: formatDuration(role.maxSessionDuration),
    assumedBy: grants.map((grant) => ({
      who: describeGrantee(grant.grantee, grant.trustKind),
      kind: grant.trustKind,
      actions: grant.actions,
      // A GitHub subject is already in `who`, in words.
      conditions: describeConditions(grant.conditionBlock).filter((c) => grant.trustKind !== 'github' || !c.startsWith('token subject')),
      notes: grant.notes,
      source: grant.source,
    })),
    permissions: permissions(role.inlinePolicies.filter((p) => p.name !== 'rolecall-assume-roles'), role.managedPolicies.map((m) => m.arn), catalog),
    source: role.source,
  };
}

function userAccess(user: User, grants: readonly Grant[], catalog: ActionCatalog): UserAccess {
  const canAssume = grants
    .filter((g) => g.grantee.kind === 'user' && g.grantee.account === user.account && g.grantee.name === user.name)
    .map((g) => ({ role: `${g.role.account}/${g.role.name}`, conditions: describeConditions(g.callerConditionBlock) }));
  return {
    user: `${user.account}/${user.name}`,
    arn: user.arn,
    requireMfa: user.requireMfa,
    canAssume,
    permissions: permissions(
      user.inlinePolicies.filter((p) => p.name !== 'rolecall-assume-roles'),
      user.managedPolicies.map((m) => m.arn),
      catalog,
    ),
    ...(user.federation ? { federation: user.federation.statements.map((s) => statementAccess('federation', s, catalog)) } : {}),
    source: user.source,
  };
}

function permissions(policies: readonly InlinePolicy[], managed: readonly string[], catalog: ActionCatalog): Permissions {
  return {
    managedPolicies: managed,
    statements: policies.flatMap((policy) => policy.document.statements.map((s) => statementAccess(policy.name, s, catalog))),
  };
}

function statementAccess(policy: string, statement: PolicyStatement, catalog: ActionCatalog): StatementAccess {
  return {
    policy,
    effect: statement.effect,
    actions: (statement.actions ?? []).map((pattern) => expand(pattern, catalog)),
    ...(statement.notActions ? { allBut: statement.notActions } : {}),
    resources: statement.resources ?? [],
    conditions: statement.conditions ? describeConditions(statement.conditions) : [],
  };
}

function expand(pattern: string, catalog: ActionCatalog): ActionAccess {
  if (pattern === '*') return { pattern, matches: 'all' };
  if (!/[*?]/.test(pattern)) return { pattern, matches: [pattern] };
  const service = pattern.slice(0, pattern.indexOf(':'));
  return { pattern, matches: (matchActions(catalog, pattern) ?? []).map((a) => `${service}:${a.name}`) };
}
