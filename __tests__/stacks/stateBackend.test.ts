/**
 * `state:` and `deployRole:` from YAML to cdk.tf.json (issue 7, item 2):
 * the S3 backend with its lock file, HCP Terraform's cloud block, the
 * provider's assume_role; and without them, the output of before.
 */
import { TerraformStack, Testing } from 'cdktf';
import type { AccessModel, StateBackend } from '../../src/model/accessModel';
import { addStateBackend } from '../../stacks/stateBackend';
import { compileValid, compileYaml } from '../support/compileYaml';
import { removeSynthesizedDirs, synthesizeToTempDir } from './synthesized';

afterAll(removeSynthesizedDirs);

const ACCOUNTS = `
accounts:
  - name: identity
    id: "111111111111"
  - name: data-prod
    id: "222222222222"
    region: eu-west-1
    deployRole: arn:aws:iam::222222222222:role/ci/rolecall-deploy
  - name: partner
    id: "333333333333"
    external: true
users:
  - name: alice
    account: identity
`;

const S3_STATE = `
state:
  s3:
    bucket: acme-iam-state
    region: eu-west-1
    key: rolecall/{account}/iam.tfstate
    roleArn: arn:aws:iam::111111111111:role/iam-state
`;

const CLOUD_STATE = `
state:
  cloud:
    organization: acme
    workspace: rolecall-{account}
`;

