import { at, error, warning, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { RoleConfig } from '../schema/configSchema';
import type { TrustEntryConfig } from '../schema/trustSchema';
import { TRUST_KIND_KEYS, type TrustKindKey } from '../schema/trustKinds';
import type {
  Account,
  ConditionBlock,
  Grant,
  Grantee,
  GrantConditions,
  IdentityProvider,
  PolicyStatement,
  PrincipalKey,
  TrustKind,
} from './accessModel';
import { accountRootArn, samlAudience } from './arns';
import { durationSeconds, instant, isoInstant } from './duration';
import { mergeConditions } from './permissions';
import { renderConditions } from './renderPolicy';
import { itemSource, principalKey, referenceKey, undeclaredAccount, type Placed, type Registry } from './registry';

export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
const COGNITO = 'cognito-identity.amazonaws.com';
const SOON_MS = 7 * 24 * 3600 * 1000;

/** What resolve needs to know of every principal and provider before it reads trust. */
export interface Directory {
  readonly registry: Registry;
  readonly userArns: ReadonlyMap<string, string>;
  readonly roleArns: ReadonlyMap<string, string>;
  readonly providers: ReadonlyMap<string, IdentityProvider>;
}

export interface RoleTrust {
  readonly grants: Grant[];
  readonly statements: PolicyStatement[];
  readonly createAfter: PrincipalKey[];
  /** Other managed accounts whose principals this role's trust names. */
  readonly dependsOnAccounts: string[];
}

interface Guards {
  readonly conditions: GrantConditions;
  /** Written into the trust statement and, where rolecall writes it, the caller's policy. */
  readonly shared: ConditionBlock;
}

/** Resolves one role's trust entries into grants and trust statements. */
export function resolveTrust(
  role: Placed<RoleConfig>,
  roleArn: string,
  directory: Directory,
  now: Date,
  diagnostics: Diagnostic[],
): RoleTrust {
  const result: RoleTrust = { grants: [], statements: [], createAfter: [], dependsOnAccounts: [] };
  role.value.trust.forEach((entry, index) => {
    const source = itemSource(role, 'trust', index);
    const guards = resolveGuards(entry, source, now, diagnostics);
    if (!guards) return;
    for (const target of resolveTargets(entry, role, source, directory, diagnostics, result)) {
      const actions = [target.action, ...(entry.tagSession ? ['sts:TagSession'] : [])];
      const conditionBlock = mergeConditions(guards.shared, target.conditions);
      const grant: Grant = {
        role: { account: role.account.name, name: role.value.name, arn: roleArn },
        trustKind: target.kind,
        grantee: target.grantee,
        actions,
        conditions: { ...guards.conditions, ...(target.externalId ? { externalId: target.externalId } : {}) },
        conditionBlock,
        notes: {
          ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
          ...(entry.ticket !== undefined ? { ticket: entry.ticket } : {}),
          ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
        },
        writesCallerPolicy: target.grantee.kind === 'user' || target.grantee.kind === 'role',
        callerConditionBlock: guards.shared,
        source: target.source,
      };
      result.grants.push(grant);
      result.statements.push({
        effect: 'Allow',
        actions,
        principals: { [target.principalType]: [target.principal] },
        conditions: conditionBlock,
        source: target.source,
      });
    }
  });
  warnOverlaps(result.grants, diagnostics);
  return { ...result, statements: mergeTrustStatements(result.statements) };
}

/**
 * The same principal in two entries of one trust: IAM ORs the statements, so
 * the looser entry wins and the stricter one's conditions do nothing.
 */
function warnOverlaps(grants: readonly Grant[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, Grant>();
  for (const grant of grants) {
    const key = JSON.stringify(grant.grantee);
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, grant);
      continue;
    }
    const same = canonical(earlier.conditionBlock) === canonical(grant.conditionBlock);
    diagnostics.push({
      severity: 'warning',
      rule: 'overlapping-trust',
      message: same
        ? 'this principal is already trusted by another entry of this role with the same conditions: remove one'
        : 'this principal is already trusted by another entry of this role with other conditions; IAM allows whichever entry is looser, so the stricter conditions do nothing: merge the two entries',
      source: grant.source,
      related: earlier.source,
    });
  }
}

