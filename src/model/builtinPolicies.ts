import type { SourceRef } from '../diagnostics/diagnostic';
import type { Partition, PolicyStatement } from './accessModel';
import { federatedUserArn } from './arns';

/*
 * `requireMfa: true` is AWS's documented policy "AWS: Allows MFA-authenticated
 * IAM users to manage their own MFA device on the Security credentials page"
 * (IAM User Guide, reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only),
 * statement for statement and under AWS's Sids, with these deliberate deviations:
 * - resources name this user's own ARN and account instead of
 *   `arn:aws:iam::*:user/${aws:username}` and `arn:aws:iam::*:mfa/*`: exact, and
 *   right for a user with a path (`${aws:username}` after `user/` only matches path `/`);
 * - iam:ChangePassword (on the user) and iam:GetAccountPasswordPolicy (on `*`,
 *   it takes no resource) are allowed and left out of the deny: a first console
 *   sign-in may have to set a new password, under the account's rules, before
 *   any MFA device exists (AWS's own page once listed ChangePassword there too).
 * __tests__/model/requireMfaPolicy.test.ts pins both the AWS statements and these deviations.
 */

/** What AWS's documented policy denies nothing of, without MFA: set up a device and sign in with it. */
const AWS_MFA_SETUP_ACTIONS = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
];

/** rolecall's addition: a first sign-in that must change its password can. */
const FIRST_SIGN_IN_ACTIONS = ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'];

/** The actions a user without MFA may still call (the deny's NotAction). */
export const MFA_SELF_SERVICE_ACTIONS = [...AWS_MFA_SETUP_ACTIONS, ...FIRST_SIGN_IN_ACTIONS].sort();

/**
 * `requireMfa: true`: deny everything but MFA self-service while the caller
 * has no MFA. BoolIfExists, because long-term access keys carry no
 * aws:MultiFactorAuthPresent at all (a plain Bool would miss them).
 */
export function requireMfaStatements(
  partition: Partition,
  accountId: string,
  userArn: string,
  source: SourceRef,
): PolicyStatement[] {
  return [
    {
      // Takes no resource ARN: `*` is the only form IAM accepts.
      sid: 'AllowViewAccountInfo',
      effect: 'Allow',
      actions: ['iam:ListVirtualMFADevices'],
      resources: ['*'],
      source,
    },
    {
      // Any device name (a user may hold several devices); enabling it needs the user ARN below.
      sid: 'AllowManageOwnVirtualMFADevice',
      effect: 'Allow',
      actions: ['iam:CreateVirtualMFADevice'],
      resources: [`arn:${partition}:iam::${accountId}:mfa/*`],
      source,
    },
    {
      sid: 'AllowManageOwnUserMFA',
      effect: 'Allow',
      actions: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      resources: [userArn],
      source,
    },
    {
      // Deviation: a first sign-in may have to set a new password before any MFA exists.
      sid: 'AllowOwnPasswordChange',
      effect: 'Allow',
      actions: ['iam:ChangePassword'],
      resources: [userArn],
      source,
    },
    {
      // Deviation: the password change page shows the account's password rules; takes no resource ARN.
      sid: 'AllowViewPasswordPolicy',
      effect: 'Allow',
      actions: ['iam:GetAccountPasswordPolicy'],
      resources: ['*'],
      source,
    },
    {
      sid: 'DenyAllExceptListedIfNoMFA',
      effect: 'Deny',
      notActions: MFA_SELF_SERVICE_ACTIONS,
      resources: ['*'],
      conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
      source,
    },
  ];
}

/** `federation:`: the broker may call GetFederationToken for any session name of its account. */
export function federationTokenStatement(partition: Partition, accountId: string, source: SourceRef): PolicyStatement {
  return {
    sid: 'GetFederationToken',
    effect: 'Allow',
    actions: ['sts:GetFederationToken'],
    resources: [federatedUserArn(partition, accountId, '*')],
    source,
  };
}
