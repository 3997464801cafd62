import type { SourceRef } from '../diagnostics/diagnostic';
import type { Expectation } from './expectation';

/**
 * The resolved access model: plain data, everything an emitter or an
 * analyser needs, nothing that needs the YAML or zod to read. Every element
 * carries the SourceRef of the YAML that caused it.
 *
 * Arrays are sorted (accounts, principals and policies by name; statements
 * canonically), so that output built from the model is deterministic.
 */
export interface AccessModel {
  readonly accounts: readonly Account[];
  readonly providers: readonly IdentityProvider[];
  readonly users: readonly User[];
  readonly roles: readonly Role[];
  /** IAM groups: each member's permissions are its own plus its groups'. */
  readonly groups: readonly Group[];
  /** Every trust entry, resolved: who may assume which role under which conditions. */
  readonly grants: readonly Grant[];
  /** One per non-external account (two for a split one, principals first), in account order: what each deployment unit (a CDKTF stack) holds. */
  readonly stacks: readonly AccountStack[];
  /** `state:`, where every stack keeps its Terraform state; absent: local state files. */
  readonly state?: StateBackend;
  /** `expect:` entries, in file and YAML order. */
  readonly expectations: readonly Expectation[];
}

/**
 * Remote state for every stack. `key` and `workspace` are templates: each
 * stack replaces `{account}` with its own name (stackState in state.ts).
 */
export type StateBackend =
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly key: string;
      /** The role the backend assumes to read and write the state. */
      readonly roleArn?: string;
      readonly source: SourceRef;
    }
  | {
      readonly kind: 'cloud';
      readonly organization: string;
      readonly workspace: string;
      /** Terraform Enterprise; absent: HCP Terraform (app.terraform.io). */
      readonly hostname?: string;
      readonly source: SourceRef;
    };

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface Account {
  readonly name: string;
  readonly id: string;
  readonly region: string;
  readonly partition: Partition;
  /** Outside this config's control: no stack, only a trust source. */
  readonly external: boolean;
  /** Declared in `accounts:`, or only named by id in a trust entry. */
  readonly declared: boolean;
  /** `deployRole:`, the role this account's stack is deployed through. */
  readonly deployRoleArn?: string;
  readonly source: SourceRef;
}

/** What a stack creates of its account's IAM: the principals and providers of these kinds. */
export type StackHolding = PrincipalKey['kind'] | 'group';

/**
 * One deployment unit (a CDKTF stack). Most accounts have one stack, named
 * after the account, holding everything. An account in a deploy cycle with
 * another account (users trusted by the other's roles, roles trusting the
 * other's principals) is split in two: `ACCOUNT-principals` (its users) and
 * `ACCOUNT` (its roles and identity providers). See deployOrder.ts.
 */
export interface AccountStack {
  /** The stack's name: in manifest.json, its folder under stacks/, its state. */
  readonly name: string;
  readonly account: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
  /** The kinds of the account's principals and providers this stack creates. */
  readonly holds: readonly StackHolding[];
  /** Stacks (by name) that must deploy first: they create principals this stack's trust documents name. */
  readonly dependsOn: readonly string[];
  /** The role the stack's AWS provider assumes (`deployRole:`); absent: the caller's own credentials. */
  readonly deployRoleArn?: string;
  readonly source: SourceRef;
}

export type ProviderKind = 'oidc' | 'saml';

export interface IdentityProvider {
  readonly name: string;
  readonly account: string;
  readonly kind: ProviderKind;
  readonly arn: string;
  /** Created by rolecall (false: referenced by `existing:` ARN). */
  readonly managed: boolean;
  /** OIDC: the issuer URL without `https://`, the prefix of its condition keys. */
  readonly conditionKeyPrefix?: string;
  /** OIDC: the full issuer URL. */
  readonly url?: string;
  readonly audiences?: readonly string[];
  readonly thumbprints?: readonly string[];
  /** SAML: the metadata document's text. */
  readonly samlMetadata?: string;
  /** `adopt: true`: it exists in AWS already; the first deploy imports it. Absent: rolecall creates it. */
  readonly adopt?: true;
  /** Security findings about this provider accepted on purpose (`accept:`); absent: none. */
  readonly accepts?: readonly Acceptance[];
  readonly source: SourceRef;
}

/**
 * One `accept:` item: a security finding about its entry taken on purpose.
 * The model only carries it; the analysers match it against the findings.
 */
export interface Acceptance {
  /** The rule id it accepts (whether that is a security rule is checked against the rules, not here). */
  readonly rule: string;
  readonly reason: string;
  readonly ticket?: string;
  /** ISO-8601 instant; after it the acceptance no longer applies. */
  readonly expires?: string;
  /** The `accept:` item. */
  readonly source: SourceRef;
}

/** `StringEquals` → `aws:SourceAccount` → values. Operator and key order is not significant. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  /** From AWS managed policies' documents, or a statement's `notResources:`. */
  readonly notResources?: readonly string[];
  readonly principals?: Principals;
  readonly conditions?: ConditionBlock;
  readonly source: SourceRef;
}

