import { at, error, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { ExpectConfig, ExpectOutcomeConfig, WhoConfig } from '../schema/expectSchema';
import type { Entry } from '../schema/validateDocument';
import type { IdentityProvider } from './accessModel';
import { matchActions, type ActionCatalog } from './actionCatalog';
import type { ExpectedAccess, ExpectedWho, Expectation } from './expectation';
import { principalKey, referenceKey } from './registry';
import { resolveAction } from './permissions';
import { GITHUB_ISSUER } from './trust/identityProviders';
import { githubSubject } from './trust/github';
import type { Directory } from './trust/target';

const COGNITO = 'cognito-identity.amazonaws.com';

/**
 * `expect:` entries → expectations, every reference checked here (an
 * unknown user, role, account or provider is an error at its value) and
 * every action expanded over the catalog, so that the analysers decide
 * them on plain data. An entry with a broken reference is left out.
 */
export function resolveExpectations(
  entries: readonly Entry<ExpectConfig>[],
  directory: Directory,
  catalog: ActionCatalog,
  diagnostics: Diagnostic[],
): Expectation[] {
  return entries.flatMap((entry) => {
    const { value, source } = entry;
    const must = value.can !== undefined ? 'can' : 'cannot';
    const who = resolveWho(value.who, at(source, 'who'), directory, diagnostics);
    const what = resolveAccess(value[must]!, at(source, must), directory, catalog, diagnostics);
    if (!who || !what) return [];
    return [{ who, must, what, ...(value.reason !== undefined ? { reason: value.reason } : {}), source }];
  });
}

function resolveWho(who: WhoConfig, source: SourceRef, directory: Directory, diagnostics: Diagnostic[]): ExpectedWho | undefined {
  const { registry } = directory;
  const report = (where: SourceRef, message: string) => {
    diagnostics.push(error('unknown-reference', message, where));
    return undefined;
  };
  if ('user' in who) return principal('user', who.user, at(source, 'user'), directory, diagnostics);
  if ('role' in who) return principal('role', who.role, at(source, 'role'), directory, diagnostics);
  if ('group' in who) return group(who.group, at(source, 'group'), directory, diagnostics);
  if ('account' in who) {
    const named = registry.accounts.get(who.account) ?? registry.accountsById.get(who.account);
    if (named) return { kind: 'account', account: named.name, accountId: named.id };
    // A 12-digit id no entry declares is an external account, as in trust entries.
    if (/^\d{12}$/.test(who.account)) return { kind: 'account', account: who.account, accountId: who.account };
    if (registry.broken.accounts.has(who.account)) return undefined;
    return report(at(source, 'account'), `no account named "${who.account}"${didYouMean(who.account, registry.accounts.keys())}`);
  }
  if ('service' in who) return { kind: 'service', service: who.service };
  if ('github' in who) {
    const github = who.github;
    const where = at(source, 'github', github.provider !== undefined ? 'provider' : 'repo');
    const providers = github.provider !== undefined
      ? [provider(github.provider, 'oidc', where, directory, diagnostics)].filter((p) => p !== undefined)
      : [...directory.providers.values()].filter((p) => p.kind === 'oidc' && p.conditionKeyPrefix === GITHUB_ISSUER);
    if (providers.length === 0) {
      return github.provider !== undefined
        ? undefined
        : report(where, `no OIDC provider for GitHub Actions (https://${GITHUB_ISSUER}) is declared, so GitHub cannot sign in anywhere: add one under providers:, or delete this expectation`);
    }
    return {
      kind: 'web-identity',
      trustKind: 'github',
      providerArns: providers.map((p) => p.arn),
      subjects: [githubSubject(github)],
      audiences: [github.audience ?? 'sts.amazonaws.com'],
    };
  }
  if ('oidc' in who) {
    const found = provider(who.oidc.provider, 'oidc', at(source, 'oidc', 'provider'), directory, diagnostics);
    if (!found) return undefined;
    const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
    return { kind: 'web-identity', trustKind: 'oidc', providerArns: [found.arn], subjects: list(who.oidc.subject), audiences: list(who.oidc.audience) };
  }
  if ('cognito' in who) {
    const amr = who.cognito.authenticated === false ? 'unauthenticated' : 'authenticated';
    return { kind: 'web-identity', trustKind: 'cognito', providerArns: [COGNITO], subjects: [], audiences: [who.cognito.identityPool], amr };
  }
  if ('saml' in who) {
    const found = provider(who.saml.provider, 'saml', at(source, 'saml', 'provider'), directory, diagnostics);
    return found ? { kind: 'saml', provider: found.name, providerArn: found.arn } : undefined;
  }
  const accounts = who.outside.map((name, index) => {
    const account = registry.accounts.get(name);
    if (!account && !registry.broken.accounts.has(name)) report(at(source, 'outside', index), `no account named "${name}"${didYouMean(name, registry.accounts.keys())}`);
    return account;
  });
  if (accounts.some((a) => a === undefined)) return undefined;
  return { kind: 'outside', accounts: accounts.map((a) => ({ name: a!.name, id: a!.id })) };
}

/** A group of the config, by `account/name` (or a bare name with one account of its own). */
function group(reference: string, source: SourceRef, directory: Directory, diagnostics: Diagnostic[]): ExpectedWho | undefined {
  const { registry } = directory;
  const home = registry.defaultAccount?.name;
  if (home === undefined && !reference.includes('/')) {
    diagnostics.push(error('unknown-reference', `write group: ACCOUNT/${reference}: more than one account is declared, so a bare name says nothing about which`, source));
    return undefined;
  }
  const { account, name } = referenceKey(reference, home ?? '');
  const found = directory.groups.get(principalKey(account, name));
  if (found) return { kind: 'group', account, name, members: found.members.map((m) => m.name) };
  if (registry.broken.accounts.has(account)) return undefined;
  const names = [...directory.groups.keys()];
  diagnostics.push(error('unknown-reference', `no group named "${account}/${name}"${didYouMean(`${account}/${name}`, names)}`, source));
  return undefined;
}

/** `account/name`, or a bare name when the config has one account of its own. */
function principal(kind: 'user' | 'role', reference: string, source: SourceRef, directory: Directory, diagnostics: Diagnostic[]): ExpectedWho | undefined {
  const key = principalReference(kind, reference, source, directory, diagnostics);
  return key && { kind, ...key };
}

function principalReference(kind: 'user' | 'role', reference: string, source: SourceRef, directory: Directory, diagnostics: Diagnostic[]) {
  const { registry } = directory;
  const home = registry.defaultAccount?.name;
  if (home === undefined && !reference.includes('/')) {
    diagnostics.push(error('unknown-reference', `write ${kind}: ACCOUNT/${reference}: more than one account is declared, so a bare name says nothing about which`, source));
    return undefined;
  }
  const { account, name } = referenceKey(reference, home ?? '');
  const key = principalKey(account, name);
  const arns = kind === 'user' ? directory.userArns : directory.roleArns;
  const arn = arns.get(key);
  if (arn !== undefined) return { account, name, arn };
  const broken = kind === 'user' ? registry.broken.users : registry.broken.roles;
  if (broken.has(key) || registry.broken.accounts.has(account)) return undefined;
  const other = kind === 'user' ? directory.roleArns : directory.userArns;
  const hint = other.has(key)
    ? `, but there is a ${kind === 'user' ? 'role' : 'user'}: write ${kind === 'user' ? 'role' : 'user'}: ${reference}`
    : didYouMean(key, arns.keys());
  diagnostics.push(error('unknown-reference', `no ${kind} "${name}" in account ${account}${hint}`, source));
  return undefined;
}

function provider(name: string, kind: 'oidc' | 'saml', source: SourceRef, directory: Directory, diagnostics: Diagnostic[]): IdentityProvider | undefined {
  const found = directory.providers.get(name);
  if (found?.kind === kind) return found;
  if (found) {
    diagnostics.push(error('provider-kind', `provider "${name}" is ${found.kind.toUpperCase()}, not ${kind.toUpperCase()}`, source));
  } else if (!directory.registry.broken.providers.has(name) && !directory.registry.providers.has(name)) {
    diagnostics.push(error('unknown-reference', `no provider named "${name}"${didYouMean(name, directory.providers.keys())}`, source));
  }
  return undefined;
}

function resolveAccess(outcome: ExpectOutcomeConfig, source: SourceRef, directory: Directory, catalog: ActionCatalog, diagnostics: Diagnostic[]): ExpectedAccess | undefined {
  if (outcome.assume !== undefined) {
    const role = principalReference('role', outcome.assume, at(source, 'assume'), directory, diagnostics);
    return role && { kind: 'assume', role };
  }
  const written = typeof outcome.do === 'string' ? [outcome.do] : outcome.do!;
  const where = (index: number) => (typeof outcome.do === 'string' ? at(source, 'do') : at(source, 'do', index));
  const resolved = written.map((action, index) => resolveAction(action, catalog, where(index), diagnostics));
  if (resolved.some((a) => a === undefined)) return undefined;
  const resources = typeof outcome.on === 'string' ? [outcome.on] : outcome.on!;
  return { kind: 'do', written: resolved as string[], actions: expand(resolved as string[], catalog), resources };
}

/** Every concrete action the patterns match; `*` alone, every action of the services loaded (those the config names, and s3, sts, iam). */
function expand(patterns: readonly string[], catalog: ActionCatalog): string[] {
  const actions = new Set<string>();
  for (const pattern of patterns) {
    const services = pattern === '*' ? [...catalog.services] : [pattern.slice(0, pattern.indexOf(':'))];
    for (const service of services) {
      const matched = pattern === '*' ? catalog.actions(service) : matchActions(catalog, pattern);
      for (const action of matched ?? []) actions.add(`${service}:${action.name}`);
    }
  }
  return [...actions].sort();
}
