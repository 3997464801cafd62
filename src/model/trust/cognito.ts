import { at, warning } from '../../diagnostics/diagnostic';
import { mfaNeverPresent, NO_ORDER, type TrustKindRule } from './target';

const COGNITO = 'cognito-identity.amazonaws.com';

/** `cognito: { identityPool }`: the pool as aud, its authenticated (or guest) identities by amr. */
export const cognitoKind: TrustKindRule<'cognito'> = {
  refuses: { mfa: mfaNeverPresent('cognito') },
  targets(entry, context) {
    const authenticated = entry.cognito.authenticated ?? true;
    if (!authenticated) {
      context.report(
        warning(
          'cognito-guests',
          'authenticated: false lets unauthenticated guests of the identity pool assume this role: keep its permissions to what anyone on the internet may do',
          at(context.source, 'cognito', 'authenticated'),
        ),
      );
    }
    return [
      {
        kind: 'cognito',
        grantee: { kind: 'web-identity', provider: COGNITO, providerArn: COGNITO, subjects: [], audiences: [entry.cognito.identityPool] },
        principal: { type: 'Federated', value: COGNITO },
        action: 'sts:AssumeRoleWithWebIdentity',
        conditions: {
          StringEquals: { [`${COGNITO}:aud`]: [entry.cognito.identityPool] },
          'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: [authenticated ? 'authenticated' : 'unauthenticated'] },
        },
        ...NO_ORDER,
        source: at(context.source, 'cognito'),
      },
    ];
  },
};