/** Statements alike but for their principals become one: trust documents are small (2,048 characters by default). */
function mergeTrustStatements(statements: PolicyStatement[]): PolicyStatement[] {
  const merged = new Map<string, PolicyStatement>();
  for (const statement of statements) {
    const key = JSON.stringify([[...statement.actions!].sort(), canonical(statement.conditions ?? {})]);
    const earlier = merged.get(key);
    if (!earlier) {
      merged.set(key, statement);
      continue;
    }
    const principals: Record<string, string[]> = {};
    for (const p of [earlier.principals ?? {}, statement.principals ?? {}]) {
      for (const [type, values] of Object.entries(p)) principals[type] = [...(principals[type] ?? []), ...(values as string[])];
    }
    merged.set(key, { ...earlier, principals });
  }
  return [...merged.values()];
}

function canonical(block: ConditionBlock): string {
  return JSON.stringify(renderConditions(block));
}

const awsPrincipalKinds = new Set(['user', 'users', 'role', 'roles', 'account']);

function kindOf(entry: TrustEntryConfig): TrustKindKey {
  for (const key of TRUST_KIND_KEYS) {
    if (key in entry) return key;
  }
  throw new Error('trust entry without a kind: the schema should have refused it');
}

function resolveGuards(entry: TrustEntryConfig, source: SourceRef, now: Date, diagnostics: Diagnostic[]): Guards | undefined {
  const kind = kindOf(entry);
  const shared: Record<string, Record<string, string[]>> = {};
  const conditions: { -readonly [K in keyof GrantConditions]: GrantConditions[K] } = { tagSession: entry.tagSession ?? false };
  let ok = true;
  if (entry.mfa !== undefined && entry.mfa !== false) {
    if (!awsPrincipalKinds.has(kind)) {
      diagnostics.push(
        error(
          'mfa-not-applicable',
          `mfa applies to IAM users and roles; a ${kind} sign-in never carries aws:MultiFactorAuthPresent, so this trust could never be used. Enforce MFA in the identity provider and remove mfa here`,
          at(source, 'mfa'),
        ),
      );
      ok = false;
    } else {
      shared['Bool'] = { 'aws:MultiFactorAuthPresent': ['true'] };
      if (typeof entry.mfa === 'object') {
        const seconds = durationSeconds(entry.mfa.maxAge);
        shared['NumericLessThan'] = { 'aws:MultiFactorAuthAge': [String(seconds)] };
        conditions.mfa = { maxAgeSeconds: seconds };
      } else {
        conditions.mfa = {};
      }
    }
  }
  if (entry.expires !== undefined) {
    const when = instant(entry.expires);
    if (when.getTime() <= now.getTime()) {
      diagnostics.push(
        error(
          'expired-grant',
          `this grant expired on ${isoInstant(when)}; delete the entry (IAM would keep an expired grant as dead weight)`,
          at(source, 'expires'),
        ),
      );
      ok = false;
    } else {
      if (when.getTime() - now.getTime() < SOON_MS) {
        diagnostics.push(warning('expires-soon', `this grant expires on ${isoInstant(when)}, within 7 days: extend it or plan its removal`, at(source, 'expires')));
      }
      shared['DateLessThan'] = { 'aws:CurrentTime': [isoInstant(when)] };
      conditions.expires = isoInstant(when);
    }
  }
  if (entry.sourceIp !== undefined && kind === 'service') {
    diagnostics.push(
      error('source-ip-not-applicable', 'an AWS service calls from inside AWS, not from your addresses, so sourceIp would never match: guard a service trust with sourceAccount or sourceArn instead', at(source, 'sourceIp')),
    );
    ok = false;
  } else if (entry.sourceIp !== undefined) {
    shared['IpAddress'] = { 'aws:SourceIp': [...entry.sourceIp] };
    conditions.sourceIp = [...entry.sourceIp];
  }
  return ok ? { shared, conditions } : undefined;
}

