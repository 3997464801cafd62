import { at, error, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import type { GroupConfig, RoleConfig, UserConfig } from '../schema/configSchema';
import type { ValidatedFile } from '../schema/validateDocument';
import type {
  AccessModel,
  Account,
  Grant,
  Group,
  InlinePolicy,
  ManagedPolicyAttachment,
  PolicyStatement,
  Role,
  User,
} from './accessModel';
import { acceptancesOf } from './acceptances';
import type { ActionCatalog } from './actionCatalog';
import { roleArn, userArn } from './arns';
import { federationTokenStatement, requireMfaStatements } from './builtinPolicies';
import { checkRoleOrder, planStacks } from './deployOrder';
import { durationSeconds } from './duration';
import { resolveMemberships, type GroupEntry } from './groups';
import { checkGroupLimits, checkLimits } from './limits';
import { resolveExpectations } from './expectations';
import { managedPolicyAttachment, permissionsBoundary } from './managedPolicies';
import type { ManagedPolicyCatalog } from './managedPolicyCatalog';
import { resolveStatements } from './permissions';
import { resolveProviders, type Attachments } from './providers';
import { buildRegistry, itemSource, principalKey, undeclaredAccount, type Placed } from './registry';
import { canonicalDocument, renderPolicyDocument } from './renderPolicy';
import { S3_READ_ONLY_MANAGED_POLICY, s3ReadOnlyStatements } from './s3ReadOnly';
import { mergeStatements } from './mergeStatements';
import { checkDeployRoles, resolveState } from './state';
import { uniqueSids } from './sids';
import { resolveTrust, unsatisfiableMfa, type Directory } from './trust';

export interface ResolveInput {
  readonly files: readonly ValidatedFile[];
  readonly catalog: ActionCatalog;
  /** AWS managed policies: names are checked against it, documents read from it. */
  readonly managedPolicies: ManagedPolicyCatalog;
  /** The clock grants are checked against (expiry). */
  readonly now: Date;
  readonly attachments: Attachments;
}

/** Inline policy names rolecall writes; the exclusive resources remove any other. */
export const POLICY_NAMES = {
  assumeRoles: 'rolecall-assume-roles',
  permissions: 'rolecall-permissions',
  federation: 'rolecall-federation',
  requireMfa: 'rolecall-require-mfa',
  s3ReadOnly: 'rolecall-s3-read-only',
} as const;

const MIN_SESSION = 3600;
const MAX_SESSION = 43200;

/** Validated config → access model. Pure: no I/O, no clock but the one given. */
export function resolve(input: ResolveInput): { model: AccessModel; diagnostics: Diagnostic[] } {
  const { registry, diagnostics } = buildRegistry(input.files);
  const absolutePaths = new Map(input.files.map((f) => [f.file, f.absolutePath]));
  const providers = resolveProviders(registry, absolutePaths, input.attachments, diagnostics);

  const userArns = new Map<string, string>();
  for (const [key, user] of registry.users) userArns.set(key, userArn(user.account.partition, user.account.id, user.value.path ?? '/', user.value.name));
  const roleArns = new Map<string, string>();
  for (const [key, role] of registry.roles) roleArns.set(key, roleArn(role.account.partition, role.account.id, role.value.path ?? '/', role.value.name));
  const memberships = resolveMemberships(registry, userArns, diagnostics);
  const directory: Directory = { registry, userArns, roleArns, groups: memberships.groups, providers };

  const grants: Grant[] = [];
  const trusts = new Map<string, ReturnType<typeof resolveTrust>>();
  for (const [key, role] of registry.roles) {
    const trust = resolveTrust(role, roleArns.get(key)!, directory, input.now, diagnostics);
    trusts.set(key, trust);
    grants.push(...trust.grants);
  }
  // Only once every grant is known can a chain of roles be followed back to where its sessions start.
  diagnostics.push(...unsatisfiableMfa([...trusts.values()].flatMap((t) => t.mfaDemands), grants));
  const callerStatements = assumeStatementsByCaller(grants);

  const users = [...registry.users].map(([key, placed]) => ({
    ...buildUser(placed, userArns.get(key)!, callerStatements.get(`user:${key}`) ?? [], input.catalog, input.managedPolicies, diagnostics),
    groups: memberships.groupsOfUser.get(key) ?? [],
  }));
  const groups = [...memberships.groups].map(([key, entry]) =>
    buildGroup(entry, callerStatements.get(`group:${key}`) ?? [], input.catalog, input.managedPolicies, diagnostics),
  );
  const roles = [...registry.roles].map(([key, placed]) => {
    const trust = trusts.get(key)!;
    return buildRole(placed, roleArns.get(key)!, trust, callerStatements.get(`role:${key}`) ?? [], input.catalog, input.managedPolicies, diagnostics);
  });

  const accounts = sortBy([...registry.accounts.values()], (a) => a.name);
  const undeclared = new Map<string, Account>();
  for (const grant of grants) {
    if (grant.grantee.kind === 'account' && !registry.accounts.has(grant.grantee.account) && !registry.accountsById.has(grant.grantee.accountId)) {
      undeclared.set(grant.grantee.accountId, undeclaredAccount(grant.grantee.accountId, grant.grantee.arn.split(':')[1] as Account['partition'], grant.source));
    }
  }

  checkRoleOrder(roles, diagnostics);
  checkLimits(users, roles, (account) => registry.accountConfigs.get(account)?.value.quotas, diagnostics);
  checkGroupLimits(groups, diagnostics);
  const stacks = planStacks(accounts, [...users, ...groups], grants, diagnostics);
  checkDeployRoles(accounts, diagnostics);
  const state = resolveState(input.files, diagnostics);

  const model: AccessModel = {
    accounts: [...accounts, ...sortBy([...undeclared.values()], (a) => a.id)],
    providers: sortBy([...providers.values()], (p) => `${p.account}/${p.name}`),
    users: sortBy(users, (u) => `${u.account}/${u.name}`),
    roles: sortBy(roles, (r) => `${r.account}/${r.name}`),
    groups: sortBy(groups, (g) => `${g.account}/${g.name}`),
    // By role, then by who and under which conditions: never by YAML position.
    grants: sortBy(grants, (g) => JSON.stringify([g.role.account, g.role.name, g.trustKind, g.grantee, g.actions, g.conditionBlock])),
    stacks,
    ...(state ? { state } : {}),
    expectations: resolveExpectations(input.files.flatMap((f) => f.expect), directory, input.catalog, diagnostics),
  };
  return { model, diagnostics };
}

/**
 * Caller side of each grant: `user:account/name` (or `group:…` for a group
 * trust, written once on the group, not on each member) → AssumeRole
 * statements on the roles it may assume.
 */
function assumeStatementsByCaller(grants: readonly Grant[]): Map<string, PolicyStatement[]> {
  const byCaller = new Map<string, PolicyStatement[]>();
  // A group trust yields one grant per member, all from one entry: its statement is written once.
  const written = new Set<string>();
  for (const grant of grants) {
    const grantee = grant.grantee;
    if (!grant.writesCallerPolicy || (grantee.kind !== 'user' && grantee.kind !== 'role')) continue;
    const key = grant.group ? `group:${principalKey(grant.group.account, grant.group.name)}` : `${grantee.kind}:${principalKey(grantee.account, grantee.name)}`;
    if (grant.group) {
      const once = JSON.stringify([key, grant.role.arn, grant.source]);
      if (written.has(once)) continue;
      written.add(once);
    }
    const list = byCaller.get(key) ?? [];
    list.push({
      effect: 'Allow',
      actions: grant.actions,
      resources: [grant.role.arn],
      conditions: grant.callerConditionBlock,
      source: grant.source,
    });
    byCaller.set(key, list);
  }
  // One statement per set of conditions keeps users under their 2,048 characters.
  for (const [key, list] of byCaller) byCaller.set(key, mergeStatements(list, 'resources'));
  return byCaller;
}

function inlinePolicy(name: string, statements: PolicyStatement[], source: SourceRef): InlinePolicy | undefined {
  if (statements.length === 0) return undefined;
  // The one place every inline policy passes: IAM refuses a policy whose Sids repeat.
  const document = canonicalDocument({ statements: uniqueSids(statements) });
  return { name, document, json: renderPolicyDocument(document), source };
}

function permissionStatements(
  entry: Placed<UserConfig> | Placed<RoleConfig> | Placed<GroupConfig>,
  catalog: ActionCatalog,
  diagnostics: Diagnostic[],
): PolicyStatement[] {
  return [
    ...resolveStatements(entry.value.allow, 'Allow', (i) => itemSource(entry, 'allow', i), catalog, diagnostics),
    ...resolveStatements(entry.value.deny, 'Deny', (i) => itemSource(entry, 'deny', i), catalog, diagnostics),
  ];
}

/** What users and roles share: name, account, path, ARN, tags, boundary. */
function principalBase(
  placed: Placed<UserConfig> | Placed<RoleConfig>,
  arn: string,
  managedPolicies: ManagedPolicyCatalog,
  diagnostics: Diagnostic[],
) {
  const { value, account, source } = placed;
  checkPartitions(account.partition, [value.permissionsBoundary], at(source, 'permissionsBoundary'), diagnostics);
  const boundary = value.permissionsBoundary
    ? permissionsBoundary(value.permissionsBoundary, account, managedPolicies, at(source, 'permissionsBoundary'), diagnostics)
    : undefined;
  return {
    name: value.name,
    account: account.name,
    accountId: account.id,
    path: value.path ?? '/',
    arn,
    tags: value.tags ?? {},
    ...(boundary ? { permissionsBoundaryArn: boundary.arn } : {}),
    ...(boundary?.document ? { permissionsBoundaryDocument: boundary.document } : {}),
    ...acceptancesOf(placed),
    ...(value.adopt ? { adopt: true as const } : {}),
    source,
  };
}

function buildUser(
  placed: Placed<UserConfig>,
  arn: string,
  assumeStatements: PolicyStatement[],
  catalog: ActionCatalog,
  managedPolicies: ManagedPolicyCatalog,
  diagnostics: Diagnostic[],
): Omit<User, 'groups'> {
  const { value, account, source } = placed;
  const policies: (InlinePolicy | undefined)[] = [
    inlinePolicy(POLICY_NAMES.assumeRoles, assumeStatements, source),
    inlinePolicy(POLICY_NAMES.permissions, permissionStatements(placed, catalog, diagnostics), source),
  ];
  let federation: User['federation'];
  if (value.federation) {
    // A federated session gets the intersection of all the broker's policies and its session policy.
    if (value.allow && value.allow.length > 0) {
      diagnostics.push(
        error(
          'federation-broader',
          `a token broker's own allow: statements reach its federated sessions too, so they could get more than federation.allow: move these permissions to a role, or into federation.allow`,
          { ...at(source, 'allow'), at: 'key' },
        ),
      );
    }
    if (value.requireMfa) {
      diagnostics.push(
        error(
          'federation-mfa',
          'a token broker calls sts:GetFederationToken with long-term access keys, which never carry MFA, so requireMfa would deny every call: drop requireMfa from the broker',
          at(source, 'requireMfa'),
        ),
      );
    }
    const federationSource = at(source, 'federation');
    const statements = resolveStatements(value.federation.allow, 'Allow', (i) => at(federationSource, 'allow', i), catalog, diagnostics);
    federation = { statements, source: federationSource };
    // A federated session gets the intersection of the broker's policies and its session policy:
    // the broker must hold what it hands out.
    policies.push(
      inlinePolicy(POLICY_NAMES.federation, [federationTokenStatement(account.partition, account.id, federationSource), ...statements], federationSource),
    );
  }
  if (value.requireMfa) {
    policies.push(inlinePolicy(POLICY_NAMES.requireMfa, requireMfaStatements(account.partition, account.id, arn, at(source, 'requireMfa')), at(source, 'requireMfa')));
  }
  return {
    kind: 'user',
    ...principalBase(placed, arn, managedPolicies, diagnostics),
    inlinePolicies: sortBy(policies.filter(isDefined), (p) => p.name),
    managedPolicies: [],
    ...(federation ? { federation } : {}),
    requireMfa: value.requireMfa ?? false,
  };
}

function buildRole(
  placed: Placed<RoleConfig>,
  arn: string,
  trust: ReturnType<typeof resolveTrust>,
  assumeStatements: PolicyStatement[],
  catalog: ActionCatalog,
  managedPolicies: ManagedPolicyCatalog,
  diagnostics: Diagnostic[],
): Role {
  const { value, account, source } = placed;
  const maxSessionDuration = value.maxSessionDuration === undefined ? MIN_SESSION : durationSeconds(value.maxSessionDuration);
  if (maxSessionDuration < MIN_SESSION || maxSessionDuration > MAX_SESSION) {
    diagnostics.push(error('session-duration', `maxSessionDuration is ${maxSessionDuration} s; IAM allows 1h (3600) to 12h (43200)`, at(source, 'maxSessionDuration')));
  }
  const policies: (InlinePolicy | undefined)[] = [
    inlinePolicy(POLICY_NAMES.assumeRoles, assumeStatements, source),
    inlinePolicy(POLICY_NAMES.permissions, permissionStatements(placed, catalog, diagnostics), source),
  ];
  const managed = new Map<string, ManagedPolicyAttachment>();
  if (value.s3ReadOnly === 'all') {
    const attachment = managedPolicyAttachment(S3_READ_ONLY_MANAGED_POLICY, account, managedPolicies, at(source, 's3ReadOnly'), diagnostics);
    managed.set(attachment.arn, attachment);
  } else if (value.s3ReadOnly) {
    const s3Source = at(source, 's3ReadOnly');
    policies.push(inlinePolicy(POLICY_NAMES.s3ReadOnly, s3ReadOnlyStatements(value.s3ReadOnly.buckets, account.partition, catalog, s3Source), s3Source));
  }
  attachManagedPolicies(placed, managedPolicies, managed, diagnostics);
  const trustPolicy = canonicalDocument({ statements: trust.statements });
  return {
    kind: 'role',
    ...principalBase(placed, arn, managedPolicies, diagnostics),
    ...(value.description !== undefined ? { description: value.description } : {}),
    maxSessionDuration,
    trustPolicy,
    trustPolicyJson: renderPolicyDocument(trustPolicy),
    createAfter: uniqueKeys(trust.createAfter),
    inlinePolicies: sortBy(policies.filter(isDefined), (p) => p.name),
    managedPolicies: sortBy([...managed.values()], (m) => m.arn),
  };
}

/** An entry's `managedPolicies:` into `managed` (by ARN): the first attachment of a policy keeps it; a repeat is checked all the same. */
function attachManagedPolicies(
  placed: Placed<RoleConfig> | Placed<GroupConfig>,
  managedPolicies: ManagedPolicyCatalog,
  managed: Map<string, ManagedPolicyAttachment>,
  diagnostics: Diagnostic[],
): void {
  const { value, account } = placed;
  (value.managedPolicies ?? []).forEach((name, index) => {
    const itemRef = itemSource(placed, 'managedPolicies', index);
    checkPartitions(account.partition, [name], itemRef, diagnostics);
    const attachment = managedPolicyAttachment(name, account, managedPolicies, itemRef, diagnostics);
    if (!managed.has(attachment.arn)) managed.set(attachment.arn, attachment);
  });
}

/** A group: its AssumeRole grants (from `group:` trusts), its allow/deny, its managed policies. */
function buildGroup(
  entry: GroupEntry,
  assumeStatements: PolicyStatement[],
  catalog: ActionCatalog,
  managedPolicies: ManagedPolicyCatalog,
  diagnostics: Diagnostic[],
): Group {
  const { placed, arn, members } = entry;
  const { value, account, source } = placed;
  const policies: (InlinePolicy | undefined)[] = [
    inlinePolicy(POLICY_NAMES.assumeRoles, assumeStatements, source),
    inlinePolicy(POLICY_NAMES.permissions, permissionStatements(placed, catalog, diagnostics), source),
  ];
  const managed = new Map<string, ManagedPolicyAttachment>();
  attachManagedPolicies(placed, managedPolicies, managed, diagnostics);
  return {
    kind: 'group',
    name: value.name,
    account: account.name,
    accountId: account.id,
    path: value.path ?? '/',
    arn,
    members,
    inlinePolicies: sortBy(policies.filter(isDefined), (p) => p.name),
    managedPolicies: sortBy([...managed.values()], (m) => m.arn),
    ...acceptancesOf(placed),
    ...(value.adopt ? { adopt: true as const } : {}),
    source,
  };
}

/** ARNs of another partition name nothing in this one: IAM refuses them. */
function checkPartitions(partition: string, arns: readonly (string | undefined)[], source: SourceRef, diagnostics: Diagnostic[]): void {
  for (const arn of arns) {
    const other = arn?.startsWith('arn:') ? arn.split(':')[1] : undefined;
    if (other !== undefined && other !== partition) {
      diagnostics.push(error('partition-mismatch', `${arn} is in partition ${other}, and this account is in ${partition}: use the ${partition} ARN`, source));
    }
  }
}

function uniqueKeys<T extends { kind: string; account: string; name: string }>(keys: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const key of keys) seen.set(`${key.kind}:${key.account}/${key.name}`, key);
  return sortBy([...seen.values()], (k) => `${k.kind}:${k.account}/${k.name}`);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
