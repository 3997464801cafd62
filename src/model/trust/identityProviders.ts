import { error, type SourceRef } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import type { Account, IdentityProvider, PrincipalKey } from '../accessModel';
import type { TrustContext, TrustTarget } from './target';

export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/** The provider a saml: or oidc: entry names, if it is of that kind and in the role's own account. */
export function findProvider(name: string, kind: 'oidc' | 'saml', source: SourceRef, context: TrustContext): IdentityProvider | undefined {
  const { directory } = context;
  const home = context.role.account;
  const provider = directory.providers.get(name);
  if (!provider) {
    if (!directory.registry.broken.providers.has(name) && !directory.registry.providers.has(name)) {
      const hint =
        didYouMean(name, directory.providers.keys()) ||
        `; declare it under providers: { name: ${name}, account: ${home.name}, ${kind === 'saml' ? 'saml: { metadata: FILE.xml }' : 'oidc: { url: https://ISSUER, audiences: [...] }'} }`;
      context.report(error('unknown-reference', `no provider named "${name}"${hint}`, source));
    }
    return undefined;
  }
  if (provider.kind !== kind) {
    context.report(
      error(
        'provider-kind',
        `provider "${name}" is ${provider.kind.toUpperCase()}, and this trust needs ${kind.toUpperCase()}: ${kind === 'saml' ? 'name a SAML provider' : 'name an OIDC provider'}, or use a ${provider.kind === 'saml' ? 'saml:' : 'oidc:'} trust entry for "${name}"`,
        source,
      ),
    );
    return undefined;
  }
  if (provider.account !== home.name) {
    context.report(
      error('provider-account', `provider "${name}" is in account ${provider.account}; a role can only trust an identity provider of its own account (${home.name}): declare one there`, source),
    );
    return undefined;
  }
  return provider;
}

/** A github: entry without provider: the one GitHub Actions provider of the role's account. */
export function findGithubProvider(home: Account, source: SourceRef, context: TrustContext): IdentityProvider | undefined {
  const found = [...context.directory.providers.values()].filter(
    (p) => p.kind === 'oidc' && p.account === home.name && p.conditionKeyPrefix === GITHUB_ISSUER,
  );
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    context.report(error('github-provider', `account ${home.name} has several GitHub providers (${found.map((p) => p.name).join(', ')}): name one with provider:`, source));
    return undefined;
  }
  context.report(
    error(
      'github-provider-missing',
      `account ${home.name} has no OIDC provider for GitHub Actions; add under providers: { name: github, account: ${home.name}, oidc: { url: https://${GITHUB_ISSUER}, audiences: [sts.amazonaws.com] } }`,
      source,
    ),
  );
  return undefined;
}

/** IAM rejects every token whose aud the provider does not list. */
export function checkAudience(provider: IdentityProvider, audiences: readonly string[], source: SourceRef, context: TrustContext): boolean {
  if (!provider.audiences) return true;
  const missing = audiences.filter((a) => !provider.audiences!.includes(a));
  if (missing.length === 0) return true;
  context.report(
    error(
      'oidc-audience',
      `audience ${missing.map((a) => `"${a}"`).join(', ')} is not among provider "${provider.name}"'s audiences (${provider.audiences.join(', ')}): IAM would reject every token; add it to the provider or fix the audience`,
      source,
    ),
  );
  return false;
}

/** A provider rolecall creates must exist before the role whose trust names it. */
export function providerOrder(provider: IdentityProvider): PrincipalKey[] {
  return provider.managed ? [{ kind: 'provider', account: provider.account, name: provider.name }] : [];
}

/** An OIDC provider's target: its ARN as Federated principal, its aud and sub keys. */
export function webIdentityTarget(
  kind: 'github' | 'oidc',
  provider: IdentityProvider,
  audiences: readonly string[],
  subjects: readonly string[],
  source: SourceRef,
): TrustTarget {
  const prefix = provider.conditionKeyPrefix!;
  const subjectOperator = subjects.some((s) => /[*?]/.test(s)) ? 'StringLike' : 'StringEquals';
  const conditions: Record<string, Record<string, string[]>> = { StringEquals: { [`${prefix}:aud`]: [...audiences] } };
  conditions[subjectOperator] = { ...(conditions[subjectOperator] ?? {}), [`${prefix}:sub`]: [...subjects] };
  return {
    kind,
    grantee: { kind: 'web-identity', provider: provider.name, providerArn: provider.arn, subjects: [...subjects], audiences: [...audiences] },
    principal: { type: 'Federated', value: provider.arn },
    action: 'sts:AssumeRoleWithWebIdentity',
    conditions,
    createAfter: providerOrder(provider),
    dependsOnAccounts: [],
    source,
  };
}
