import type { SourceRef } from '../diagnostics/diagnostic';
import type { AccessModel, Grant, Group, InlinePolicy, PolicyStatement, Role, User } from '../model/accessModel';
import { matchActions, type ActionCatalog } from '../model/actionCatalog';
import { formatDuration } from '../model/duration';
import { describeConditions, describeGrantee } from './describeGrant';
import type { ReportedFinding } from './rules/accept';
import type { LabelledStatement } from './identityPolicies';
import { chains, principalKey, roleKey, type Chain } from './reach';
import { waysIn, type WayIn } from './waysIn';
import { conditionsOfWay, entries, principalOfWay, type ConditionEntry, type PrincipalData, type WayConditions } from './wayData';

/**
 * Who can assume which role, under which conditions, and what every role and
 * user may then do, with wildcards expanded through the action catalog.
 * Plain data: the formats (table, markdown, json) and the diff read it.
 */
export interface AccessReport {
  readonly roles: readonly RoleAccess[];
  readonly users: readonly UserAccess[];
  readonly groups: readonly GroupAccess[];
  /** Identity providers with security findings about them (the others add nothing to read). */
  readonly providers: readonly ProviderAccess[];
}

/** A security finding about a principal or provider, as the report shows it. */
export interface FindingAccess {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** What it is about: `user account/name`, `role account/name`, `group account/name` or `provider account/name`. */
  readonly subject: string;
  /** Taken on purpose (`accept:`): still shown, with why. */
  readonly accepted?: {
    readonly reason: string;
    readonly ticket?: string;
    readonly expires?: string;
    readonly source: SourceRef;
  };
  /** The YAML that opens the risk. */
  readonly source: SourceRef;
}

export interface ProviderAccess {
  /** `account/name`. */
  readonly provider: string;
  readonly findings: readonly FindingAccess[];
  readonly source: SourceRef;
}

export interface RoleAccess {
  /** `account/name`. */
  readonly role: string;
  readonly arn: string;
  readonly maxSession: string;
  /** Every direct way in: the trust entries, and the principals of trusted accounts whose own policies allow the call. */
  readonly assumedBy: readonly AssumePath[];
  /** Who reaches the role only through other roles (role chaining), with the chain. */
  readonly reachedThrough: readonly ChainAccess[];
  readonly permissions: Permissions;
  /** Security findings about this role. */
  readonly findings: readonly FindingAccess[];
  readonly source: SourceRef;
}

export interface AssumePath {
  readonly who: string;
  readonly kind: Grant['trustKind'];
  /** `trust`: the trust entry admits the grantee; `identity-policy`: a principal of a trusted account, by its own policy. */
  readonly via: WayIn['via'];
  readonly actions: readonly string[];
  readonly conditions: readonly string[];
  readonly notes: Grant['notes'];
  /** The caller's own statement that allows the call (identity-policy ways). */
  readonly allowedBy?: PolicyRef;
  /** The caller's own Deny that closes this way: listed, but no way in. */
  readonly blockedBy?: PolicyRef;
  /** `possible`: it depends on policies rolecall cannot see, named in `unseen`. */
  readonly certainty: WayIn['certainty'];
  readonly unseen: readonly string[];
  /** Who and under which guards, as data (the structured diff and its gates read these). */
  readonly principalData: PrincipalData;
  readonly conditionData: WayConditions;
  /** The trust entry. */
  readonly source: SourceRef;
}

export interface PolicyRef {
  /** Inline policy name or managed policy ARN. */
  readonly policy: string;
  readonly source: SourceRef;
}

export interface ChainAccess {
  readonly who: string;
  /** The roles passed through before this one, `account/name`. */
  readonly through: readonly string[];
  /** The conditions of every step, in order. */
  readonly conditions: readonly string[];
  /** The origin, and each step's guards (one per role of through, then this one), as data. */
  readonly principalData: PrincipalData;
  readonly stepConditions: readonly WayConditions[];
}

export interface UserAccess {
  readonly user: string;
  readonly arn: string;
  readonly requireMfa: boolean;
  /** The roles this user may assume, with the conditions of each grant. */
  readonly canAssume: readonly { readonly role: string; readonly via: WayIn['via']; readonly throughGroup?: string; readonly conditions: readonly string[] }[];
  /** The roles the user reaches only through other roles, with the chain. */
  readonly reaches: readonly { readonly role: string; readonly through: readonly string[]; readonly conditions: readonly string[] }[];
  readonly permissions: Permissions;
  /** What the user holds through each of its groups (its own plus these is what it may do). */
  readonly groups: readonly MembershipAccess[];
  /** What a federated session the user hands out may receive at most. */
  readonly federation?: readonly StatementAccess[];
  /** Security findings about this user. */
  readonly findings: readonly FindingAccess[];
  readonly source: SourceRef;
}

