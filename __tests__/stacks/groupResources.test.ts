import { compileValid } from '../support/compileYaml';
import { parsePolicy } from '../support/policyJson';
import { describeSkip, terraformValidate } from '../support/terraform';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from './synthesized';

afterAll(removeSynthesizedDirs);

/** identity: users alice, bob.smith and carol; groups engineers (path, policies, AWS and customer managed) and empty on-call; prod trusts engineers. */
const CONFIG = {
  'org.yaml': `
accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
users:
  - { name: alice, account: identity }
  - { name: bob.smith, account: identity }
  - { name: carol, account: identity }
groups:
  - name: engineers
    account: identity
    path: /teams/
    members: [bob.smith, alice]
    allow:
      - actions: [s3:ListAllMyBuckets]
        resources: ["*"]
    deny:
      - notActions: [iam:ChangePassword]
        resources: ["*"]
        conditions:
          BoolIfExists: { "aws:MultiFactorAuthPresent": "false" }
    managedPolicies: [ReadOnlyAccess, arn:aws:iam::111111111111:policy/team-extra]
  - name: on-call
    account: identity
    members: []
roles:
  - name: reader
    account: prod
    trust:
      - group: identity/engineers
        mfa: true
  - name: local-reader
    account: identity
    trust:
      - group: engineers
`,
};

let synthesized: Promise<Synthesized> | undefined;
const synth = () => (synthesized ??= compileValid(CONFIG).then(synthesizeToTempDir));

describe('group resources', () => {
  it('one aws_iam_group per group, named from the group name, with its path', async () => {
    const out = await synth();
    expect(out.resource('identity', 'aws_iam_group', 'group_engineers')).toEqual({ name: 'engineers', path: '/teams/' });
    expect(out.resource('identity', 'aws_iam_group', 'group_on-call')).toEqual({ name: 'on-call', path: '/' });
    expect(out.addresses('prod').filter((a) => a.includes('group'))).toEqual([]);
  });

  it('one membership per group, listing every member by reference to its user (the YAML is the whole membership)', async () => {
    const out = await synth();
    const membership = out.resource('identity', 'aws_iam_group_membership', 'group_engineers');
    expect(membership).toEqual({
      name: 'rolecall-engineers',
      group: '${aws_iam_group.group_engineers.name}',
      users: ['${aws_iam_user.user_bob_2esmith.name}', '${aws_iam_user.user_alice.name}'].sort(),
    });
    expect(out.resource('identity', 'aws_iam_group_membership', 'group_on-call')).toMatchObject({ users: [] });
  });

  it('inline policies, attachments and both exclusive resources, like a user\'s', async () => {
    const out = await synth();
    const addresses = out.addresses('identity').filter((a) => a.includes('group_engineers'));
    expect(addresses).toEqual([
      'aws_iam_group.group_engineers',
      'aws_iam_group_membership.group_engineers',
      'aws_iam_group_policies_exclusive.group_engineers',
      'aws_iam_group_policy.group_engineers_-rolecall-assume-roles',
      'aws_iam_group_policy.group_engineers_-rolecall-permissions',
      'aws_iam_group_policy_attachment.group_engineers_-111111111111_-team-extra',
      'aws_iam_group_policy_attachment.group_engineers_-aws_-ReadOnlyAccess',
      'aws_iam_group_policy_attachments_exclusive.group_engineers',
    ]);
    const permissions = out.resource('identity', 'aws_iam_group_policy', 'group_engineers_-rolecall-permissions');
    expect(permissions['group']).toBe('${aws_iam_group.group_engineers.name}');
    expect(parsePolicy(permissions['policy']).Statement).toContainEqual({
      Effect: 'Deny',
      NotAction: ['iam:ChangePassword'],
      Resource: ['*'],
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
    });
    const assume = parsePolicy(out.resource('identity', 'aws_iam_group_policy', 'group_engineers_-rolecall-assume-roles')['policy']);
    expect(assume.Statement.flatMap((s) => s.Resource)).toEqual(['arn:aws:iam::111111111111:role/local-reader', 'arn:aws:iam::222222222222:role/reader']);
    expect(out.resource('identity', 'aws_iam_group_policies_exclusive', 'group_engineers')).toMatchObject({
      group_name: '${aws_iam_group.group_engineers.name}',
      policy_names: ['rolecall-assume-roles', 'rolecall-permissions'],
    });
    expect(out.resource('identity', 'aws_iam_group_policy_attachments_exclusive', 'group_engineers')).toMatchObject({
      group_name: '${aws_iam_group.group_engineers.name}',
      policy_arns: ['arn:aws:iam::111111111111:policy/team-extra', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    // An empty group still gets its exclusive resources: they remove what was added by hand.
    expect(out.resource('identity', 'aws_iam_group_policies_exclusive', 'group_on-call')).toMatchObject({ policy_names: [] });
    // No member got an AssumeRole policy of its own.
    expect(out.addresses('identity').filter((a) => a.startsWith('aws_iam_user_policy.'))).toEqual([]);
  });

  it('a role trusting a group of its own account waits for the members\' users', async () => {
    const out = await synth();
    const role = out.resource('identity', 'aws_iam_role', 'role_local-reader');
    expect(role['depends_on']).toEqual(['aws_iam_user.user_alice', 'aws_iam_user.user_bob_2esmith']);
    expect(parsePolicy(role['assume_role_policy']).Statement[0]!.Principal).toEqual({
      AWS: ['arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::111111111111:user/bob.smith'],
    });
    expect(out.manifest.stacks['prod']!.dependencies).toEqual(['identity']);
  });
});

describe('group resources: canonical', () => {
  it('the same config, members listed in another order, synthesizes byte-identical stacks', async () => {
    const first = await synth();
    const reordered = synthesizeToTempDir(await compileValid({ 'org.yaml': CONFIG['org.yaml'].replace('members: [bob.smith, alice]', 'members: [alice, bob.smith]') }));
    for (const account of ['identity', 'prod']) expect(JSON.stringify(reordered.stack(account))).toBe(JSON.stringify(first.stack(account)));
  });
});

describeSkip()('terraform validate: groups', () => {
  test('the stack with groups is valid', async () => {
    const out = await synth();
    const result = await terraformValidate(out.stackDir('identity'));
    expect({ ok: result.ok, output: result.output }).toEqual({ ok: true, output: '' });
  }, 180_000);
});