describe('state.s3', () => {
  let model: AccessModel;
  beforeAll(async () => {
    model = await compileValid({ 'accounts.yaml': ACCOUNTS, 'state.yaml': S3_STATE });
  });

  it('is in the model once, as written, its key still a template', () => {
    expect(model.state).toEqual({
      kind: 's3',
      bucket: 'acme-iam-state',
      region: 'eu-west-1',
      key: 'rolecall/{account}/iam.tfstate',
      roleArn: 'arn:aws:iam::111111111111:role/iam-state',
      source: { file: 'state.yaml', path: ['state', 's3'] },
    });
  });

  it('gives every stack the S3 backend: its own key, encrypted, S3 lock file, the state role', () => {
    const out = synthesizeToTempDir(model);
    for (const stack of ['identity', 'data-prod']) {
      expect(out.stack(stack).terraform.backend).toEqual({
        s3: {
          bucket: 'acme-iam-state',
          key: `rolecall/${stack}/iam.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          use_lockfile: true,
          assume_role: { role_arn: 'arn:aws:iam::111111111111:role/iam-state' },
        },
      });
      expect(out.manifest.stacks[stack]).toBeDefined();
    }
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(['data-prod', 'identity']);
  });

  it('without roleArn, the backend takes the caller\'s credentials: no assume_role', async () => {
    const plain = await compileValid({ 'accounts.yaml': ACCOUNTS, 'state.yaml': S3_STATE.replace(/ *roleArn:.*\n/, '') });
    const backend = synthesizeToTempDir(plain).stack('identity').terraform.backend!;
    expect(backend.s3).not.toHaveProperty('assume_role');
    expect(backend.s3).toMatchObject({ use_lockfile: true, encrypt: true, key: 'rolecall/identity/iam.tfstate' });
  });
});

describe('state.cloud', () => {
  it('emits HCP Terraform\'s cloud block, one workspace per stack, and no backend', async () => {
    const model = await compileValid({ 'accounts.yaml': ACCOUNTS, 'state.yaml': CLOUD_STATE });
    const out = synthesizeToTempDir(model);
    for (const stack of ['identity', 'data-prod']) {
      const terraform = out.stack(stack).terraform as Record<string, unknown>;
      expect(terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: `rolecall-${stack}` } });
      expect(terraform).not.toHaveProperty('backend');
    }
  });

  it('names the Terraform Enterprise host when given', async () => {
    const model = await compileValid({ 'accounts.yaml': ACCOUNTS, 'state.yaml': `${CLOUD_STATE}    hostname: tfe.example.com\n` });
    const terraform = synthesizeToTempDir(model).stack('identity').terraform as Record<string, unknown>;
    expect(terraform.cloud).toEqual({ hostname: 'tfe.example.com', organization: 'acme', workspaces: { name: 'rolecall-identity' } });
  });
});

describe('deployRole', () => {
  it('makes that stack\'s provider assume the role, allowed_account_ids kept; other stacks unchanged', async () => {
    const model = await compileValid({ 'accounts.yaml': ACCOUNTS });
    expect(model.stacks.find((s) => s.account === 'data-prod')?.deployRoleArn).toBe('arn:aws:iam::222222222222:role/ci/rolecall-deploy');
    expect(model.stacks.find((s) => s.account === 'identity')).not.toHaveProperty('deployRoleArn');
    const out = synthesizeToTempDir(model);
    expect(out.stack('data-prod').provider.aws).toEqual([
      {
        region: 'eu-west-1',
        allowed_account_ids: ['222222222222'],
        assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/ci/rolecall-deploy' }],
      },
    ]);
    expect(out.stack('identity').provider.aws).toEqual([{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }]);
  });

  it.each([
    ['arn:aws:iam::111111111111:role/rolecall-deploy', 'deploy-role', 'must be a role in that account (222222222222), not in 111111111111 ("identity")'],
    ['arn:aws:iam::444444444444:role/rolecall-deploy', 'deploy-role', 'not in 444444444444:'],
    ['arn:aws-cn:iam::222222222222:role/rolecall-deploy', 'partition-mismatch', 'partition aws-cn'],
  ])('refuses %s at the value', async (arn, rule, why) => {
    const result = await compileYaml({ 'accounts.yaml': ACCOUNTS.replace('arn:aws:iam::222222222222:role/ci/rolecall-deploy', arn) });
    expect(result.configErrors.map((f) => [f.rule, f.line, f.column])).toEqual([[rule, 8, 17]]);
    expect(result.configErrors[0]!.message).toContain(why);
  });
});

describe('state across files', () => {
  it('a second state: is an error at the second, naming the first; the first is the one used', async () => {
    const result = await compileYaml({ 'a.yaml': `${ACCOUNTS}${S3_STATE}`, 'b/c.yaml': CLOUD_STATE });
    expect(result.configErrors.map((f) => [f.file, f.rule, f.line, f.column, f.message])).toEqual([
      [
        expect.stringMatching(/b\/c\.yaml$/),
        'duplicate-state',
        2,
        1,
        expect.stringMatching(/state is declared twice; keep one state: .*also at .*a\.yaml:16:1/),
      ],
    ]);
    expect(result.model?.state?.kind).toBe('s3');
  });

  it('a state role in another partition than the bucket\'s region is refused', async () => {
    const result = await compileYaml({ 'a.yaml': ACCOUNTS, 's.yaml': S3_STATE.replace('region: eu-west-1', 'region: cn-north-1') });
    expect(result.configErrors.map((f) => [f.rule, f.line, f.column])).toEqual([['partition-mismatch', 7, 14]]);
  });

  it('a lock-table key gets a hint: S3\'s lock file needs none', async () => {
    const result = await compileYaml({ 'a.yaml': ACCOUNTS, 's.yaml': `${S3_STATE}    dynamodbTable: locks\n` });
    expect(result.configErrors.map((f) => [f.rule, f.message])).toEqual([
      ['unknown-key', expect.stringContaining('no lock table is needed')],
    ]);
    // Only an unknown key: the state is still read, without it.
    expect(result.model?.state?.kind).toBe('s3');
  });
});

describe('without state: or deployRole:', () => {
  it('the local backend and the provider are exactly as before', async () => {
    const model = await compileValid({ 'accounts.yaml': ACCOUNTS.replace(/ *deployRole:.*\n/, '') });
    expect(model).not.toHaveProperty('state');
    const out = synthesizeToTempDir(model);
    for (const [stack, region, id] of [['identity', 'us-east-1', '111111111111'], ['data-prod', 'eu-west-1', '222222222222']] as const) {
      expect(out.stack(stack).terraform).toEqual({
        backend: { local: { path: `../../../terraform.${stack}.tfstate` } },
        required_providers: out.stack(stack).terraform.required_providers,
      });
      expect(out.stack(stack).provider.aws).toEqual([{ region, allowed_account_ids: [id] }]);
      expect((out.stack(stack)['//'] as { metadata: Record<string, unknown> }).metadata).not.toHaveProperty('overrides');
    }
  });
});

describe('addStateBackend escapes what it writes', () => {
  // The schema admits no $ or % in these values; the emitter does not rely on it.
  const hostile: StateBackend[] = [
    { kind: 's3', bucket: 'b${file("/etc/passwd")}', region: 'eu-west-1', key: 'k/%{if 1}{account}', roleArn: 'arn:${x}', source: { file: 'x', path: [] } },
    { kind: 'cloud', organization: 'o${x}', workspace: 'w-%{y}-{account}', hostname: 'h${z}', source: { file: 'x', path: [] } },
  ];
  it.each(hostile.map((s) => [s.kind, s] as const))('%s: every string is a Terraform literal', (_kind, state) => {
    const stack = new TerraformStack(Testing.app(), 'stack-a');
    addStateBackend(stack, state, 'stack-a');
    const text = Testing.synth(stack);
    expect(text).not.toMatch(/(?<!\$)\$\{(?!"")/);
    expect(text).not.toMatch(/(?<!%)%\{/);
    expect(text).toContain('stack-a');
  });
});
