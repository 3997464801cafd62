import * as z from 'zod';
import {
  accountId,
  accountName,
  bucketScope,
  date,
  description,
  duration,
  groupName,
  httpsUrl,
  iamName,
  iamPath,
  partition,
  policyName,
  policyStatements,
  providerArn,
  providerName,
  region,
  strictObject,
  tags,
  thumbprint,
} from './primitives';
import { iamRoleArn } from './stateSchema';
import { trustEntry } from './trustSchema';

export const accountSchema = strictObject({
  name: accountName,
  id: accountId,
  region: region.optional(),
  partition: partition.optional(),
  external: z.boolean().optional(),
  /** The role this account's stack deploys through (its provider's assume_role); checked against the account in the model. */
  deployRole: iamRoleArn.optional(),
  /** Raised IAM quotas for this account (iam-facts: adjustable limits). */
  quotas: strictObject({
    trustPolicySize: z.number().int().min(2048).max(4096, 'a trust policy can be raised to 4096 characters at most').optional(),
    managedPoliciesPerRole: z.number().int().min(10).max(25, 'at most 25 managed policies per role, even raised').optional(),
    managedPoliciesPerUser: z.number().int().min(10).max(20, 'at most 20 managed policies per user, even raised').optional(),
    rolesPerAccount: z.number().int().min(1000).max(5000, 'at most 5000 roles per account, even raised').optional(),
  }).optional(),
});

/**
 * `accept:` a security finding about this entry, on purpose. Which ids may be
 * accepted (security rules only) is checked in the pipeline, which knows the rules.
 */
const acceptance = strictObject({
  rule: z
    .string({ error: 'rule is the id of the security rule to accept, as validate prints it, e.g. privesc-passrole-lambda-create-function-invoke' })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a rule id is kebab-case, as validate prints it, e.g. privesc-passrole-lambda-create-function-invoke'),
  reason: z
    .string({ error: 'reason says, in words, why this risk is taken on purpose' })
    .regex(/\S/, 'reason says, in words, why this risk is taken on purpose; it cannot be blank'),
  ticket: z.string({ error: 'ticket is text, e.g. SEC-142' }).regex(/\S/, 'a ticket cannot be blank: name it, or leave the key out').optional(),
  expires: date.optional(),
});

export const acceptList = z.array(acceptance, { error: 'accept is a list: start each acceptance with "- rule:"' });

const oidcProvider = strictObject({
  url: httpsUrl,
  audiences: z.array(z.string().min(1).max(255)).min(1, 'list at least one audience (client id), e.g. [sts.amazonaws.com]'),
  thumbprints: z.array(thumbprint).max(5, 'at most 5 thumbprints').optional(),
});

const samlProvider = strictObject({
  metadata: z.string().min(1, 'metadata is the path of the metadata XML file, relative to this YAML file'),
});

/**
 * `adopt: true`: the entry already exists in AWS, and the first deploy
 * imports it (Terraform `import` blocks) instead of creating it.
 */
const adopt = z.literal(true, { error: 'adopt is true (the entry already exists in AWS and the first deploy imports it) or left out' });

export const providerSchema = strictObject({
  name: providerName,
  account: accountName.optional(),
  oidc: oidcProvider.optional(),
  saml: samlProvider.optional(),
  existing: providerArn.optional(),
  adopt: adopt.optional(),
  accept: acceptList.optional(),
}).superRefine((value, ctx) => {
  if (value.adopt && value.existing !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['adopt'], message: 'an existing: provider is never created by rolecall, so there is nothing to adopt: drop adopt' });
  }
  const kinds = (['oidc', 'saml', 'existing'] as const).filter((key) => value[key] !== undefined);
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: kinds.length > 1 ? [kinds[1]!] : [],
      message:
        kinds.length > 1
          ? `a provider is one of oidc, saml or existing, not ${kinds.join(' and ')}: split it into two providers`
          : 'a provider needs one of oidc: { url, audiences }, saml: { metadata } or existing: ARN',
    });
  }
});

