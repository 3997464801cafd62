/**
 * `requireMfa: true` against AWS's documented policy "AWS: Allows
 * MFA-authenticated IAM users to manage their own MFA device on the Security
 * credentials page" (IAM User Guide,
 * reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only),
 * through the whole pipeline: YAML in, the user's emitted policy out.
 */
import type { User } from '../../src/model/accessModel';
import { compileValid } from '../support/compileYaml';
import { parsePolicy, type Statement } from '../support/policyJson';

/** AWS's documented policy, transcribed (Action and Condition values as lists, the way rolecall renders them). */
const AWS_DOCUMENTED: Statement[] = [
  { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:ListVirtualMFADevices'], Resource: ['*'] },
  { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice'], Resource: ['arn:aws:iam::*:mfa/*'] },
  {
    Sid: 'AllowManageOwnUserMFA',
    Effect: 'Allow',
    Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:GetMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
    Resource: ['arn:aws:iam::*:user/${aws:username}'],
  },
  {
    Sid: 'DenyAllExceptListedIfNoMFA',
    Effect: 'Deny',
    NotAction: [
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ListVirtualMFADevices',
      'iam:ResyncMFADevice',
      'sts:GetSessionToken',
    ],
    Resource: ['*'],
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
  },
];

/** rolecall's deliberate additions (see src/model/builtinPolicies.ts): a first sign-in may change its password. */
const DEVIATIONS = {
  statements: (userArn: string): Statement[] => [
    { Sid: 'AllowOwnPasswordChange', Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: [userArn] },
    { Sid: 'AllowViewPasswordPolicy', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: ['*'] },
  ],
  notActions: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'],
};

const ACCOUNT = '111111111111';

async function requireMfaPolicy(path?: string): Promise<{ user: User; statements: Statement[] }> {
  const model = await compileValid({
    'config.yaml': `
accounts:
  - name: identity
    id: "${ACCOUNT}"
users:
  - name: alice
${path ? `    path: ${path}\n` : ''}    requireMfa: true
`,
  });
  const user = model.users.find((u) => u.name === 'alice')!;
  const policy = user.inlinePolicies.find((p) => p.name === 'rolecall-require-mfa');
  if (!policy) throw new Error(`no rolecall-require-mfa policy; alice has ${user.inlinePolicies.map((p) => p.name).join(', ')}`);
  return { user, statements: parsePolicy(policy.json).Statement };
}

/** AWS's statement with its resources made exact: this user, this account. */
function adapted(statement: Statement, userArn: string): Statement {
  const resource = (arn: string) =>
    arn === 'arn:aws:iam::*:user/${aws:username}' ? userArn : arn === 'arn:aws:iam::*:mfa/*' ? `arn:aws:iam::${ACCOUNT}:mfa/*` : arn;
  const out: Statement = { ...statement, Resource: statement.Resource!.map(resource).sort() };
  if (out.Action) out.Action = [...out.Action].sort();
  if (out.NotAction) out.NotAction = [...out.NotAction].sort();
  return out;
}

const bySid = (statements: Statement[]) => [...statements].sort((a, b) => (a.Sid! < b.Sid! ? -1 : 1));

describe('requireMfa matches AWS\'s documented "manage your own MFA device" policy', () => {
  it.each([
    ['a user at path /', undefined],
    ['a user with a path (where ${aws:username} would not match)', '/people/'],
  ])('%s: AWS\'s statements with exact resources, plus the documented deviations, nothing else', async (_name, path) => {
    const { user, statements } = await requireMfaPolicy(path);
    expect(user.arn).toBe(`arn:aws:iam::${ACCOUNT}:user${path ?? '/'}alice`);
    const expected = AWS_DOCUMENTED.map((s) => adapted(s, user.arn)).map((s) =>
      s.Effect === 'Deny' ? { ...s, NotAction: [...s.NotAction!, ...DEVIATIONS.notActions].sort() } : s,
    );
    expect(bySid(statements)).toEqual(bySid([...expected, ...DEVIATIONS.statements(user.arn)]));
  });

  it('the deny spares exactly AWS\'s NotAction list and the password change, and nothing the MFA user could abuse', async () => {
    const { statements } = await requireMfaPolicy();
    const deny = statements.filter((s) => s.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    const awsDeny = AWS_DOCUMENTED.find((s) => s.Effect === 'Deny')!;
    expect(deny[0]!.NotAction).toEqual([...awsDeny.NotAction!, ...DEVIATIONS.notActions].sort());
    // BoolIfExists: long-term access keys carry no aws:MultiFactorAuthPresent at all, and must be denied too.
    expect(deny[0]!.Condition).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } });
    // Deleting or deactivating a device without MFA is never spared (AWS's warning on that page).
    expect(deny[0]!.NotAction).not.toContain('iam:DeactivateMFADevice');
    expect(deny[0]!.NotAction).not.toContain('iam:DeleteVirtualMFADevice');
  });

  it('every Allow on a user names this user only, and `*` only where IAM takes no resource ARN', async () => {
    const { user, statements } = await requireMfaPolicy('/people/');
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const resources = new Set(allows.flatMap((s) => s.Resource ?? []));
    expect([...resources].sort()).toEqual(['*', `arn:aws:iam::${ACCOUNT}:mfa/*`, user.arn].sort());
    const onStar = allows.filter((s) => s.Resource!.includes('*')).flatMap((s) => s.Action!);
    expect(onStar.sort()).toEqual(['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices']);
  });
});
