import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccessModel, Role, User } from '../../src/model/accessModel';
import { policyIdParts } from '../../stacks/principalPolicies';
import { terraformName } from '../../stacks/logicalId';
import { FIXTURE_ROLES, FIXTURE_USERS, findRole, findUser, fixtureModel, SAML_METADATA } from './fixtures';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from './synthesized';

let model: AccessModel;
let out: Synthesized;
beforeAll(async () => {
  model = await fixtureModel();
  out = synthesizeToTempDir(model);
});
afterAll(removeSynthesizedDirs);

const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;

describe('the fixture, compiled from YAML', () => {
  test('holds exactly the principals the tests below go through, one by one', () => {
    expect(model.users.map((u) => u.name).sort()).toEqual([...FIXTURE_USERS].sort());
    expect(model.roles.map((r) => r.name).sort()).toEqual([...FIXTURE_ROLES].sort());
    expect(model.stacks.map((s) => s.account).sort()).toEqual(['prod', 'tools']);
  });
});

describe('stacks', () => {
  test('one stack per managed account, none for the external one', () => {
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(['prod', 'tools']);
    expect(fs.readdirSync(path.join(out.outdir, 'stacks')).sort()).toEqual(['prod', 'tools']);
  });

  test('the AWS provider is pinned to the account region and id', () => {
    expect(out.stack('prod').provider.aws).toEqual([{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }]);
    expect(out.stack('tools').provider.aws).toEqual([{ region: 'us-east-1', allowed_account_ids: ['222222222222'] }]);
  });

  test('a stack depends, in manifest.json, on the stacks whose principals its trusts name', () => {
    expect(out.manifest.stacks.prod.dependencies).toEqual(['tools']);
    expect(out.manifest.stacks.tools.dependencies).toEqual([]);
    expect(out.manifest.stacks.prod.synthesizedStackPath).toBe('stacks/prod/cdk.tf.json');
  });

  test('the local backend path is relative, beside the output directory', () => {
    expect(out.stack('prod').terraform.backend).toEqual({ local: { path: '../../../terraform.prod.tfstate' } });
  });

  test('no deprecated or account-wide IAM constructs anywhere', () => {
    for (const account of model.stacks.map((s) => s.account)) {
      const text = JSON.stringify(out.stack(account));
      expect(text).not.toMatch(/"inline_policy"|"managed_policy_arns"/);
      expect(out.stack(account).resource).not.toHaveProperty('aws_iam_policy_attachment');
      expect(out.stack(account).data).toBeUndefined();
    }
  });

  test('resource addresses (catches accidental renames)', () => {
    expect(out.addresses('prod')).toMatchInlineSnapshot(`
[
  "aws_iam_openid_connect_provider.provider_github",
  "aws_iam_role.role_auditor",
  "aws_iam_role.role_deployer",
  "aws_iam_role.role_github-actions",
  "aws_iam_role.role_legacy-deployer",
  "aws_iam_role.role_partner-support",
  "aws_iam_role_policies_exclusive.role_auditor",
  "aws_iam_role_policies_exclusive.role_deployer",
  "aws_iam_role_policies_exclusive.role_github-actions",
  "aws_iam_role_policies_exclusive.role_legacy-deployer",
  "aws_iam_role_policies_exclusive.role_partner-support",
  "aws_iam_role_policy.role_deployer_-rolecall-assume-roles",
  "aws_iam_role_policy.role_deployer_-rolecall-permissions",
  "aws_iam_role_policy.role_github-actions_-rolecall-permissions",
  "aws_iam_role_policy_attachment.role_auditor_-aws_-SecurityAudit",
  "aws_iam_role_policy_attachment.role_deployer_-aws_-AWSLambda__FullAccess",
  "aws_iam_role_policy_attachment.role_deployer_-aws_-AmazonEC2ReadOnlyAccess",
  "aws_iam_role_policy_attachment.role_partner-support_-aws_-ReadOnlyAccess",
  "aws_iam_role_policy_attachments_exclusive.role_auditor",
  "aws_iam_role_policy_attachments_exclusive.role_deployer",
  "aws_iam_role_policy_attachments_exclusive.role_github-actions",
  "aws_iam_role_policy_attachments_exclusive.role_legacy-deployer",
  "aws_iam_role_policy_attachments_exclusive.role_partner-support",
]
`);
    expect(out.addresses('tools')).toMatchInlineSnapshot(`
[
  "aws_iam_openid_connect_provider.provider_gitlab",
  "aws_iam_role.role_sso-admin",
  "aws_iam_role_policies_exclusive.role_sso-admin",
  "aws_iam_role_policy_attachment.role_sso-admin_-aws_-AdministratorAccess",
  "aws_iam_role_policy_attachments_exclusive.role_sso-admin",
  "aws_iam_saml_provider.provider_okta",
  "aws_iam_user.user_alice",
  "aws_iam_user.user_ci__bot_2ebuild",
  "aws_iam_user_policies_exclusive.user_alice",
  "aws_iam_user_policies_exclusive.user_ci__bot_2ebuild",
  "aws_iam_user_policy.user_alice_-rolecall-assume-roles",
  "aws_iam_user_policy.user_alice_-rolecall-require-mfa",
  "aws_iam_user_policy_attachments_exclusive.user_alice",
  "aws_iam_user_policy_attachments_exclusive.user_ci__bot_2ebuild",
]
`);
  });
});

