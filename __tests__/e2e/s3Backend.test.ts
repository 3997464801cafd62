/**
 * The emitted S3 backend, for real (issue 7, item 2): a config with
 * `state.s3` for two accounts, synthesized, and for each stack `terraform
 * init` with the backend as emitted, then a plan and an apply, against a
 * local S3-compatible server (s3rver, support/localS3.ts). The test
 * overrides only where the server is and its test keys (`-backend-config`),
 * and for the plan the offline provider recipe of support/terraform.ts.
 *
 * What it proves: every stack keeps its state in its own object at the
 * emitted key; plan and apply take and release S3's lock file
 * (`KEY.tflock`, use_lockfile) and a held lock refuses a second run; the
 * backend assumes `roleArn` and the provider `deployRole` (through an STS
 * stand-in).
 *
 * State without AWS: the IAM resources cannot be created, so the state is
 * written by `terraform apply -refresh-only`, an apply that changes nothing
 * but still takes the lock and writes (serial 1) the stack's state object.
 */
import { offlinePlanOverride, PLAN_OVERRIDE_FILE } from '../../src/terraform/offlinePlan';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccessModel } from '../../src/model/accessModel';
import { compileValid } from '../support/compileYaml';
import { LOCAL_S3_KEYS, startLocalS3, type LocalS3, type S3Request } from '../support/localS3';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from '../stacks/synthesized';
import {
  describeSkip,
  findProviderMirror,
  findTerraform,
  run,
  terraformEnv,
  withoutAwsCredentials,
} from '../support/terraform';

const BUCKET = 'acme-iam-state';
const STATE_ROLE = 'arn:aws:iam::111111111111:role/iam-state';
const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/rolecall-deploy';
const STACKS = ['data-prod', 'identity'] as const;
const keyOf = (stack: string) => `rolecall/${stack}/iam.tfstate`;

const CONFIG = `
state:
  s3:
    bucket: ${BUCKET}
    region: eu-west-1
    key: rolecall/{account}/iam.tfstate
    roleArn: ${STATE_ROLE}
accounts:
  - name: identity
    id: "111111111111"
  - name: data-prod
    id: "222222222222"
    region: eu-west-1
    deployRole: ${DEPLOY_ROLE}
users:
  - name: alice
    account: identity
roles:
  - name: reader
    account: data-prod
    trust:
      - user: identity/alice
        mfa: true
    s3ReadOnly:
      buckets: [analytics-prod]
`;

interface StackRun {
  /** The S3 requests of each step, by step. */
  readonly requests: Record<string, S3Request[]>;
  readonly assumed: Record<string, string[]>;
  readonly planned: string[];
}