export interface Principals {
  readonly AWS?: readonly string[];
  readonly Service?: readonly string[];
  readonly Federated?: readonly string[];
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

export interface InlinePolicy {
  /** The inline policy name in IAM, e.g. `rolecall-assume-roles`. */
  readonly name: string;
  readonly document: PolicyDocument;
  /** Canonical JSON as emitted (sorted keys, stable order). */
  readonly json: string;
  readonly source: SourceRef;
}

export interface ManagedPolicyAttachment {
  readonly arn: string;
  /**
   * AWS managed (aws partition): the latest published document, canonical, its
   * statements sourced at the attachment. Absent for customer managed policies,
   * which rolecall cannot see.
   */
  readonly document?: PolicyDocument;
  readonly source: SourceRef;
}

export interface Tags {
  readonly [key: string]: string;
}

interface PrincipalBase {
  readonly name: string;
  readonly account: string;
  readonly accountId: string;
  readonly path: string;
  readonly arn: string;
  readonly tags: Tags;
  readonly permissionsBoundaryArn?: string;
  /** The boundary's document when it is AWS managed (as ManagedPolicyAttachment.document). */
  readonly permissionsBoundaryDocument?: PolicyDocument;
  /** Sorted by name. */
  readonly inlinePolicies: readonly InlinePolicy[];
  /** Sorted by ARN. */
  readonly managedPolicies: readonly ManagedPolicyAttachment[];
  /** Security findings about this principal accepted on purpose (`accept:`), in YAML order; absent: none. */
  readonly accepts?: readonly Acceptance[];
  /** `adopt: true`: it exists in AWS already; the first deploy imports it. Absent: rolecall creates it. */
  readonly adopt?: true;
  readonly source: SourceRef;
}

export interface User extends PrincipalBase {
  readonly kind: 'user';
  /** The groups (of its account) the user is a member of, by name, sorted. */
  readonly groups: readonly string[];
  /** `federation:` was declared: the user may call sts:GetFederationToken. */
  readonly federation?: { readonly statements: readonly PolicyStatement[]; readonly source: SourceRef };
  readonly requireMfa: boolean;
}

export interface Role extends PrincipalBase {
  readonly kind: 'role';
  readonly description?: string;
  /** Seconds. */
  readonly maxSessionDuration: number;
  readonly trustPolicy: PolicyDocument;
  readonly trustPolicyJson: string;
  /**
   * Things in the same account that must exist before this role is created,
   * because its trust document names them (IAM refuses unknown principals).
   */
  readonly createAfter: readonly PrincipalKey[];
}

/** One member of a group: a user of the group's account. */
export interface GroupMember {
  readonly name: string;
  readonly arn: string;
  /** The `members:` item. */
  readonly source: SourceRef;
}

/**
 * An IAM group. Not a principal (IAM never names a group in a Principal):
 * its policies apply to each member, and a trust in it is a trust in every
 * member, with the caller's AssumeRole grant written once on the group.
 */
export interface Group {
  readonly kind: 'group';
  readonly name: string;
  readonly account: string;
  readonly accountId: string;
  readonly path: string;
  readonly arn: string;
  /** Sorted by name: the whole membership. */
  readonly members: readonly GroupMember[];
  /** Sorted by name. */
  readonly inlinePolicies: readonly InlinePolicy[];
  /** Sorted by ARN. */
  readonly managedPolicies: readonly ManagedPolicyAttachment[];
  readonly accepts?: readonly Acceptance[];
  /** `adopt: true`: it exists in AWS already; the first deploy imports it. Absent: rolecall creates it. */
  readonly adopt?: true;
  readonly source: SourceRef;
}

/** Identifies a managed principal or provider across the model. */
export interface PrincipalKey {
  readonly kind: 'user' | 'role' | 'provider';
  readonly account: string;
  readonly name: string;
}

export type TrustKind = 'user' | 'role' | 'group' | 'account' | 'service' | 'github' | 'oidc' | 'cognito' | 'saml';

/** Who is granted: a principal of the model, or something outside it. */
export type Grantee =
  | { readonly kind: 'user'; readonly account: string; readonly name: string; readonly arn: string }
  | { readonly kind: 'role'; readonly account: string; readonly name: string; readonly arn: string }
  | { readonly kind: 'account'; readonly account: string; readonly accountId: string; readonly external: boolean; readonly arn: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'web-identity'; readonly provider: string; readonly providerArn: string; readonly subjects: readonly string[]; readonly audiences: readonly string[] }
  | { readonly kind: 'saml'; readonly provider: string; readonly providerArn: string };

export interface GrantConditions {
  readonly mfa?: { readonly maxAgeSeconds?: number };
  /** ISO-8601 instant. */
  readonly expires?: string;
  readonly sourceIp?: readonly string[];
  readonly externalId?: string;
  readonly tagSession: boolean;
}

export interface GrantNotes {
  readonly reason?: string;
  readonly ticket?: string;
  readonly owner?: string;
}

/** One principal allowed to assume one role: one trust entry may yield several (`users: [...]`). */
export interface Grant {
  readonly role: { readonly account: string; readonly name: string; readonly arn: string };
  readonly trustKind: TrustKind;
  readonly grantee: Grantee;
  /** sts:AssumeRole, sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML, plus sts:TagSession when asked. */
  readonly actions: readonly string[];
  readonly conditions: GrantConditions;
  /** The trust statement's full condition block as emitted. */
  readonly conditionBlock: ConditionBlock;
  readonly notes: GrantNotes;
  /** Rolecall also wrote the caller's side (an AssumeRole statement on the user or source role, or on `group`). */
  readonly writesCallerPolicy: boolean;
  /** A `group:` trust: the member (the grantee) comes in through this group, which holds the caller's side. */
  readonly group?: { readonly account: string; readonly name: string; readonly arn: string };
  /** The conditions mirrored into the caller's policy (MFA, expiry, source IP). */
  readonly callerConditionBlock: ConditionBlock;
  readonly source: SourceRef;
}
