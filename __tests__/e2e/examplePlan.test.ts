/**
 * The offline plan recipe (support/terraform.ts `terraformPlan`) on the
 * example organisation: every synthesized resource is planned, with the
 * arguments cdk.tf.json gave it. This is the recipe `rolecall plan` runs
 * (src/terraform/offlinePlan.ts).
 */
import * as path from 'node:path';
import { compile } from '../../src/pipeline/compile';
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from '../stacks/synthesized';
import { describeSkip, terraformPlan, type TerraformPlan } from '../support/terraform';

const ROOT = path.resolve(__dirname, '../..');
let out: Synthesized;
const plans = new Map<string, TerraformPlan>();

beforeAll(async () => {
  const result = await compile('config', { cwd: ROOT });
  expect(result.diagnostics).toEqual([]);
  out = synthesizeToTempDir(result.model!);
});
afterAll(removeSynthesizedDirs);

describeSkip()('terraform plan (offline) of the example organisation', () => {
  beforeAll(async () => {
    const accounts = Object.keys(out.manifest.stacks).sort();
    const planned = await Promise.all(accounts.map((account) => terraformPlan(out.stackDir(account))));
    accounts.forEach((account, i) => plans.set(account, planned[i]!));
    if (process.env.ROLECALL_TIMINGS) console.log(`terraform init+plan+show, in parallel: ${planned.map((p) => `${p.seconds} s`).join(', ')}`);
  }, 240_000);

  it('plans every resource of every stack, and only those', () => {
    expect([...plans.keys()]).toEqual(['data-prod', 'identity']);
    for (const [account, plan] of plans) {
      expect([...plan.resources.keys()].sort()).toEqual(out.addresses(account));
    }
  });

  it('plans each string argument as cdk.tf.json wrote it', () => {
    for (const [account, plan] of plans) {
      for (const address of out.addresses(account)) {
        const [type, name] = address.split('.') as [string, string];
        const planned = plan.resources.get(address)!.values;
        for (const [argument, value] of Object.entries(out.resource(account, type, name))) {
          // References (`${aws_iam_role.x.name}`) are unknown until apply; policies are normalised JSON.
          if (typeof value !== 'string' || value.startsWith('${') || argument.endsWith('policy')) continue;
          expect({ address, argument, value: planned[argument] }).toEqual({ address, argument, value });
        }
      }
    }
  });
});
