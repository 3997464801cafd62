import type { SourceRef } from '../diagnostics/diagnostic';
import type { Partition, PolicyStatement } from './accessModel';
import { federatedUserArn } from './arns';

/** The actions a user without MFA may still call: enough to set up a device and sign in with it. */
export const MFA_SELF_SERVICE_ACTIONS = [
  'iam:ChangePassword',
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetAccountPasswordPolicy',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
];

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
      sid: 'AllowOwnMfaSetup',
      effect: 'Allow',
      actions: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      resources: [`arn:${partition}:iam::${accountId}:mfa/*`, userArn],
      source,
    },
    {
      // A first sign-in may have to set a new password before any MFA exists.
      sid: 'AllowOwnPassword',
      effect: 'Allow',
      actions: ['iam:ChangePassword'],
      resources: [userArn],
      source,
    },
    {
      sid: 'AllowMfaSetupViews',
      effect: 'Allow',
      actions: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      resources: ['*'],
      source,
    },
    {
      sid: 'DenyAllButMfaSetupWithoutMfa',
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