interface Target {
  readonly kind: TrustKind;
  readonly grantee: Grantee;
  readonly principalType: 'AWS' | 'Service' | 'Federated';
  readonly principal: string;
  readonly action: string;
  readonly conditions: ConditionBlock;
  readonly externalId?: string;
  readonly source: SourceRef;
}

function resolveTargets(
  entry: TrustEntryConfig,
  role: Placed<RoleConfig>,
  source: SourceRef,
  directory: Directory,
  diagnostics: Diagnostic[],
  result: RoleTrust,
): Target[] {
  const home = role.account;
  const { registry } = directory;
  const principalRef = (kind: 'user' | 'role', reference: string, refSource: SourceRef): Target | undefined => {
    const { account, name } = referenceKey(reference, home.name);
    const key = principalKey(account, name);
    const arns = kind === 'user' ? directory.userArns : directory.roleArns;
    const arn = arns.get(key);
    if (arn === undefined) {
      const broken = kind === 'user' ? registry.broken.users : registry.broken.roles;
      if (!broken.has(key) && !registry.broken.accounts.has(account)) {
        diagnostics.push(error('unknown-reference', unknownPrincipal(kind, reference, account, name, home.name, directory), refSource));
      }
      return undefined;
    }
    if (kind === 'role' && key === principalKey(home.name, role.value.name)) {
      diagnostics.push(
        error('self-trust', `role "${name}" cannot trust itself (IAM refuses a trust naming a role that does not exist yet, and it grants nothing): delete the entry`, refSource),
      );
      return undefined;
    }
    const partition = registry.accounts.get(account)?.partition;
    if (partition !== undefined && partition !== home.partition) {
      diagnostics.push(error('partition-mismatch', `${kind} ${reference} is in partition ${partition} and this role in ${home.partition}: IAM cannot trust across partitions`, refSource));
      return undefined;
    }
    if (account === home.name) {
      result.createAfter.push({ kind, account, name });
    } else {
      result.dependsOnAccounts.push(account);
    }
    return {
      kind,
      grantee: { kind, account, name, arn },
      principalType: 'AWS',
      principal: arn,
      action: 'sts:AssumeRole',
      conditions: {},
      source: refSource,
    };
  };

  if ('user' in entry) return compact([principalRef('user', entry.user, at(source, 'user'))]);
  if ('users' in entry) return compact(entry.users.map((u, i) => principalRef('user', u, at(source, 'users', i))));
  if ('role' in entry) return compact([principalRef('role', entry.role, at(source, 'role'))]);
  if ('roles' in entry) return compact(entry.roles.map((r, i) => principalRef('role', r, at(source, 'roles', i))));

  if ('account' in entry) {
    const target = findAccount(entry.account, registry, home.partition, at(source, 'account'));
    if (!target) {
      if (!registry.broken.accounts.has(entry.account)) {
        diagnostics.push(
          error('unknown-reference', `no account named "${entry.account}"${didYouMean(entry.account, registry.accounts.keys())}; declare it under accounts: or give its 12-digit id in quotes`, at(source, 'account')),
        );
      }
      return [];
    }
    const external = target.external || !target.declared;
    if (external && entry.externalId === undefined) {
      diagnostics.push(
        error(
          'external-id-required',
          `account ${target.declared ? `"${target.name}"` : target.id} is outside this config: add externalId: with the value agreed with its owner, so that only they can use this trust (the confused-deputy guard)`,
          at(source, 'account'),
        ),
      );
      return [];
    }
    if (target.partition !== home.partition) {
      diagnostics.push(error('partition-mismatch', `account ${target.name} is in partition ${target.partition} and this role in ${home.partition}: IAM cannot trust across partitions`, at(source, 'account')));
      return [];
    }
    const arn = accountRootArn(target.partition, target.id);
    return [
      {
        kind: 'account',
        grantee: { kind: 'account', account: target.name, accountId: target.id, external, arn },
        principalType: 'AWS',
        principal: arn,
        action: 'sts:AssumeRole',
        conditions: entry.externalId !== undefined ? { StringEquals: { 'sts:ExternalId': [entry.externalId] } } : {},
        ...(entry.externalId !== undefined ? { externalId: entry.externalId } : {}),
        source: at(source, 'account'),
      },
    ];
  }

  if ('service' in entry) {
    const conditions: Record<string, Record<string, string[]>> = {};
    if (entry.sourceAccount !== undefined) {
      const id = /^\d{12}$/.test(entry.sourceAccount) ? entry.sourceAccount : registry.accounts.get(entry.sourceAccount)?.id;
      if (id === undefined) {
        diagnostics.push(error('unknown-reference', `no account named "${entry.sourceAccount}"${didYouMean(entry.sourceAccount, registry.accounts.keys())}`, at(source, 'sourceAccount')));
        return [];
      }
      conditions['StringEquals'] = { 'aws:SourceAccount': [id] };
    }
    if (entry.sourceArn !== undefined) conditions['ArnLike'] = { 'aws:SourceArn': [entry.sourceArn] };
    return [
      {
        kind: 'service',
        grantee: { kind: 'service', service: entry.service },
        principalType: 'Service',
        principal: entry.service,
        action: 'sts:AssumeRole',
        conditions,
        source: at(source, 'service'),
      },
    ];
  }

  if ('github' in entry) {
    const github = entry.github;
    const provider = github.provider !== undefined
      ? findProvider(github.provider, 'oidc', home, at(source, 'github', 'provider'), directory, diagnostics)
      : findGithubProvider(home, at(source, 'github'), directory, diagnostics);
    if (!provider) return [];
    const audience = github.audience ?? 'sts.amazonaws.com';
    if (!checkAudience(provider, [audience], at(source, 'github', github.audience ? 'audience' : 'repo'), diagnostics)) return [];
    const subject = githubSubject(github);
    return [webIdentity('github', provider, [audience], [subject], at(source, 'github'))];
  }

  if ('oidc' in entry) {
    const oidc = entry.oidc;
    const provider = findProvider(oidc.provider, 'oidc', home, at(source, 'oidc', 'provider'), directory, diagnostics);
    if (!provider) return [];
    const audiences = typeof oidc.audience === 'string' ? [oidc.audience] : oidc.audience;
    const subjects = typeof oidc.subject === 'string' ? [oidc.subject] : oidc.subject;
    if (!checkAudience(provider, audiences, at(source, 'oidc', 'audience'), diagnostics)) return [];
    if (provider.conditionKeyPrefix === GITHUB_ISSUER) {
      // GitHub subjects are repo:OWNER/NAME:...; anything looser lets in repositories nobody named.
      const loose = subjects.filter((s) => !/^repo:[^*?/:]+\/[^*?:]+:./.test(s));
      if (loose.length > 0) {
        diagnostics.push(
          error('oidc-subject', `GitHub subject ${loose.map((s) => `"${s}"`).join(', ')} does not name one repository: write repo:OWNER/NAME:..., or use a github: trust entry`, at(source, 'oidc', 'subject')),
        );
        return [];
      }
    }
    return [webIdentity('oidc', provider, audiences, subjects, at(source, 'oidc'))];
  }

  if ('cognito' in entry) {
    const authenticated = entry.cognito.authenticated ?? true;
    if (!authenticated) {
      diagnostics.push(
        warning('cognito-guests', 'authenticated: false lets unauthenticated guests of the identity pool assume this role: keep its permissions to what anyone on the internet may do', at(source, 'cognito', 'authenticated')),
      );
    }
    return [
      {
        kind: 'cognito',
        grantee: { kind: 'web-identity', provider: COGNITO, providerArn: COGNITO, subjects: [], audiences: [entry.cognito.identityPool] },
        principalType: 'Federated',
        principal: COGNITO,
        action: 'sts:AssumeRoleWithWebIdentity',
        conditions: {
          StringEquals: { [`${COGNITO}:aud`]: [entry.cognito.identityPool] },
          'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: [authenticated ? 'authenticated' : 'unauthenticated'] },
        },
        source: at(source, 'cognito'),
      },
    ];
  }

  const provider = findProvider(entry.saml.provider, 'saml', home, at(source, 'saml', 'provider'), directory, diagnostics);
  if (!provider) return [];
  if (provider.managed) result.createAfter.push({ kind: 'provider', account: provider.account, name: provider.name });
  return [
    {
      kind: 'saml',
      grantee: { kind: 'saml', provider: provider.name, providerArn: provider.arn },
      principalType: 'Federated',
      principal: provider.arn,
      action: 'sts:AssumeRoleWithSAML',
      conditions: { StringEquals: { 'SAML:aud': [samlAudience(home.partition)] } },
      source: at(source, 'saml'),
    },
  ];

  function webIdentity(kind: 'github' | 'oidc', provider: IdentityProvider, audiences: string[], subjects: string[], ref: SourceRef): Target {
    const prefix = provider.conditionKeyPrefix!;
    const subjectOperator = subjects.some((s) => /[*?]/.test(s)) ? 'StringLike' : 'StringEquals';
    const conditions: Record<string, Record<string, string[]>> = { StringEquals: { [`${prefix}:aud`]: audiences } };
    conditions[subjectOperator] = { ...(conditions[subjectOperator] ?? {}), [`${prefix}:sub`]: subjects };
    if (provider.managed) result.createAfter.push({ kind: 'provider', account: provider.account, name: provider.name });
    return {
      kind,
      grantee: { kind: 'web-identity', provider: provider.name, providerArn: provider.arn, subjects, audiences },
      principalType: 'Federated',
      principal: provider.arn,
      action: 'sts:AssumeRoleWithWebIdentity',
      conditions,
      source: ref,
    };
  }
}

