import type { Diagnostic, SourceRef } from '../../diagnostics/diagnostic';
import type { RoleConfig } from '../../schema/configSchema';
import type { TrustEntryConfig } from '../../schema/trustSchema';
import type { TrustKindKey } from '../../schema/trustKinds';
import type { ConditionBlock, Grantee, IdentityProvider, PrincipalKey, TrustKind } from '../accessModel';
import type { GroupEntry } from '../groups';
import type { Placed, Registry } from '../registry';

/** What resolve needs to know of every principal and provider before it reads trust. */
export interface Directory {
  readonly registry: Registry;
  readonly userArns: ReadonlyMap<string, string>;
  readonly roleArns: ReadonlyMap<string, string>;
  /** Groups with their members resolved, by `account/name`. */
  readonly groups: ReadonlyMap<string, GroupEntry>;
  readonly providers: ReadonlyMap<string, IdentityProvider>;
}

/** The trust entry of kind K, e.g. EntryOf<'saml'> is `{ saml: { provider }, mfa?, ... }`. */
export type EntryOf<K extends TrustKindKey> = K extends TrustKindKey ? Extract<TrustEntryConfig, Record<K, unknown>> : never;

/** What a kind may read while it turns one entry into targets, and where it reports findings. */
export interface TrustContext {
  /** The role whose trust is being read. */
  readonly role: Placed<RoleConfig>;
  readonly directory: Directory;
  /** The trust entry itself. */
  readonly source: SourceRef;
  report(diagnostic: Diagnostic): void;
}

export type TrustAction = 'sts:AssumeRole' | 'sts:AssumeRoleWithWebIdentity' | 'sts:AssumeRoleWithSAML';

/** One principal a trust entry lets in, before the entry's guards are applied. */
export interface TrustTarget {
  readonly kind: TrustKind;
  readonly grantee: Grantee;
  readonly principal: { readonly type: 'AWS' | 'Service' | 'Federated'; readonly value: string };
  readonly action: TrustAction;
  /** The kind's own conditions (external id, aud and sub, SAML:aud, source account). */
  readonly conditions: ConditionBlock;
  readonly externalId?: string;
  /** A `group:` trust: the group the member comes in through (it holds the caller's side). */
  readonly group?: { readonly account: string; readonly name: string; readonly arn: string };
  /** Same-account principals and providers the role must be created after (IAM refuses unknown principals). */
  readonly createAfter: readonly PrincipalKey[];
  /** Other managed accounts whose stacks must deploy first. */
  readonly dependsOnAccounts: readonly string[];
  readonly source: SourceRef;
}

/** A guard that can never hold for a kind's sessions: the finding that says so. */
export interface GuardRefusal {
  readonly rule: string;
  readonly message: string;
}

export type GuardKey = 'mfa' | 'sourceIp';

/**
 * One trust kind: how its entries become targets, and which guards its
 * sessions could ever satisfy (data, so the guard code needs no `if` per kind).
 */
export interface TrustKindRule<K extends TrustKindKey> {
  readonly refuses: Readonly<Partial<Record<GuardKey, GuardRefusal>>>;
  targets(entry: EntryOf<K>, context: TrustContext): TrustTarget[];
}

/** The standard refusal of `mfa` for sessions that never carry aws:MultiFactorAuthPresent. */
export function mfaNeverPresent(kind: TrustKindKey): GuardRefusal {
  return {
    rule: 'mfa-not-applicable',
    message: `mfa applies to IAM users and roles; a ${kind} sign-in never carries aws:MultiFactorAuthPresent, so this trust could never be used. Enforce MFA in the identity provider and remove mfa here`,
  };
}

/** A target with nothing to order after: the kinds that name no managed principal of the config. */
export const NO_ORDER = { createAfter: [], dependsOnAccounts: [] } as const;
