import fc from 'fast-check';
import { stringify } from 'yaml';
import type { AccessModel } from '../../src/model/accessModel';
import { compileValid, compileYaml, TWO_ACCOUNTS } from '../support/compileYaml';
import { parsePolicy } from '../support/policyJson';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const userArn = (name: string) => `arn:aws:iam::111111111111:user/${name}`;

const policyOf = (holder: { inlinePolicies: readonly { name: string; json: string }[] }, name: string) => {
  const found = holder.inlinePolicies.find((p) => p.name === name);
  return found ? parsePolicy(found.json) : undefined;
};

/** identity holds USERS and group engineers (the given members); prod's role reader trusts the group. */
function groupConfig(members: readonly string[], trust: Record<string, unknown>, extra = ''): Record<string, string> {
  return {
    'accounts.yaml': TWO_ACCOUNTS,
    'users.yaml': stringify({ users: USERS.map((name) => ({ name, account: 'identity' })) }),
    'groups.yaml': stringify({ groups: [{ name: 'engineers', account: 'identity', path: '/teams/', members: [...members] }] }),
    'roles.yaml': stringify({ roles: [{ name: 'reader', account: 'prod', trust: [{ group: 'identity/engineers', ...trust }] }] }) + extra,
  };
}

describe('a group: trust', () => {
  it('lists every member user ARN in the trust, and writes the AssumeRole grant once, on the group only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(USERS, { minLength: 1 }), fc.boolean(), fc.boolean(), async (members, mfa, shuffle) => {
        const listed = shuffle ? [...members].reverse() : members;
        const model = await compileValid(groupConfig(listed, mfa ? { mfa: true } : {}));
        const role = model.roles.find((r) => r.name === 'reader')!;
        const trust = parsePolicy(role.trustPolicyJson);
        // One statement, every member's user ARN (never the group's: IAM cannot name one), sorted.
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0]!.Principal).toEqual({ AWS: [...members].sort().map(userArn) });
        expect(trust.Statement[0]!.Action).toEqual(['sts:AssumeRole']);
        expect(JSON.stringify(trust)).not.toContain(':group/');
        // The caller's side: one statement on the group naming the role, with the trust's MFA condition.
        const group = model.groups.find((g) => g.name === 'engineers')!;
        const assume = policyOf(group, 'rolecall-assume-roles')!;
        expect(assume.Statement).toEqual([
          {
            Effect: 'Allow',
            Action: ['sts:AssumeRole'],
            Resource: ['arn:aws:iam::222222222222:role/reader'],
            ...(mfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } } : {}),
          },
        ]);
        // ...and never on the members themselves.
        for (const user of model.users) expect(policyOf(user, 'rolecall-assume-roles')).toBeUndefined();
        expect(model.groups[0]!.members.map((m) => m.name)).toEqual([...members].sort());
        expect(model.users.filter((u) => u.groups.includes('engineers')).map((u) => u.name)).toEqual([...members].sort());
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('a member also trusted by name keeps its own grant; the group grant stays on the group', async () => {
    const files = groupConfig(['alice', 'bob'], {});
    files['roles.yaml'] = stringify({
      roles: [
        { name: 'reader', account: 'prod', trust: [{ group: 'identity/engineers' }] },
        { name: 'writer', account: 'prod', trust: [{ user: 'identity/alice' }] },
      ],
    });
    const model = await compileValid(files);
    expect(policyOf(model.users.find((u) => u.name === 'alice')!, 'rolecall-assume-roles')!.Statement.map((s) => s.Resource)).toEqual([
      ['arn:aws:iam::222222222222:role/writer'],
    ]);
    expect(policyOf(model.groups[0]!, 'rolecall-assume-roles')!.Statement.map((s) => s.Resource)).toEqual([['arn:aws:iam::222222222222:role/reader']]);
  });

  it('a same-account group: the role is created after its members; across accounts, the members\' stack deploys first', async () => {
    const sameAccount = await compileValid({
      'org.yaml': `${TWO_ACCOUNTS}
users:
  - { name: alice, account: prod }
  - { name: bob, account: prod }
groups:
  - { name: ops, account: prod, members: [bob, alice] }
roles:
  - name: responder
    account: prod
    trust:
      - groups: [ops]
`,
    });
    expect(sameAccount.roles[0]!.createAfter).toEqual([
      { kind: 'user', account: 'prod', name: 'alice' },
      { kind: 'user', account: 'prod', name: 'bob' },
    ]);
    const across = await compileValid(groupConfig(['alice'], {}));
    expect(across.stacks.find((s) => s.account === 'prod')!.dependsOn).toEqual(['identity']);
    expect(across.roles[0]!.createAfter).toEqual([]);
  });

  it('a group with no members cannot be trusted', async () => {
    const result = await compileYaml(groupConfig([], {}));
    expect(result.errors.map((f) => [f.rule, f.file, f.line])).toEqual([['empty-group', 'roles.yaml', 5]]);
  });
});