describe('users', () => {
  test('aws_iam_user carries name, path, boundary and tags', () => {
    expect(out.resource('tools', 'aws_iam_user', 'user_alice')).toEqual({
      name: 'alice',
      path: '/',
      permissions_boundary: 'arn:aws:iam::222222222222:policy/boundary',
      tags: { team: 'platform' },
    });
    // No boundary, no tags: the arguments are left out, not emitted empty.
    expect(out.resource('tools', 'aws_iam_user', 'user_ci__bot_2ebuild')).toEqual({
      name: 'ci_bot.build',
      path: '/automation/',
    });
  });
});

describe('roles', () => {
  test('aws_iam_role carries the trust document verbatim and its settings', () => {
    for (const role of model.roles) {
      const emitted = out.resource(role.account, 'aws_iam_role', terraformName('role', role.name));
      expect(emitted.assume_role_policy).toBe(role.trustPolicyJson);
      expect(emitted).toMatchObject({ name: role.name, path: role.path, max_session_duration: role.maxSessionDuration });
    }
    expect(out.resource('prod', 'aws_iam_role', 'role_deployer')).toMatchObject({
      description: 'Deploys releases from the tools account',
      tags: { owner: 'platform' },
    });
    expect(out.resource('tools', 'aws_iam_role', 'role_sso-admin')).toMatchObject({
      permissions_boundary: 'arn:aws:iam::222222222222:policy/boundary',
      max_session_duration: 43200,
    });
    expect(out.resource('prod', 'aws_iam_role', 'role_auditor')).not.toHaveProperty('description');
  });

  test('a role waits for the same-account principals its trust names', () => {
    const dependsOn = (account: string, role: string) =>
      out.resource(account, 'aws_iam_role', terraformName('role', role)).depends_on;
    expect(dependsOn('prod', 'auditor')).toEqual(['aws_iam_role.role_deployer']);
    expect(dependsOn('prod', 'github-actions')).toEqual(['aws_iam_openid_connect_provider.provider_github']);
    expect(dependsOn('tools', 'sso-admin')).toEqual(['aws_iam_saml_provider.provider_okta']);
    // alice lives in tools: the stack dependency orders that, not depends_on.
    expect(dependsOn('prod', 'deployer')).toBeUndefined();
    expect(dependsOn('prod', 'partner-support')).toBeUndefined();
  });
});

/** A principal's emitted policies are exactly the model's: each inline policy, each attachment, the exclusive lists. */
function expectPoliciesOf(synthesized: Synthesized, kind: 'user' | 'role', principal: User | Role): void {
  const types = {
    principal: `aws_iam_${kind}`,
    inline: `aws_iam_${kind}_policy`,
    attachment: `aws_iam_${kind}_policy_attachment`,
    exclusivePolicies: `aws_iam_${kind}_policies_exclusive`,
    exclusiveAttachments: `aws_iam_${kind}_policy_attachments_exclusive`,
  };
  const { account } = principal;
  const name = terraformName(kind, principal.name);
  const principalAddress = `${types.principal}.${name}`;
  const principalName = ref(types.principal, name, 'name');

  const policyNames = principal.inlinePolicies.map((p) => p.name).sort();
  const policyAddresses = principal.inlinePolicies.map((policy) => {
    const policyId = terraformName(kind, principal.name, policy.name);
    expect(synthesized.resource(account, types.inline, policyId)).toEqual({
      name: policy.name,
      policy: policy.json,
      [kind]: principalName,
    });
    return `${types.inline}.${policyId}`;
  });

  const policyArns = principal.managedPolicies.map((m) => m.arn).sort();
  const attachmentAddresses = policyArns.map((arn) => {
    const attachmentId = terraformName(kind, principal.name, ...policyIdParts(arn));
    expect(synthesized.resource(account, types.attachment, attachmentId)).toEqual({ policy_arn: arn, [kind]: principalName });
    return `${types.attachment}.${attachmentId}`;
  });

  // Nothing else of this principal's: the emitted policies are exactly the model's.
  const ownedBy = (type: string) =>
    Object.values(synthesized.stack(account).resource[type] ?? {}).filter((r) => r[kind] === principalName).length;
  expect(ownedBy(types.inline)).toBe(principal.inlinePolicies.length);
  expect(ownedBy(types.attachment)).toBe(principal.managedPolicies.length);

  expect(synthesized.resource(account, types.exclusivePolicies, name)).toEqual({
    [`${kind}_name`]: principalName,
    policy_names: policyNames,
    depends_on: [principalAddress, ...policyAddresses].sort(),
  });
  expect(synthesized.resource(account, types.exclusiveAttachments, name)).toEqual({
    [`${kind}_name`]: principalName,
    policy_arns: policyArns,
    depends_on: [principalAddress, ...attachmentAddresses].sort(),
  });
}