/** Why a user or role reference finds nothing, and the likeliest fix. */
function unknownPrincipal(kind: 'user' | 'role', reference: string, account: string, name: string, home: string, directory: Directory): string {
  const { registry } = directory;
  if (!registry.accounts.has(account)) {
    return `no ${kind} "${name}": there is no account "${account}"${didYouMean(account, registry.accounts.keys())}`;
  }
  const other = kind === 'user' ? directory.roleArns : directory.userArns;
  const otherKind = kind === 'user' ? 'role' : 'user';
  if (other.has(principalKey(account, name))) {
    return `no ${kind} "${name}" in account ${account}, but there is a ${otherKind}: write ${otherKind}: ${reference}`;
  }
  const arns = kind === 'user' ? directory.userArns : directory.roleArns;
  if (!reference.includes('/')) {
    // A bare name means the role's account: the same name elsewhere is the likely meaning.
    const elsewhere = [...arns.keys()].filter((k) => k.endsWith(`/${name}`));
    if (elsewhere.length > 0) {
      return `no ${kind} "${name}" in account ${home} (a bare name means the role's own account); did you mean ${elsewhere.map((k) => `"${k}"`).join(' or ')}?`;
    }
  }
  const candidates = [...arns.keys()].map((k) => (!reference.includes('/') && k.startsWith(`${home}/`) ? k.slice(home.length + 1) : k));
  return `no ${kind} "${name}" in account ${account}${didYouMean(reference, candidates)}`;
}