describe('a group: permissions', () => {
  const config = `
accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
groups:
  - name: engineers
    members: [alice]
    allow:
      - actions: [s3:getobject]
        resources: ["arn:aws:s3:::data/*"]
    deny:
      - notActions: [iam:ChangePassword, iam:GetAccountPasswordPolicy]
        notResources: ["arn:aws:iam::123456789012:user/alice"]
        conditions:
          BoolIfExists: { "aws:MultiFactorAuthPresent": "false" }
    managedPolicies: [ReadOnlyAccess, arn:aws:iam::123456789012:policy/team-boundary]
`;

  it('its allow/deny become its rolecall-permissions policy, notActions and notResources as NotAction and NotResource', async () => {
    const model = await compileValid({ 'org.yaml': config });
    const group = model.groups[0]!;
    expect(group.arn).toBe('arn:aws:iam::123456789012:group/engineers');
    const permissions = policyOf(group, 'rolecall-permissions')!;
    expect(permissions.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::data/*'] },
      {
        Effect: 'Deny',
        NotAction: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'],
        NotResource: ['arn:aws:iam::123456789012:user/alice'],
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
      },
    ]);
    expect(JSON.stringify(permissions)).not.toMatch(/"Action"[^\]]*ChangePassword|"Resource"[^\]]*user\/alice/);
    expect(group.managedPolicies.map((m) => [m.arn, m.document !== undefined])).toEqual([
      ['arn:aws:iam::123456789012:policy/team-boundary', false],
      ['arn:aws:iam::aws:policy/ReadOnlyAccess', true],
    ]);
    // The user's own policies are untouched: its groups' apply through the membership.
    expect(model.users[0]!.inlinePolicies).toEqual([]);
  });

  it('notActions and notResources work on users and roles too', async () => {
    const model: AccessModel = await compileValid({
      'org.yaml': `
accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
    allow:
      - actions: [s3:GetObject]
        notResources: ["arn:aws:s3:::secret/*"]
roles:
  - name: app
    trust: [{ service: ec2.amazonaws.com }]
    deny:
      - notActions: [s3:*]
        resources: ["*"]
`,
    });
    expect(policyOf(model.users[0]!, 'rolecall-permissions')!.Statement).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject'], NotResource: ['arn:aws:s3:::secret/*'] }]);
    expect(policyOf(model.roles[0]!, 'rolecall-permissions')!.Statement).toEqual([{ Effect: 'Deny', NotAction: ['s3:*'], Resource: ['*'] }]);
  });
});

describe('group limits', () => {
  const header = 'accounts:\n  - name: main\n    id: "123456789012"\nusers:\n  - name: alice\n';

  it('a group over 5,120 characters of inline policy, or with 11 managed policies', async () => {
    const resources = Array.from({ length: 130 }, (_, i) => `arn:aws:s3:::bucket-with-a-long-name-${String(i).padStart(3, '0')}/*`);
    const big = await compileYaml({ 'org.yaml': stringify({ accounts: [{ name: 'main', id: '123456789012' }], groups: [{ name: 'big', members: [], allow: [{ actions: ['s3:GetObject'], resources }] }] }) });
    expect(big.errors.map((f) => [f.rule, f.message])).toEqual([['policy-size', expect.stringContaining("group big's inline policies come to")]]);
    expect(big.errors[0]!.message).toContain('IAM allows 5120');
    // The same statement fits a role (10,240): the group's own limit is the one applied.
    expect(JSON.stringify(resources).length).toBeLessThan(10240);

    const managed = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`);
    const many = await compileYaml({ 'org.yaml': `${header}groups:\n  - name: many\n    members: []\n    managedPolicies: [${managed.join(', ')}]\n` });
    expect(many.errors.map((f) => [f.rule, f.line])).toEqual([['managed-policy-count', 9]]);
    const ten = await compileYaml({ 'org.yaml': `${header}groups:\n  - name: many\n    members: []\n    managedPolicies: [${managed.slice(1).join(', ')}]\n` });
    expect(ten.errors).toEqual([]);
  });

  it('300 groups per account; a user in at most 10 groups', async () => {
    const groups = (n: number, members: string[] = []) => Array.from({ length: n }, (_, i) => ({ name: `g${String(i).padStart(3, '0')}`, members }));
    const over = await compileYaml({ 'org.yaml': stringify({ accounts: [{ name: 'main', id: '123456789012' }], groups: groups(301) }) });
    expect(over.errors.map((f) => [f.rule, f.message])).toEqual([['account-quota', expect.stringContaining('301 groups; IAM allows 300')]]);
    const atLimit = await compileYaml({ 'org.yaml': stringify({ accounts: [{ name: 'main', id: '123456789012' }], groups: groups(300) }) });
    expect(atLimit.errors).toEqual([]);
    const ten = await compileYaml({ 'org.yaml': stringify({ accounts: [{ name: 'main', id: '123456789012' }], users: [{ name: 'alice' }], groups: groups(10, ['alice']) }) });
    expect(ten.errors).toEqual([]);
  });
});
