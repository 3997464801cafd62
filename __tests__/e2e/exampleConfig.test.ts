/**
 * The example organisation in config/: the four stories end to end, on the
 * synthesized stacks, and every stack through the real `terraform validate`.
 */
import * as path from 'node:path';
import { compile } from '../../src/pipeline/compile';
import type { AccessModel } from '../../src/model/accessModel';
import { terraformName } from '../../stacks/logicalId';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from '../stacks/synthesized';
import { parsePolicy } from '../support/policyJson';
import { describeSkip, terraformValidateAll } from '../support/terraform';

const parse = (json: unknown) => parsePolicy(json).Statement;

const ROOT = path.resolve(__dirname, '../..');
let model: AccessModel;
let out: Synthesized;

beforeAll(async () => {
  const result = await compile('config', { cwd: ROOT });
  expect(result.diagnostics).toEqual([]);
  model = result.model!;
  out = synthesizeToTempDir(model);
});
afterAll(removeSynthesizedDirs);

const role = (account: string, name: string) => out.resource(account, 'aws_iam_role', terraformName('role', name));
const rolePolicy = (account: string, name: string, policy: string) =>
  parse(out.resource(account, 'aws_iam_role_policy', terraformName('role', name, policy))['policy']);
const userPolicy = (account: string, name: string, policy: string) =>
  parse(out.resource(account, 'aws_iam_user_policy', terraformName('user', name, policy))['policy']);