function compact<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function findAccount(reference: string, registry: Registry, partition: Account['partition'], source: SourceRef): Account | undefined {
  const named = registry.accounts.get(reference);
  if (named) return named;
  if (!/^\d{12}$/.test(reference)) return undefined;
  return registry.accountsById.get(reference) ?? undeclaredAccount(reference, partition, source);
}

function githubSubject(github: { repo: string; branch?: string; environment?: string; tag?: string; ref?: string }): string {
  if (github.branch !== undefined) return `repo:${github.repo}:ref:refs/heads/${github.branch}`;
  if (github.environment !== undefined) return `repo:${github.repo}:environment:${github.environment}`;
  if (github.tag !== undefined) return `repo:${github.repo}:ref:refs/tags/${github.tag}`;
  return `repo:${github.repo}:ref:${github.ref}`;
}

function checkAudience(provider: IdentityProvider, audiences: readonly string[], source: SourceRef, diagnostics: Diagnostic[]): boolean {
  if (!provider.audiences) return true;
  const missing = audiences.filter((a) => !provider.audiences!.includes(a));
  if (missing.length === 0) return true;
  diagnostics.push(
    error(
      'oidc-audience',
      `audience ${missing.map((a) => `"${a}"`).join(', ')} is not among provider "${provider.name}"'s audiences (${provider.audiences.join(', ')}): IAM would reject every token; add it to the provider or fix the audience`,
      source,
    ),
  );
  return false;
}

