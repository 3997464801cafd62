import type { ConditionBlock, Grantee } from '../model/accessModel';
import type { WayIn } from './waysIn';

/**
 * A way in as data rather than words: who (PrincipalData) and under which
 * guards (WayConditions). The access report carries both next to its
 * sentences; the structured diff and its CI gates read only these.
 */

/** Who a way in lets in. `outside`: not a principal of an account this config manages. */
export type PrincipalData =
  | { readonly kind: 'user' | 'role'; readonly account: string; readonly accountId: string; readonly name: string; readonly arn: string; readonly outside: false }
  | { readonly kind: 'account'; readonly account: string; readonly accountId: string; readonly arn: string; readonly outside: boolean }
  | { readonly kind: 'service'; readonly service: string; readonly outside: true }
  | {
      readonly kind: 'web-identity';
      /** The trust kind that wrote it. */
      readonly trust: 'github' | 'oidc' | 'cognito';
      /** The provider's name (`cognito-identity.amazonaws.com` for Cognito) and ARN. */
      readonly provider: string;
      readonly providerArn: string;
      /** The token subjects admitted (StringLike patterns); part of who: another repository is another principal. */
      readonly subjects: readonly string[];
      readonly audiences: readonly string[];
      readonly outside: true;
    }
  | { readonly kind: 'saml'; readonly provider: string; readonly providerArn: string; readonly outside: true };

/** One condition as IAM writes it. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

/** The guards a way in is used under, each in its own field; what rolecall has no field for stays as written. */
export interface WayConditions {
  /** Null: no MFA asked. `enforcedBy`: the trust statement, the caller's own policy (a Deny without MFA), or both. */
  readonly mfa: { readonly maxAgeSeconds: number | null; readonly enforcedBy: readonly ('trust' | 'caller-policy')[] } | null;
  /** sts:ExternalId (not a secret, AWS says; shown as the report shows it). */
  readonly externalId: string | null;
  /** aws:CurrentTime DateLessThan: ISO-8601 instant. */
  readonly expires: string | null;
  /** aws:SourceIp ranges; empty: from anywhere. */
  readonly sourceIp: readonly string[];
  /** A service's aws:SourceAccount and aws:SourceArn; empty: on behalf of anyone. */
  readonly sourceAccount: readonly string[];
  readonly sourceArn: readonly string[];
  /** The rest of the trust statement's conditions (token audience, SAML:aud, Cognito amr ...), sorted. */
  readonly other: readonly ConditionEntry[];
  /** The conditions of the caller's own statement that allows the call (identity-policy ways). */
  readonly callerAllow: readonly ConditionEntry[];
  /** The caller's own Deny statements with conditions: the call is refused when one holds. */
  readonly deniedWhen: readonly { readonly policy: string; readonly conditions: readonly ConditionEntry[] }[];
  /** `possible`: it depends on the policies named in `unseen`, which rolecall cannot read. */
  readonly certainty: 'sure' | 'possible';
  readonly unseen: readonly string[];
}

export function principalOfWay(way: WayIn): PrincipalData {
  if (way.caller) return { ...way.caller, accountId: accountIdOf(way.caller.arn), outside: false };
  return principalOfGrantee(way.grant.grantee, way.grant.trustKind);
}

function principalOfGrantee(grantee: Grantee, trustKind: string): PrincipalData {
  switch (grantee.kind) {
    case 'user':
    case 'role':
      return { kind: grantee.kind, account: grantee.account, accountId: accountIdOf(grantee.arn), name: grantee.name, arn: grantee.arn, outside: false };
    case 'account':
      return { kind: 'account', account: grantee.account, accountId: grantee.accountId, arn: grantee.arn, outside: grantee.external };
    case 'service':
      return { kind: 'service', service: grantee.service, outside: true };
    case 'web-identity':
      return {
        kind: 'web-identity',
        trust: trustKind === 'github' ? 'github' : trustKind === 'cognito' ? 'cognito' : 'oidc',
        provider: grantee.provider,
        providerArn: grantee.providerArn,
        subjects: [...grantee.subjects].sort(),
        audiences: [...grantee.audiences].sort(),
        outside: true,
      };
    case 'saml':
      return { kind: 'saml', provider: grantee.provider, providerArn: grantee.providerArn, outside: true };
  }
}

/** `arn:PARTITION:iam::ID:...` → ID. */
function accountIdOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

const MFA_PRESENT = 'aws:MultiFactorAuthPresent';

export function conditionsOfWay(way: WayIn): WayConditions {
  const trust = entries(way.grant.conditionBlock);
  const take = (key: string) => trust.filter((c) => c.key === key);
  const values = (key: string) => [...new Set(take(key).flatMap((c) => c.values))].sort();
  const deniedWhen = way.refusedWhen
    .map((d) => ({ policy: d.policy, conditions: entries(d.statement.conditions ?? {}) }))
    .sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b)));
  const trustMfa = take(MFA_PRESENT).some((c) => c.values.includes('true'));
  // requireMfa (or any Deny whose only condition is the absence of MFA) asks for MFA from the caller's side.
  const callerMfa = deniedWhen.some((d) => d.conditions.length === 1 && d.conditions[0]!.key === MFA_PRESENT && d.conditions[0]!.values.includes('false'));
  const maxAge = take('aws:MultiFactorAuthAge')[0]?.values[0];
  const enforcedBy = [...(trustMfa ? (['trust'] as const) : []), ...(callerMfa ? (['caller-policy'] as const) : [])];
  return {
    mfa: enforcedBy.length > 0 ? { maxAgeSeconds: maxAge === undefined ? null : Number(maxAge), enforcedBy } : null,
    externalId: take('sts:ExternalId')[0]?.values[0] ?? null,
    expires: take('aws:CurrentTime').find((c) => c.operator.startsWith('DateLessThan'))?.values[0] ?? null,
    sourceIp: values('aws:SourceIp'),
    sourceAccount: values('aws:SourceAccount'),
    sourceArn: values('aws:SourceArn'),
    other: trust.filter((c) => !FIELDS.has(c.key) && !inPrincipal(way, c.key)),
    callerAllow: entries(way.allowedBy?.statement.conditions ?? {}),
    deniedWhen,
    certainty: way.certainty,
    unseen: [...way.unseen].sort(),
  };
}

/** The keys WayConditions has a field for. */
const FIELDS = new Set([MFA_PRESENT, 'aws:MultiFactorAuthAge', 'sts:ExternalId', 'aws:CurrentTime', 'aws:SourceIp', 'aws:SourceAccount', 'aws:SourceArn']);

/** A web identity's subjects and audiences are in its PrincipalData. */
function inPrincipal(way: WayIn, key: string): boolean {
  return way.grant.grantee.kind === 'web-identity' && (key.endsWith(':sub') || key.endsWith(':aud'));
}

/** A condition block as sorted entries: operator and key order carry no meaning in IAM. */
export function entries(block: ConditionBlock): ConditionEntry[] {
  return Object.entries(block)
    .flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => ({ operator, key, values: [...values].sort() })))
    .sort((a, b) => compare(a.key, b.key) || compare(a.operator, b.operator) || compare(a.values.join('\n'), b.values.join('\n')));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
