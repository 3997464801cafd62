import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamSamlProvider } from '@cdktf/provider-aws/lib/iam-saml-provider';
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { IdentityProvider } from '../src/model/accessModel';
import { terraformName } from './logicalId';
import { addNamedResource } from './namedResource';

/**
 * `aws_iam_openid_connect_provider.provider_NAME` or
 * `aws_iam_saml_provider.provider_NAME`; nothing for a provider referenced by
 * `existing:` ARN, which rolecall does not own.
 */
export function addIdentityProvider(scope: Construct, provider: IdentityProvider): TerraformResource | undefined {
  if (!provider.managed) return undefined;
  const name = terraformName('provider', provider.name);
  switch (provider.kind) {
    case 'oidc':
      return addNamedResource(scope, IamOpenidConnectProvider, name, {
        url: required(provider, 'url'),
        clientIdList: [...(provider.audiences ?? [])],
        // Optional in provider 5.100.0; without it AWS trusts the issuer by its CA.
        thumbprintList: provider.thumbprints ? [...provider.thumbprints] : undefined,
      });
    case 'saml':
      return addNamedResource(scope, IamSamlProvider, name, {
        name: provider.name,
        samlMetadataDocument: required(provider, 'samlMetadata'),
      });
  }
}

function required(provider: IdentityProvider, field: 'url' | 'samlMetadata'): string {
  const value = provider[field];
  if (value === undefined) {
    throw new Error(`model bug: managed ${provider.kind} provider ${provider.account}/${provider.name} has no ${field}`);
  }
  return value;
}