export const userSchema = strictObject({
  name: iamName,
  account: accountName.optional(),
  path: iamPath.optional(),
  tags: tags.optional(),
  permissionsBoundary: policyName.optional(),
  requireMfa: z.boolean().optional(),
  allow: policyStatements.optional(),
  deny: policyStatements.optional(),
  federation: strictObject({
    allow: policyStatements.min(1, 'federation.allow lists what a federated session may receive'),
  }).optional(),
  adopt: adopt.optional(),
  accept: acceptList.optional(),
});

/** A member is a user of the group's own account, by its name alone. */
const memberName = z.string({ error: 'a member is a user name, e.g. alice' }).superRefine((value, ctx) => {
  if (value.includes('/')) {
    ctx.addIssue({
      code: 'custom',
      message: `a group holds users of its own account only: write the name alone (${value.slice(value.lastIndexOf('/') + 1)}), or trust a user of another account directly`,
    });
    return;
  }
  const name = iamName.safeParse(value);
  if (!name.success) ctx.addIssue({ code: 'custom', message: name.error.issues[0]!.message.replace('IAM user and role names', 'user names') });
});

export const groupSchema = strictObject({
  name: groupName,
  account: accountName.optional(),
  path: iamPath.optional(),
  /** Users of the group's account, by name: the whole membership (rolecall removes anyone else). */
  members: z.array(memberName, { error: 'members is a list of user names of the group\'s account, e.g. members: [alice, bob]' }),
  allow: policyStatements.optional(),
  deny: policyStatements.optional(),
  managedPolicies: z.array(policyName).optional(),
  adopt: adopt.optional(),
  accept: acceptList.optional(),
});

export const s3ReadOnly = z.union([
  z.literal('all'),
  strictObject({ buckets: z.array(bucketScope).min(1, 'list at least one bucket, or write s3ReadOnly: all') }),
], { error: 's3ReadOnly is "all" or { buckets: [bucket, bucket/prefix/] }' });

export const roleSchema = strictObject({
  name: iamName,
  account: accountName.optional(),
  path: iamPath.optional(),
  description: description.optional(),
  maxSessionDuration: duration.optional(),
  permissionsBoundary: policyName.optional(),
  tags: tags.optional(),
  trust: z.array(trustEntry).min(1, 'a role needs at least one trust entry: who may assume it'),
  s3ReadOnly: s3ReadOnly.optional(),
  managedPolicies: z.array(policyName).optional(),
  allow: policyStatements.optional(),
  deny: policyStatements.optional(),
  adopt: adopt.optional(),
  accept: acceptList.optional(),
});

/** The top level of one file: each list's items are validated one by one (see validateDocument). */
export const configFileSchema = strictObject({
  accounts: z.array(z.unknown(), { error: 'accounts is a list: start each account with "- name:"' }).optional(),
  providers: z.array(z.unknown(), { error: 'providers is a list: start each provider with "- name:"' }).optional(),
  users: z.array(z.unknown(), { error: 'users is a list: start each user with "- name:"' }).optional(),
  roles: z.array(z.unknown(), { error: 'roles is a list: start each role with "- name:"' }).optional(),
  groups: z.array(z.unknown(), { error: 'groups is a list: start each group with "- name:"' }).optional(),
  /** Once across all files; validated on its own (see validateDocument). */
  state: z.unknown().optional(),
  expect: z.array(z.unknown(), { error: 'expect is a list: start each expectation with "- who:"' }).optional(),
});

export type AccountConfig = z.infer<typeof accountSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type UserConfig = z.infer<typeof userSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type GroupConfig = z.infer<typeof groupSchema>;
export type AcceptConfig = z.infer<typeof acceptance>;
export type PolicyStatementConfig = z.infer<typeof policyStatements>[number];