describe('user policies', () => {
  test.each(FIXTURE_USERS)('%s', (name) => expectPoliciesOf(out, 'user', findUser(model, name)));

  test('the fixture exercises inline policies on a user, and a user with none', () => {
    expect(findUser(model, 'alice').inlinePolicies.map((p) => p.name)).toEqual(['rolecall-assume-roles', 'rolecall-require-mfa']);
    expect(findUser(model, 'ci_bot.build').inlinePolicies).toEqual([]);
  });

  test('a user with managed policies (the model carries them; the v1 YAML gives users none)', () => {
    const alice = findUser(model, 'alice');
    const withAttachments: User = {
      ...alice,
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::222222222222:policy/team/reports'].map((arn) => ({ arn, source: alice.source })),
    };
    const synthesized = synthesizeToTempDir({ ...model, users: model.users.map((u) => (u.name === 'alice' ? withAttachments : u)) });
    expectPoliciesOf(synthesized, 'user', withAttachments);
    expect(synthesized.addresses('tools').filter((a) => a.startsWith('aws_iam_user_policy_attachment.'))).toEqual([
      'aws_iam_user_policy_attachment.user_alice_-222222222222_-team_2freports',
      'aws_iam_user_policy_attachment.user_alice_-aws_-ReadOnlyAccess',
    ]);
  });
});

describe('role policies', () => {
  test.each(FIXTURE_ROLES)('%s', (name) => expectPoliciesOf(out, 'role', findRole(model, name)));

  test('the fixture exercises inline policies and attachments on roles, and a role with neither', () => {
    expect(findRole(model, 'deployer').inlinePolicies.map((p) => p.name)).toEqual(['rolecall-assume-roles', 'rolecall-permissions']);
    expect(findRole(model, 'deployer').managedPolicies).toHaveLength(2);
    expect(findRole(model, 'legacy-deployer')).toMatchObject({ inlinePolicies: [], managedPolicies: [] });
  });
});

describe('identity providers', () => {
  test('a managed OIDC provider, with its thumbprints when given', () => {
    expect(out.resource('prod', 'aws_iam_openid_connect_provider', 'provider_github')).toEqual({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
      thumbprint_list: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    });
    expect(out.resource('tools', 'aws_iam_openid_connect_provider', 'provider_gitlab')).toEqual({
      url: 'https://gitlab.example.com',
      client_id_list: ['https://gitlab.example.com'],
    });
  });

  test('a managed SAML provider', () => {
    expect(out.resource('tools', 'aws_iam_saml_provider', 'provider_okta')).toEqual({
      name: 'okta',
      saml_metadata_document: SAML_METADATA,
    });
  });

  test('an existing provider is not emitted', () => {
    expect(Object.keys(out.stack('prod').resource.aws_iam_openid_connect_provider)).toEqual(['provider_github']);
  });
});

describe('createAfter edge cases', () => {
  const withCreateAfter = (createAfter: Role['createAfter']): AccessModel => ({
    ...model,
    roles: model.roles.map((r) => (r.name === 'legacy-deployer' ? { ...r, createAfter } : r)),
  });

  test('a provider rolecall does not create gives no depends_on', () => {
    const synthesized = synthesizeToTempDir(withCreateAfter([{ kind: 'provider', account: 'prod', name: 'legacy-oidc' }]));
    expect(synthesized.resource('prod', 'aws_iam_role', 'role_legacy-deployer').depends_on).toBeUndefined();
  });

  test('a principal missing from the model is a bug, reported by name', () => {
    expect(() => synthesizeToTempDir(withCreateAfter([{ kind: 'user', account: 'prod', name: 'ghost' }]))).toThrow(
      /createAfter names user prod\/ghost/,
    );
  });

  test('fixture sanity: the principals used above exist', () => {
    expect(findRole(model, 'legacy-deployer').createAfter).toEqual([]);
    expect(model.providers.find((p) => p.name === 'legacy-oidc')).toMatchObject({ account: 'prod', managed: false });
    expect(findUser(model, 'alice').account).toBe('tools');
  });
});