describeSkip()('the S3 backend against a local S3 server', () => {
  let base: string;
  let s3: LocalS3;
  let model: AccessModel;
  let out: Synthesized;
  const runs = new Map<string, StackRun>();
  let workDirs: Map<string, string>;

  const terraform = (workDir: string, args: string[]) =>
    run(findTerraform()!, args, workDir, withoutAwsCredentials(terraformEnv(workDir)));

  /** The one thing the test changes: where S3 and STS are, and the server's keys. */
  const backendConfig = () => [
    `-backend-config=endpoints={s3="${s3.endpoint}",sts="${s3.stsEndpoint}"}`,
    '-backend-config=use_path_style=true',
    '-backend-config=skip_credentials_validation=true',
    '-backend-config=skip_requesting_account_id=true',
    '-backend-config=skip_metadata_api_check=true',
    '-backend-config=skip_region_validation=true',
    `-backend-config=access_key=${LOCAL_S3_KEYS.accessKey}`,
    `-backend-config=secret_key=${LOCAL_S3_KEYS.secretKey}`,
  ];

  /** Runs one step, returning the S3 requests and AssumeRole calls made while it ran; throws with terraform's output on failure. */
  const step = async (workDir: string, args: string[]) => {
    const [requestsBefore, rolesBefore] = [s3.requests.length, s3.assumedRoles.length];
    const result = await terraform(workDir, args);
    if (result.code !== 0) throw new Error(`terraform ${args[0]} failed in ${workDir}:\n${result.stdout}${result.stderr}`);
    return { result, requests: s3.requests.slice(requestsBefore), assumed: s3.assumedRoles.slice(rolesBefore) };
  };

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-s3-backend-'));
    s3 = await startLocalS3(path.join(base, 's3'), [BUCKET]);
    model = await compileValid({ 'config.yaml': CONFIG });
    out = synthesizeToTempDir(model);
    workDirs = new Map();
    // One stack after the other, so that each request is known to be its stack's.
    for (const stack of STACKS) {
      const workDir = path.join(base, stack);
      fs.mkdirSync(workDir);
      workDirs.set(stack, workDir);
      fs.copyFileSync(path.join(out.stackDir(stack), 'cdk.tf.json'), path.join(workDir, 'cdk.tf.json'));
      // The offline provider of terraformPlan, its STS at the stand-in; the emitted backend stays.
      // The deploy role is kept (its assume_role is not overridden): the stand-in STS must see it assumed.
      const stackJson: unknown = JSON.parse(fs.readFileSync(path.join(workDir, 'cdk.tf.json'), 'utf8'));
      const { provider } = offlinePlanOverride(stackJson, path.join(workDir, 'unused.tfstate')) as { provider: { aws: Record<string, unknown>[] } };
      const { assume_role: _kept, ...offline } = provider.aws[0]!;
      const aws = { ...offline, endpoints: [{ sts: s3.stsEndpoint }] };
      fs.writeFileSync(path.join(workDir, PLAN_OVERRIDE_FILE), JSON.stringify({ provider: { aws: [aws] } }, null, 2));

      const init = await step(workDir, ['init', '-input=false', '-no-color', `-plugin-dir=${findProviderMirror()!}`, ...backendConfig()]);
      const plan = await step(workDir, ['plan', '-input=false', '-no-color', '-refresh=false', '-json']);
      const apply = await step(workDir, ['apply', '-input=false', '-no-color', '-refresh-only', '-auto-approve']);
      runs.set(stack, {
        requests: { init: init.requests, plan: plan.requests, apply: apply.requests },
        assumed: { init: init.assumed, plan: plan.assumed, apply: apply.assumed },
        planned: plannedCreations(plan.result.stdout),
      });
    }
  }, 480_000);

  afterAll(async () => {
    await s3?.close();
    removeSynthesizedDirs();
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it('emits the backend the test runs unchanged: bucket, per-stack key, region, encryption, lock file, state role', () => {
    for (const stack of STACKS) {
      const written = JSON.parse(fs.readFileSync(path.join(workDirs.get(stack)!, 'cdk.tf.json'), 'utf8')) as StackBackend;
      expect(written.terraform.backend).toEqual({
        s3: { bucket: BUCKET, key: keyOf(stack), region: 'eu-west-1', encrypt: true, use_lockfile: true, assume_role: { role_arn: STATE_ROLE } },
      });
    }
  });

  it('plans every resource of each stack through the S3 backend', () => {
    for (const stack of STACKS) expect(runs.get(stack)!.planned).toEqual(out.addresses(stack));
    expect(runs.get('data-prod')!.planned).toContain('aws_iam_role.role_reader');
  });

  it('takes the lock file KEY.tflock for plan and apply, reads and writes state only while holding it, and releases it', () => {
    for (const stack of STACKS) {
      const key = keyOf(stack);
      for (const name of ['plan', 'apply'] as const) {
        const requests = runs.get(stack)!.requests[name]!.filter((r) => r.bucket === BUCKET);
        const lockPut = requests.findIndex((r) => r.method === 'PUT' && r.key === `${key}.tflock` && r.status === 200);
        const lockDelete = requests.findIndex((r) => r.method === 'DELETE' && r.key === `${key}.tflock`);
        const stateRequests = requests.map((r, i) => [r, i] as const).filter(([r]) => r.key === key);
        expect({ stack, name, lockPut: lockPut >= 0, released: lockDelete > lockPut }).toEqual({ stack, name, lockPut: true, released: true });
        expect(stateRequests.length).toBeGreaterThan(0);
        for (const [, i] of stateRequests) expect({ stack, name, insideLock: i > lockPut && i < lockDelete }).toEqual({ stack, name, insideLock: true });
        // No other stack's objects are touched.
        expect(requests.filter((r) => r.key !== '' && !r.key.startsWith(key))).toEqual([]);
      }
      const applied = runs.get(stack)!.requests.apply!;
      expect(applied.some((r) => r.method === 'PUT' && r.key === key && r.status === 200)).toBe(true);
    }
  });

  it('leaves one state object per stack at its key, each its own state, and no lock behind', async () => {
    expect(await s3.keys(BUCKET)).toEqual(STACKS.map(keyOf).sort());
    const states = await Promise.all(STACKS.map(async (stack) => JSON.parse((await s3.read(BUCKET, keyOf(stack)))!) as { version: number; serial: number; lineage: string }));
    for (const state of states) expect(state).toMatchObject({ version: 4, serial: 1 });
    expect(new Set(states.map((s) => s.lineage)).size).toBe(STACKS.length);
  });

  it('the backend assumes state.s3.roleArn; only the data-prod provider assumes its deployRole', () => {
    for (const stack of STACKS) {
      const { assumed } = runs.get(stack)!;
      expect(assumed.init).toContain(STATE_ROLE);
      expect(assumed.init!.filter((arn) => arn !== STATE_ROLE)).toEqual([]);
      const providerRoles = assumed.plan!.filter((arn) => arn !== STATE_ROLE);
      expect([...new Set(providerRoles)]).toEqual(stack === 'data-prod' ? [DEPLOY_ROLE] : []);
    }
  });

  it('a lock held by another run refuses the plan, which leaves that lock alone', async () => {
    const workDir = workDirs.get('identity')!;
    const lockKey = `${keyOf('identity')}.tflock`;
    const held = JSON.stringify({ ID: '4a4e6d7c-held-by-another-run', Operation: 'OperationTypeApply', Who: 'ci@runner', Version: '1.11.4', Created: '2026-12-01T00:00:00Z', Path: `${BUCKET}/${keyOf('identity')}` });
    await s3.put(BUCKET, lockKey, held);
    try {
      const refused = await terraform(workDir, ['plan', '-input=false', '-no-color', '-refresh=false', '-lock-timeout=0s']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr + refused.stdout).toMatch(/Error acquiring the state lock/);
      expect(refused.stderr + refused.stdout).toContain('4a4e6d7c-held-by-another-run');
      expect(await s3.read(BUCKET, lockKey)).toBe(held);
    } finally {
      await s3.remove(BUCKET, lockKey);
    }
  }, 120_000);
});

/** The addresses `terraform plan -json` says it will create, sorted. */
function plannedCreations(jsonLines: string): string[] {
  return jsonLines
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type?: string; change?: { action?: string; resource?: { addr?: string } } })
    .filter((message) => message.type === 'planned_change' && message.change?.action === 'create')
    .map((message) => message.change!.resource!.addr!)
    .sort();
}

interface StackBackend {
  terraform: { backend: Record<string, unknown> };
}
