import { at, error, warning } from '../../diagnostics/diagnostic';
import { checkAudience, findProvider, webIdentityTarget } from './identityProviders';
import { subjectFinding } from './oidcSubjects';
import { mfaNeverPresent, type TrustKindRule } from './target';

/** `oidc: { provider, audience, subject }`: any OIDC issuer, its subjects checked by what the issuer puts in them. */
export const oidcKind: TrustKindRule<'oidc'> = {
  refuses: { mfa: mfaNeverPresent('oidc') },
  targets(entry, context) {
    const oidc = entry.oidc;
    const provider = findProvider(oidc.provider, 'oidc', at(context.source, 'oidc', 'provider'), context);
    if (!provider) return [];
    const audiences = typeof oidc.audience === 'string' ? [oidc.audience] : oidc.audience;
    const subjects = typeof oidc.subject === 'string' ? [oidc.subject] : oidc.subject;
    if (!checkAudience(provider, audiences, at(context.source, 'oidc', 'audience'), context)) return [];
    let refused = false;
    subjects.forEach((subject, index) => {
      const finding = subjectFinding(provider.conditionKeyPrefix!, subject);
      if (!finding) return;
      const where = typeof oidc.subject === 'string' ? at(context.source, 'oidc', 'subject') : at(context.source, 'oidc', 'subject', index);
      context.report(finding.severity === 'error' ? error('oidc-subject', finding.message, where) : warning('oidc-subject', finding.message, where));
      refused ||= finding.severity === 'error';
    });
    if (refused) return [];
    return [webIdentityTarget('oidc', provider, audiences, subjects, at(context.source, 'oidc'))];
  },
};
