import { at, error } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import { mfaNeverPresent, NO_ORDER, type TrustKindRule } from './target';

/** `service: x.amazonaws.com`: an AWS service, guarded by sourceAccount / sourceArn (the confused deputy). */
export const serviceKind: TrustKindRule<'service'> = {
  refuses: {
    mfa: mfaNeverPresent('service'),
    sourceIp: {
      rule: 'source-ip-not-applicable',
      message: 'an AWS service calls from inside AWS, not from your addresses, so sourceIp would never match: guard a service trust with sourceAccount or sourceArn instead',
    },
  },
  targets(entry, context) {
    const { registry } = context.directory;
    const conditions: Record<string, Record<string, string[]>> = {};
    if (entry.sourceAccount !== undefined) {
      const id = /^\d{12}$/.test(entry.sourceAccount) ? entry.sourceAccount : registry.accounts.get(entry.sourceAccount)?.id;
      if (id === undefined) {
        context.report(
          error('unknown-reference', `no account named "${entry.sourceAccount}"${didYouMean(entry.sourceAccount, registry.accounts.keys())}`, at(context.source, 'sourceAccount')),
        );
        return [];
      }
      conditions['StringEquals'] = { 'aws:SourceAccount': [id] };
    }
    if (entry.sourceArn !== undefined) conditions['ArnLike'] = { 'aws:SourceArn': [entry.sourceArn] };
    return [
      {
        kind: 'service',
        grantee: { kind: 'service', service: entry.service },
        principal: { type: 'Service', value: entry.service },
        action: 'sts:AssumeRole',
        conditions,
        ...NO_ORDER,
        source: at(context.source, 'service'),
      },
    ];
  },
};