function findProvider(
  name: string,
  kind: 'oidc' | 'saml',
  home: Account,
  source: SourceRef,
  directory: Directory,
  diagnostics: Diagnostic[],
): IdentityProvider | undefined {
  const provider = directory.providers.get(name);
  if (!provider) {
    if (!directory.registry.broken.providers.has(name) && !directory.registry.providers.has(name)) {
      const hint =
        didYouMean(name, directory.providers.keys()) ||
        `; declare it under providers: { name: ${name}, account: ${home.name}, ${kind === 'saml' ? 'saml: { metadata: FILE.xml }' : 'oidc: { url: https://ISSUER, audiences: [...] }'} }`;
      diagnostics.push(error('unknown-reference', `no provider named "${name}"${hint}`, source));
    }
    return undefined;
  }
  if (provider.kind !== kind) {
    diagnostics.push(
      error(
        'provider-kind',
        `provider "${name}" is ${provider.kind.toUpperCase()}, and this trust needs ${kind.toUpperCase()}: ${kind === 'saml' ? 'name a SAML provider' : 'name an OIDC provider'}, or use a ${provider.kind === 'saml' ? 'saml:' : 'oidc:'} trust entry for "${name}"`,
        source,
      ),
    );
    return undefined;
  }
  if (provider.account !== home.name) {
    diagnostics.push(
      error('provider-account', `provider "${name}" is in account ${provider.account}; a role can only trust an identity provider of its own account (${home.name}): declare one there`, source),
    );
    return undefined;
  }
  return provider;
}

function findGithubProvider(home: Account, source: SourceRef, directory: Directory, diagnostics: Diagnostic[]): IdentityProvider | undefined {
  const found = [...directory.providers.values()].filter(
    (p) => p.kind === 'oidc' && p.account === home.name && p.conditionKeyPrefix === GITHUB_ISSUER,
  );
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    diagnostics.push(error('github-provider', `account ${home.name} has several GitHub providers (${found.map((p) => p.name).join(', ')}): name one with provider:`, source));
    return undefined;
  }
  diagnostics.push(
    error(
      'github-provider-missing',
      `account ${home.name} has no OIDC provider for GitHub Actions; add under providers: { name: github, account: ${home.name}, oidc: { url: https://${GITHUB_ISSUER}, audiences: [sts.amazonaws.com] } }`,
      source,
    ),
  );
  return undefined;
}