/** A group: its members, and what each of them may do through it. */
export interface GroupAccess {
  /** `account/name`. */
  readonly group: string;
  readonly arn: string;
  readonly members: readonly string[];
  /** What the group gives its members (its AssumeRole grants are in their `canAssume`). */
  readonly permissions: Permissions;
  /** Security findings about this group (a risk every member holds through it). */
  readonly findings: readonly FindingAccess[];
  readonly source: SourceRef;
}

/** What a user holds through one of its groups. */
export interface MembershipAccess {
  /** `account/name` of the group. */
  readonly group: string;
  readonly permissions: Permissions;
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
  /** NotResource: every resource but these. */
  readonly resourcesAllBut?: readonly string[];
  readonly conditions: readonly string[];
  /** The statement's conditions as IAM writes them. */
  readonly conditionEntries: readonly ConditionEntry[];
}

export interface ActionAccess {
  readonly pattern: string;
  /** The actions the pattern matches; `all` for `*` alone. */
  readonly matches: readonly string[] | 'all';
}

/** `findings`: the security review's (compile's `security`), shown with the principal each is about. */
export function accessReport(model: AccessModel, catalog: ActionCatalog, findings: readonly ReportedFinding[] = []): AccessReport {
  const sorted = findings.map(findingAccess).sort((a, b) => compareText(a.rule, b.rule) || compareText(a.message, b.message));
  const findingsOf = groupBy(sorted, (f) => f.subject);
  const about = (subject: string) => findingsOf.get(subject) ?? [];
  const ways = waysIn(model);
  const waysByRole = groupBy(ways, (w) => roleKey(w.role));
  const found = chains(ways, originOf);
  const chainsByRole = groupBy(found, (c) => c.roles[c.roles.length - 1]!);
  const chainsByOrigin = groupBy(found, (c) => c.origin);
  const roles = model.roles.map((role) => {
    const key = roleKey(role);
    return { ...roleAccess(role, waysByRole.get(key) ?? [], chainsByRole.get(key) ?? [], catalog), findings: about(`role ${key}`) };
  });
  // Grouped once: filtering every way for every user is quadratic on large organisations.
  const waysByCaller = groupBy(
    ways.filter((w) => w.caller !== undefined),
    (w) => principalKey(w.caller!),
  );
  const groupsByKey = new Map(model.groups.map((g) => [roleKey(g), g]));
  const users = model.users.map((user) => ({
    ...userAccess(user, waysByCaller.get(principalKey(user)) ?? [], chainsByOrigin.get(`user:${roleKey(user)}`) ?? [], catalog),
    groups: user.groups.map((name) => groupsByKey.get(`${user.account}/${name}`)).filter((g): g is Group => g !== undefined).map((g) => ({ group: roleKey(g), permissions: groupPermissions(g, catalog) })),
    findings: about(`user ${roleKey(user)}`),
  }));
  const groups = model.groups.map((group) => ({
    group: roleKey(group),
    arn: group.arn,
    members: group.members.map((m) => m.name),
    permissions: groupPermissions(group, catalog),
    findings: about(`group ${roleKey(group)}`),
    source: group.source,
  }));
  const providers = model.providers
    .map((p) => ({ provider: `${p.account}/${p.name}`, findings: about(`provider ${p.account}/${p.name}`), source: p.source }))
    .filter((p) => p.findings.length > 0);
  return { roles, users, groups, providers };
}

