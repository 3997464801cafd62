import { at, error, type Diagnostic } from '../diagnostics/diagnostic';
import type { ProviderConfig } from '../schema/configSchema';
import { acceptancesOf } from './acceptances';
import type { IdentityProvider } from './accessModel';
import { oidcHost, oidcProviderArn, samlProviderArn } from './arns';
import type { Placed, Registry } from './registry';

/** A SAML metadata file as the pipeline read it, or why it did not (`outside` includes missing: see readBeside). */
export type Attachment = { readonly text: string } | { readonly refused: 'outside' | 'not-a-file' | 'too-large' | 'unreadable' };

/** SAML metadata read by the pipeline, keyed by attachmentKey(). */
export type Attachments = ReadonlyMap<string, Attachment>;

export function attachmentKey(configFile: string, relative: string): string {
  return `${configFile}\u0000${relative}`;
}

// aws_iam_saml_provider accepts a document of 1,000 to 10,000,000 characters.
const SAML_MIN = 1000;
export const SAML_MAX_CHARACTERS = 10_000_000;

export function resolveProviders(
  registry: Registry,
  absolutePaths: ReadonlyMap<string, string>,
  attachments: Attachments,
  diagnostics: Diagnostic[],
): Map<string, IdentityProvider> {
  const resolved = new Map<string, IdentityProvider>();
  const urls = new Map<string, Placed<ProviderConfig>>();
  for (const placed of registry.providers.values()) {
    const provider = resolveProvider(placed, absolutePaths, attachments, diagnostics);
    if (!provider) continue;
    if (provider.kind === 'oidc') {
      const key = `${provider.account}|${provider.conditionKeyPrefix}`;
      const earlier = urls.get(key);
      if (earlier) {
        diagnostics.push({
          severity: 'error',
          rule: 'duplicate-provider',
          message: `account ${provider.account} already has a provider for ${provider.url ?? provider.conditionKeyPrefix} ("${earlier.value.name}"); IAM allows one provider per issuer URL and account: keep one`,
          source: at(placed.source, placed.value.oidc ? 'oidc' : 'existing'),
          related: at(earlier.source, 'name'),
        });
        continue;
      }
      urls.set(key, placed);
    }
    resolved.set(provider.name, provider);
  }
  return resolved;
}

function resolveProvider(
  placed: Placed<ProviderConfig>,
  absolutePaths: ReadonlyMap<string, string>,
  attachments: Attachments,
  diagnostics: Diagnostic[],
): IdentityProvider | undefined {
  const { value, account, source } = placed;
  const base = { name: value.name, account: account.name, ...acceptancesOf(placed), ...(value.adopt ? { adopt: true as const } : {}), source };
  if (value.oidc) {
    return {
      ...base,
      kind: 'oidc',
      managed: true,
      arn: oidcProviderArn(account.partition, account.id, value.oidc.url),
      url: value.oidc.url,
      conditionKeyPrefix: oidcHost(value.oidc.url),
      // Sorted: reordering the YAML list changes nothing emitted.
      audiences: [...new Set(value.oidc.audiences)].sort(),
      ...(value.oidc.thumbprints ? { thumbprints: value.oidc.thumbprints.map((t) => t.toLowerCase()) } : {}),
    };
  }
  if (value.saml) {
    const key = attachmentKey(absolutePaths.get(source.file) ?? source.file, value.saml.metadata);
    const attachment = attachments.get(key) ?? { refused: 'unreadable' };
    const where = at(source, 'saml', 'metadata');
    if ('refused' in attachment) {
      diagnostics.push(error('saml-metadata', unreadableMetadata(value.saml.metadata, attachment.refused), where));
      return undefined;
    }
    const metadata = attachment.text;
    if (!/<(?:\w+:)?EntityDescriptor[\s>]/.test(metadata) || metadata.length < SAML_MIN || metadata.length > SAML_MAX_CHARACTERS) {
      diagnostics.push(error('saml-metadata', `"${value.saml.metadata}" is not SAML metadata: IAM expects the identity provider's EntityDescriptor XML (1,000 characters or more)`, where));
      return undefined;
    }
    return { ...base, kind: 'saml', managed: true, arn: samlProviderArn(account.partition, account.id, value.name), samlMetadata: metadata };
  }
  const arn = value.existing!;
  const match = /^arn:[^:]+:iam::(\d{12}):(saml-provider|oidc-provider)\/(.+)$/.exec(arn)!;
  const [, accountId, type, rest] = match;
  if (arn.split(':')[1] !== account.partition) {
    diagnostics.push(error('partition-mismatch', `this ARN is in partition ${arn.split(':')[1]}, and account ${account.name} in ${account.partition}`, at(source, 'existing')));
    return undefined;
  }
  if (accountId !== account.id) {
    diagnostics.push(
      error('provider-account', `this ARN is in account ${accountId}, but the provider is declared in ${account.name} (${account.id}); a role trusts providers of its own account only`, at(source, 'existing')),
    );
    return undefined;
  }
  return type === 'saml-provider'
    ? { ...base, kind: 'saml', managed: false, arn }
    : { ...base, kind: 'oidc', managed: false, arn, conditionKeyPrefix: rest! };
}

function unreadableMetadata(file: string, refused: Extract<Attachment, { refused: unknown }>['refused']): string {
  switch (refused) {
    case 'outside':
      // The same words whether or not the file exists: a pull request must not probe the runner's files.
      return `no SAML metadata file "${file}" inside the config directory: name a file relative to this YAML file that stays inside the config directory (no absolute path, no ../ or link out of it); download it from the identity provider and put it there`;
    case 'not-a-file':
      return `"${file}" is not a regular file: download the SAML metadata from the identity provider and save it there as a file`;
    case 'too-large':
      return `"${file}" is larger than 10,000,000 bytes, more than IAM accepts for SAML metadata: download the identity provider's metadata document itself`;
    case 'unreadable':
      return `cannot read the SAML metadata file "${file}" (check its permissions); download it from the identity provider and put it there`;
  }
}
