import { at, error, warning, type SourceRef } from '../../diagnostics/diagnostic';
import type { TrustEntryConfig } from '../../schema/trustSchema';
import type { ConditionBlock, GrantConditions } from '../accessModel';
import { durationSeconds, instant, isoInstant } from '../duration';
import type { GuardKey, GuardRefusal, TrustContext } from './target';

const SOON_MS = 7 * 24 * 3600 * 1000;

/** An entry's guard conditions, the same for every target it yields. */
export interface Guards {
  readonly conditions: GrantConditions;
  /** Written into the trust statement and, where rolecall writes it, the caller's policy. */
  readonly shared: ConditionBlock;
}

/**
 * The guards of one entry (mfa, expires, sourceIp, tagSession), or undefined
 * when one can never hold (a kind's sessions never carry it) or has expired.
 */
/** The longest any STS session lasts (GetSessionToken, 36 h): an older MFA sign-in holds no session. */
const MAX_MFA_AGE = 129_600;

export function resolveGuards(
  entry: TrustEntryConfig,
  refuses: Readonly<Partial<Record<GuardKey, GuardRefusal>>>,
  now: Date,
  context: Pick<TrustContext, 'source' | 'report'>,
): Guards | undefined {
  const { source } = context;
  const shared: Record<string, Record<string, string[]>> = {};
  const conditions: { -readonly [K in keyof GrantConditions]: GrantConditions[K] } = { tagSession: entry.tagSession ?? false };
  let ok = true;
  const refuse = (guard: GuardKey, refusal: GuardRefusal) => {
    context.report(error(refusal.rule, refusal.message, at(source, guard)));
    ok = false;
  };
  if (entry.mfa !== undefined && entry.mfa !== false) {
    if (refuses.mfa) {
      refuse('mfa', refuses.mfa);
    } else {
      shared['Bool'] = { 'aws:MultiFactorAuthPresent': ['true'] };
      if (typeof entry.mfa === 'object') {
        const seconds = durationSeconds(entry.mfa.maxAge);
        if (seconds < 1 || seconds > MAX_MFA_AGE) {
          // NumericLessThan 0 lets no session in; past 36 h no session lives that long.
          context.report(
            error('invalid-value', `mfa.maxAge is ${seconds} s: give 1s to 36h (129600 s), how long ago the MFA sign-in may be`, at(source, 'mfa', 'maxAge')),
          );
          ok = false;
        }
        shared['NumericLessThan'] = { 'aws:MultiFactorAuthAge': [String(seconds)] };
        conditions.mfa = { maxAgeSeconds: seconds };
      } else {
        conditions.mfa = {};
      }
    }
  }
  if (entry.expires !== undefined) {
    const expiry = expiryGuard(entry.expires, now, source, context.report);
    if (expiry === undefined) {
      ok = false;
    } else {
      shared['DateLessThan'] = { 'aws:CurrentTime': [expiry] };
      conditions.expires = expiry;
    }
  }
  if (entry.sourceIp !== undefined) {
    if (refuses.sourceIp) {
      refuse('sourceIp', refuses.sourceIp);
    } else {
      shared['IpAddress'] = { 'aws:SourceIp': [...entry.sourceIp] };
      conditions.sourceIp = [...entry.sourceIp];
    }
  }
  return ok ? { shared, conditions } : undefined;
}

/** The expiry instant, or undefined (with an error) once it has passed; a warning within a week of it. */
function expiryGuard(expires: string, now: Date, source: SourceRef, report: TrustContext['report']): string | undefined {
  const when = instant(expires);
  if (when.getTime() <= now.getTime()) {
    report(error('expired-grant', `this grant expired on ${isoInstant(when)}; delete the entry (IAM would keep an expired grant as dead weight)`, at(source, 'expires')));
    return undefined;
  }
  if (when.getTime() - now.getTime() < SOON_MS) {
    report(warning('expires-soon', `this grant expires on ${isoInstant(when)}, within 7 days: extend it or plan its removal`, at(source, 'expires')));
  }
  return isoInstant(when);
}
