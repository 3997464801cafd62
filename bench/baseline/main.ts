/**
 * The hand-written CDKTF baseline of `npm run bench`: the program a person
 * would write for the generated organisation (bench/organisation.ts)
 * without rolecall. It builds the same resources as `rolecall synth` (users,
 * roles, their inline policies and managed policy attachments, and the four
 * `*_exclusive` resources per principal), straight from the organisation's
 * data: no YAML, no validation, no access model. References and
 * `dependsOn` are cdktf's own (`role.name`, `[role, policy]`), as in
 * cdktf's examples.
 *
 * Run: `npx tsx bench/baseline/main.ts USERS ROLES ACCOUNTS OUTDIR`.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-user-policies-exclusive';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { IamUserPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-user-policy-attachments-exclusive';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { organisation, type Account, type Organisation, type RoleEntry, type UserEntry } from '../organisation';

const S3_READ_ONLY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

function accountStack(app: App, account: Account): TerraformStack {
  const stack = new TerraformStack(app, account.name);
  new LocalBackend(stack, { path: `../../../terraform.${account.name}.tfstate` });
  new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: [account.id] });
  return stack;
}

function userArn(accounts: Map<string, Account>, reference: string): string {
  const [account, name] = reference.split('/') as [string, string];
  return `arn:aws:iam::${accounts.get(account)!.id}:user/${name}`;
}

function roleArn(accounts: Map<string, Account>, role: RoleEntry): string {
  return `arn:aws:iam::${accounts.get(role.account)!.id}:role/${role.name}`;
}

function addRole(stack: TerraformStack, role: RoleEntry, accounts: Map<string, Account>): void {
  const trust = role.trust[0];
  const iamRole = new IamRole(stack, `role-${role.name}`, {
    name: role.name,
    path: '/',
    maxSessionDuration: 3600,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [...new Set(trust.users.map((user) => userArn(accounts, user)))].sort() },
          Action: ['sts:AssumeRole'],
          ...(trust.mfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } } : {}),
        },
      ],
    }),
  });
  const policies: IamRolePolicy[] = [];
  const attachments: IamRolePolicyAttachment[] = [];
  if (role.allow) {
    policies.push(
      new IamRolePolicy(stack, `role-${role.name}-permissions`, {
        role: iamRole.name,
        name: 'rolecall-permissions',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: role.allow.map((s) => ({ Effect: 'Allow', Action: [...s.actions], Resource: [...s.resources] })),
        }),
      }),
    );
  }
  if (role.s3ReadOnly) {
    attachments.push(new IamRolePolicyAttachment(stack, `role-${role.name}-s3-read-only`, { role: iamRole.name, policyArn: S3_READ_ONLY }));
  }
  new IamRolePoliciesExclusive(stack, `role-${role.name}-policies`, {
    roleName: iamRole.name,
    policyNames: policies.map((p) => p.name),
    dependsOn: [iamRole, ...policies],
  });
  new IamRolePolicyAttachmentsExclusive(stack, `role-${role.name}-attachments`, {
    roleName: iamRole.name,
    policyArns: attachments.map((a) => a.policyArn),
    dependsOn: [iamRole, ...attachments],
  });
}

/** AWS's "manage your own MFA, nothing else without it" policy. */
function requireMfaPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowManageOwnUserMFA', Effect: 'Allow', Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: [arn] },
      { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice'], Resource: [`arn:aws:iam::${accountId}:mfa/*`] },
      { Sid: 'AllowOwnPasswordChange', Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: [arn] },
      { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:ListVirtualMFADevices'], Resource: ['*'] },
      { Sid: 'AllowViewPasswordPolicy', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: ['*'] },
      {
        Sid: 'DenyAllExceptListedIfNoMFA',
        Effect: 'Deny',
        NotAction: ['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetAccountPasswordPolicy', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
        Resource: ['*'],
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
      },
    ],
  });
}

function addUser(stack: TerraformStack, user: UserEntry, assumable: { mfa: string[]; plain: string[] }, accounts: Map<string, Account>): void {
  const accountId = accounts.get(user.account)!.id;
  const arn = `arn:aws:iam::${accountId}:user/${user.name}`;
  const iamUser = new IamUser(stack, `user-${user.name}`, { name: user.name, path: '/' });
  const policies: IamUserPolicy[] = [];
  if (assumable.mfa.length + assumable.plain.length > 0) {
    const statements = [
      ...(assumable.mfa.length > 0 ? [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: assumable.mfa.sort(), Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }] : []),
      ...(assumable.plain.length > 0 ? [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: assumable.plain.sort() }] : []),
    ];
    policies.push(
      new IamUserPolicy(stack, `user-${user.name}-assume-roles`, {
        user: iamUser.name,
        name: 'rolecall-assume-roles',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      }),
    );
  }
  if (user.requireMfa) {
    policies.push(new IamUserPolicy(stack, `user-${user.name}-require-mfa`, { user: iamUser.name, name: 'rolecall-require-mfa', policy: requireMfaPolicy(arn, accountId) }));
  }
  new IamUserPoliciesExclusive(stack, `user-${user.name}-policies`, {
    userName: iamUser.name,
    policyNames: policies.map((p) => p.name),
    dependsOn: [iamUser, ...policies],
  });
  new IamUserPolicyAttachmentsExclusive(stack, `user-${user.name}-attachments`, { userName: iamUser.name, policyArns: [], dependsOn: [iamUser] });
}

export function buildBaseline(org: Organisation, outdir: string): App {
  const app = new App({ outdir, stackTraces: false, hclOutput: false });
  const accounts = new Map(org.accounts.map((a) => [a.name, a]));
  const stacks = new Map(org.accounts.map((a) => [a.name, accountStack(app, a)]));

  // Who may assume what: the callers' side of every trust.
  const assumable = new Map(org.users.map((u) => [`${u.account}/${u.name}`, { mfa: [] as string[], plain: [] as string[] }]));
  for (const role of org.roles) {
    const trust = role.trust[0];
    for (const user of new Set(trust.users)) assumable.get(user)![trust.mfa ? 'mfa' : 'plain'].push(roleArn(accounts, role));
  }
  for (const user of org.users) addUser(stacks.get(user.account)!, user, assumable.get(`${user.account}/${user.name}`)!, accounts);
  for (const role of org.roles) {
    addRole(stacks.get(role.account)!, role, accounts);
    const trusted = role.trust[0].users.map((u) => u.split('/')[0]!).filter((a) => a !== role.account);
    for (const account of new Set(trusted)) stacks.get(role.account)!.addDependency(stacks.get(account)!);
  }
  return app;
}

if (require.main === module) {
  const [users, roles, accounts] = process.argv.slice(2, 5).map(Number);
  const outdir = process.argv[5];
  if (!users || !roles || !accounts || !outdir) {
    console.error('usage: bench/baseline/main.ts USERS ROLES ACCOUNTS OUTDIR');
    process.exit(2);
  }
  buildBaseline(organisation({ users, roles, accounts }), outdir).synth();
}
