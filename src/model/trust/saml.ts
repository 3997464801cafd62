import { at } from '../../diagnostics/diagnostic';
import { samlAudience } from '../arns';
import { findProvider, providerOrder } from './identityProviders';
import { mfaNeverPresent, type TrustKindRule } from './target';

/** `saml: { provider }`: AssumeRoleWithSAML, checked against the AWS sign-in endpoint of the partition. */
export const samlKind: TrustKindRule<'saml'> = {
  refuses: { mfa: mfaNeverPresent('saml') },
  targets(entry, context) {
    const provider = findProvider(entry.saml.provider, 'saml', at(context.source, 'saml', 'provider'), context);
    if (!provider) return [];
    return [
      {
        kind: 'saml',
        grantee: { kind: 'saml', provider: provider.name, providerArn: provider.arn },
        principal: { type: 'Federated', value: provider.arn },
        action: 'sts:AssumeRoleWithSAML',
        conditions: { StringEquals: { 'SAML:aud': [samlAudience(context.role.account.partition)] } },
        createAfter: providerOrder(provider),
        dependsOnAccounts: [],
        source: at(context.source, 'saml'),
      },
    ];
  },
};