describe('the example organisation', () => {
  it('has one stack per managed account; data-prod deploys after identity, whose principals it trusts', () => {
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(['data-prod', 'identity']);
    expect(out.manifest.stacks['data-prod']!.dependencies).toEqual(['identity']);
    expect(out.manifest.stacks['identity']!.dependencies).toEqual([]);
    expect(out.stack('data-prod').provider.aws).toEqual([{ allowed_account_ids: ['222222222222'], region: 'eu-west-1' }]);
    expect(out.stack('identity').provider.aws).toEqual([{ allowed_account_ids: ['111111111111'], region: 'us-east-1' }]);
  });

  it('story 1: alice assumes s3-reader with MFA; it can read S3 and not write', () => {
    const trust = parse(role('data-prod', 's3-reader')['assume_role_policy']);
    const alice = trust.find((s) => s.Principal?.['AWS']?.includes('arn:aws:iam::111111111111:user/people/alice'))!;
    expect(alice.Action).toEqual(['sts:AssumeRole']);
    expect(alice.Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] } });

    const assume = userPolicy('identity', 'alice', 'rolecall-assume-roles');
    const onReader = assume.filter((s) => s.Resource?.includes('arn:aws:iam::222222222222:role/s3-reader'));
    expect(onReader).toEqual([
      { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: ['arn:aws:iam::222222222222:role/s3-reader'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } },
    ]);
    const attachments = out.resource('data-prod', 'aws_iam_role_policy_attachments_exclusive', terraformName('role', 's3-reader'));
    expect(attachments['policy_arns']).toEqual(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    // No inline permission adds a write.
    expect(out.resource('data-prod', 'aws_iam_role_policies_exclusive', terraformName('role', 's3-reader'))['policy_names']).toEqual([]);
  });

  it('story 2: the partner reads one prefix of one bucket, with an external id, until the expiry', () => {
    const [statement, ...rest] = parse(role('data-prod', 'partner-acme-reports')['assume_role_policy']);
    expect(rest).toEqual([]);
    expect(statement!.Principal).toEqual({ AWS: ['arn:aws:iam::333333333333:root'] });
    expect(statement!.Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': ['2029-12-31T00:00:00Z'] },
      StringEquals: { 'sts:ExternalId': ['acme-joint-2026'] },
    });
    const read = rolePolicy('data-prod', 'partner-acme-reports', 'rolecall-s3-read-only');
    const resources = read.flatMap((s) => s.Resource ?? []);
    expect(new Set(resources)).toEqual(new Set(['arn:aws:s3:::analytics-prod', 'arn:aws:s3:::analytics-prod/reports/*']));
    const actions = read.flatMap((s) => s.Action ?? []);
    expect(actions).toContain('s3:GetObject');
    expect(actions).toContain('s3:ListBucket');
    for (const action of actions) expect(action).toMatch(/^s3:(Get|List)/);
    const listing = read.find((s) => s.Action?.includes('s3:ListBucket'))!;
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': ['reports/', 'reports/*'] } });
    // No long-lived keys: nothing in any stack creates access keys.
    for (const stack of ['data-prod', 'identity']) expect(out.stack(stack).resource).not.toHaveProperty('aws_iam_access_key');
  });

  it('story 3: the token broker may call GetFederationToken, for one bucket', () => {
    const federation = userPolicy('data-prod', 'report-broker', 'rolecall-federation');
    const token = federation.find((s) => s.Action?.includes('sts:GetFederationToken'))!;
    expect(token.Resource).toEqual(['arn:aws:sts::222222222222:federated-user/*']);
    const handedOut = federation.filter((s) => s !== token);
    expect(handedOut).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::testing-testing-test-test/*'] },
    ]);
  });

  it('story 4: GitHub Actions deploys from one repository and branch; staff sign in through SAML; data-admin needs a recent MFA', () => {
    const [github] = parse(role('data-prod', 'analytics-deploy')['assume_role_policy']);
    expect(github!.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(github!.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'],
        'token.actions.githubusercontent.com:sub': ['repo:acme/analytics-pipeline:ref:refs/heads/main'],
      },
    });
    const [saml] = parse(role('identity', 'staff-console')['assume_role_policy']);
    expect(saml!.Principal).toEqual({ Federated: ['arn:aws:iam::111111111111:saml-provider/okta'] });
    expect(saml!.Action).toEqual(['sts:AssumeRoleWithSAML']);
    const provider = out.resource('identity', 'aws_iam_saml_provider', terraformName('provider', 'okta'));
    expect(provider['name']).toBe('okta');
    expect(provider['saml_metadata_document']).toMatch(/EntityDescriptor/);

    const [admin] = parse(role('data-prod', 'data-admin')['assume_role_policy']);
    expect(admin!.Condition?.['NumericLessThan']).toEqual({ 'aws:MultiFactorAuthAge': ['3600'] });
    expect(admin!.Condition?.['Bool']).toEqual({ 'aws:MultiFactorAuthPresent': ['true'] });
    // requireMfa: alice can do nothing but set up MFA until she signs in with it.
    const requireMfa = userPolicy('identity', 'alice', 'rolecall-require-mfa');
    const deny = requireMfa.find((s) => s.Effect === 'Deny')!;
    expect(deny.NotAction).not.toContain('sts:AssumeRole');
    expect(deny.Condition).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } });
    // Her own user (path included) and MFA devices of her account: nothing of anyone else's.
    const resources = new Set(requireMfa.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Resource ?? []));
    expect([...resources].sort()).toEqual(['*', 'arn:aws:iam::111111111111:mfa/*', 'arn:aws:iam::111111111111:user/people/alice']);
  });

  it('writes no deprecated or account-wide resource, and no policy data source', () => {
    for (const stack of ['data-prod', 'identity']) {
      const json = out.stack(stack);
      expect(json.resource).not.toHaveProperty('aws_iam_policy_attachment');
      expect(json.data).toBeUndefined();
      for (const r of Object.values(json.resource['aws_iam_role'] ?? {})) {
        expect(r).not.toHaveProperty('inline_policy');
        expect(r).not.toHaveProperty('managed_policy_arns');
      }
    }
  });
});

describeSkip()('terraform validate on the example organisation', () => {
  test('every stack synthesized from config/ is valid Terraform', async () => {
    const stacks = model.stacks.map((s) => s.account);
    const results = await terraformValidateAll(stacks.map((s) => out.stackDir(s)));
    expect(results.map((r, i) => ({ stack: stacks[i], ok: r.ok, output: r.output }))).toEqual(stacks.map((stack) => ({ stack, ok: true, output: '' })));
  }, 180_000);
});
