/**
 * `requireMfa: true` against AWS's documented policy "AWS: Allows
 * MFA-authenticated IAM users to manage their own MFA device on the Security
 * credentials page" (IAM User Guide,
 * reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only),
 * through the whole pipeline: YAML in, the user's emitted policy out.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
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

describe('requireMfa, evaluated by an IAM policy simulator', () => {
  const ALICE = `arn:aws:iam::${ACCOUNT}:user/people/alice`;
  const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  /** alice's decision for one request, with her require-MFA policy and, if given, an allow-everything policy beside it. */
  async function decide(action: string, resource: string, mfa: 'true' | 'false' | 'absent', withAdmin = false): Promise<string> {
    const { statements } = await requireMfaPolicy('/people/');
    const requireMfa = { Version: '2012-10-17', Statement: statements };
    const response = await runSimulation(
      {
        identityPolicies: [
          { name: 'rolecall-require-mfa', policy: requireMfa },
          ...(withAdmin ? [{ name: 'admin', policy: ADMIN }] : []),
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: ALICE,
          resource: { accountId: ACCOUNT, resource },
          contextVariables: mfa === 'absent' ? {} : { 'aws:MultiFactorAuthPresent': mfa },
        },
      },
      {},
    );
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
    return response.overallResult;
  }
  const OWN_DEVICE = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;
  const BOB = `arn:aws:iam::${ACCOUNT}:user/people/bob`;

  it.each([
    ['sets up her own device without MFA', 'iam:CreateVirtualMFADevice', OWN_DEVICE, 'false', 'Allowed'],
    ['enables it on her own user without MFA', 'iam:EnableMFADevice', ALICE, 'false', 'Allowed'],
    ['not on another user', 'iam:EnableMFADevice', BOB, 'false', 'ImplicitlyDenied'],
    ['changes her own password without MFA (first sign-in)', 'iam:ChangePassword', ALICE, 'false', 'Allowed'],
    ['cannot deactivate her device without MFA', 'iam:DeactivateMFADevice', ALICE, 'false', 'ExplicitlyDenied'],
    ['can deactivate it with MFA', 'iam:DeactivateMFADevice', ALICE, 'true', 'Allowed'],
  ] as const)('alice %s', async (_name, action, resource, mfa, decision) => {
    expect(await decide(action, resource, mfa)).toBe(decision);
  });

  it.each([
    ['without MFA', 'ExplicitlyDenied', 'false'],
    ['with long-term keys (no MFA key at all)', 'ExplicitlyDenied', 'absent'],
    ['with MFA', 'Allowed', 'true'],
  ] as const)('anything else her other policies allow, %s: %s', async (_name, decision, mfa) => {
    expect(await decide('s3:GetObject', 'arn:aws:s3:::reports/q3.csv', mfa, true)).toBe(decision);
    expect(await decide('iam:CreateAccessKey', ALICE, mfa, true)).toBe(decision);
  });
});