function groupPermissions(group: Group, catalog: ActionCatalog): Permissions {
  return permissions(group.inlinePolicies.filter((p) => p.name !== 'rolecall-assume-roles'), group.managedPolicies.map((m) => m.arn), catalog);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function findingAccess(finding: ReportedFinding): FindingAccess {
  const { subject, accepted } = finding;
  return {
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    subject: `${subject.kind} ${subject.account}/${subject.name}`,
    ...(accepted
      ? {
          accepted: {
            reason: accepted.reason,
            ...(accepted.ticket !== undefined ? { ticket: accepted.ticket } : {}),
            ...(accepted.expires !== undefined ? { expires: accepted.expires } : {}),
            source: accepted.source,
          },
        }
      : {}),
    source: finding.source,
  };
}

/** Where a chain starts: a user, or a grantee that is no principal of the model. Roles are passed through, not started from. */
function originOf(way: WayIn): string | undefined {
  if (way.caller) return way.caller.kind === 'user' ? `user:${roleKey(way.caller)}` : undefined;
  return describeGrantee(way.grant.grantee, way.grant.trustKind);
}

function originWords(origin: string): string {
  return origin.startsWith('user:') ? `user ${origin.slice('user:'.length)}` : origin;
}

/** Items by key, each list in the items' order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function policyRef(labelled: LabelledStatement): PolicyRef {
  return { policy: labelled.policy, source: labelled.statement.source };
}

/** "user identity/bob", and for a way through its own policy, how. */
function whoWords(way: WayIn): string {
  const group = way.grant.group ? ` (member of group ${roleKey(way.grant.group)})` : '';
  const grantee = `${describeGrantee(way.grant.grantee, way.grant.trustKind)}${group}`;
  if (way.via === 'trust' || !way.caller) return grantee;
  const caller = `${way.caller.kind} ${way.caller.account}/${way.caller.name}`;
  if (way.allowedBy) return `${caller}, by its own policy (${shortPolicy(way.allowedBy.policy)})`;
  return `${caller}, if ${way.unseen.join(' or ')} allows it`;
}

function shortPolicy(policy: string): string {
  return policy.replace(/^arn:[^:]+:iam::aws:policy\//, '');
}

/** The conditions a way is used under: the trust's, the caller's own allow, and the caller's conditional denies. */
export function wayConditions(way: WayIn): string[] {
  // A GitHub subject is already in `who`, in words.
  const trust = describeConditions(way.grant.conditionBlock).filter((c) => way.grant.trustKind !== 'github' || !c.startsWith('token subject'));
  const own = way.allowedBy?.statement.conditions ? describeConditions(way.allowedBy.statement.conditions) : [];
  const refused = refusals(way);
  const unseenBoundary = way.certainty === 'possible' && way.allowedBy ? way.unseen.map((u) => `unless ${u} forbids it`) : [];
  return [...new Set([...trust, ...own, ...refused, ...unseenBoundary])];
}

/** The caller's own Deny statements with conditions: when they hold, the call is refused. */
function refusals(way: WayIn): string[] {
  const requiresMfa = describeConditions(way.grant.conditionBlock).includes('with MFA');
  return way.refusedWhen
    .map((d) => ({ words: describeConditions(d.statement.conditions ?? {}), policy: shortPolicy(d.policy) }))
    // requireMfa's "denied without MFA" says nothing new on a way that already needs MFA.
    .filter(({ words }) => !(requiresMfa && words.length === 1 && words[0] === 'without MFA'))
    .map(({ words, policy }) => `denied ${words.join(', ')} (${policy})`);
}

function roleAccess(role: Role, ways: readonly WayIn[], roleChains: readonly Chain[], catalog: ActionCatalog): Omit<RoleAccess, 'findings'> {
  return {
    role: `${role.account}/${role.name}`,
    arn: role.arn,
    maxSession: formatDuration(role.maxSessionDuration),
    assumedBy: ways.map((way) => ({
      who: whoWords(way),
      kind: way.grant.trustKind,
      via: way.via,
      actions: way.grant.actions,
      conditions: wayConditions(way),
      notes: way.grant.notes,
      ...(way.allowedBy ? { allowedBy: policyRef(way.allowedBy) } : {}),
      ...(way.blockedBy ? { blockedBy: policyRef(way.blockedBy) } : {}),
      certainty: way.certainty,
      unseen: way.unseen,
      principalData: principalOfWay(way),
      conditionData: conditionsOfWay(way),
      source: way.grant.source,
    })),
    reachedThrough: roleChains.map((chain) => ({
      who: originWords(chain.origin),
      through: chain.roles.slice(0, -1),
      conditions: chainConditions(chain),
      principalData: principalOfWay(chain.ways[0]!),
      stepConditions: chain.ways.map(conditionsOfWay),
    })),
    permissions: permissions(role.inlinePolicies.filter((p) => p.name !== 'rolecall-assume-roles'), role.managedPolicies.map((m) => m.arn), catalog),
    source: role.source,
  };
}

function chainConditions(chain: Chain): string[] {
  return chain.ways.flatMap((way, i) => wayConditions(way).map((c) => `${chain.roles[i]}: ${c}`));
}

function userAccess(user: User, ways: readonly WayIn[], userChains: readonly Chain[], catalog: ActionCatalog): Omit<UserAccess, 'findings' | 'groups'> {
  const canAssume = ways
    .filter((w) => w.blockedBy === undefined)
    .map((w) => ({
      role: roleKey(w.role),
      via: w.via,
      ...(w.grant.group ? { throughGroup: roleKey(w.grant.group) } : {}),
      // The direct grant's conditions are mirrored into the user's own policy; an identity way has its own.
      conditions: w.via === 'trust' ? [...describeConditions(w.grant.callerConditionBlock), ...refusals(w)] : wayConditions(w),
    }));
  return {
    user: `${user.account}/${user.name}`,
    arn: user.arn,
    requireMfa: user.requireMfa,
    canAssume,
    reaches: userChains.map((chain) => ({ role: chain.roles[chain.roles.length - 1]!, through: chain.roles.slice(0, -1), conditions: chainConditions(chain) })),
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
    ...(statement.notResources ? { resourcesAllBut: statement.notResources } : {}),
    conditions: statement.conditions ? describeConditions(statement.conditions) : [],
    conditionEntries: entries(statement.conditions ?? {}),
  };
}

function expand(pattern: string, catalog: ActionCatalog): ActionAccess {
  if (pattern === '*') return { pattern, matches: 'all' };
  if (!/[*?]/.test(pattern)) return { pattern, matches: [pattern] };
  const service = pattern.slice(0, pattern.indexOf(':'));
  return { pattern, matches: (matchActions(catalog, pattern) ?? []).map((a) => `${service}:${a.name}`) };
}
