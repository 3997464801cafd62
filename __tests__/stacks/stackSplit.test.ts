/**
 * Accounts that trust each other's principals (examples/mutual-trust:
 * identity's users trusted by prod's roles, an identity role trusting a prod
 * role): the identity account is split into identity-principals (its users)
 * and identity (its roles), so that one `cdktf deploy '*'` creates
 * everything in order, and the state of an existing single-stack deployment
 * moves to the split without replacing anything (docs/config-format.md,
 * "Stacks").
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccessModel } from '../../src/model/accessModel';
import { compileValid } from '../support/compileYaml';
import { describeSkip, findTerraform, terraformPlan } from '../support/terraform';
import { removeSynthesizedDirs, synthesizeToTempDir, type ManifestJson, type StackJson, type Synthesized } from './synthesized';

const EXAMPLE_DIR = path.join(__dirname, '..', '..', 'examples', 'mutual-trust');
/** The file whose trust closes the cycle; without it, the example is one stack per account. */
const CLOSING_FILE = 'directory-reader.yaml';

function exampleFiles(without: readonly string[] = []): Record<string, string> {
  const names = fs.readdirSync(EXAMPLE_DIR).filter((name) => name.endsWith('.yaml') && !without.includes(name));
  return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(EXAMPLE_DIR, name), 'utf8')]));
}

let split: AccessModel;
let single: AccessModel;
beforeAll(async () => {
  split = await compileValid(exampleFiles());
  single = await compileValid(exampleFiles([CLOSING_FILE]));
});
afterAll(removeSynthesizedDirs);

const stackSummary = (model: AccessModel) => model.stacks.map(({ name, account, holds, dependsOn }) => ({ name, account, holds, dependsOn }));

describe('stacks of accounts that trust each other', () => {
  test('the identity account is split; prod, without users, is not', () => {
    expect(stackSummary(split)).toEqual([
      { name: 'identity-principals', account: 'identity', holds: ['user', 'group'], dependsOn: [] },
      { name: 'identity', account: 'identity', holds: ['provider', 'role'], dependsOn: ['identity-principals', 'prod'] },
      { name: 'prod', account: 'prod', holds: ['provider', 'user', 'group', 'role'], dependsOn: ['identity-principals'] },
    ]);
  });

  test('without the trust that closes the cycle, one stack per account, as before', () => {
    expect(stackSummary(single)).toEqual([
      { name: 'identity', account: 'identity', holds: ['provider', 'user', 'group', 'role'], dependsOn: [] },
      { name: 'prod', account: 'prod', holds: ['provider', 'user', 'group', 'role'], dependsOn: ['identity'] },
    ]);
  });

  test('an account outside the cycle depends on the principals stack it trusts', async () => {
    const files = exampleFiles();
    files['accounts.yaml'] += '  - name: staging\n    id: "333333333333"\n';
    files['staging.yaml'] = 'roles:\n  - name: tester\n    account: staging\n    trust:\n      - user: identity/bob\n';
    const model = await compileValid(files);
    expect(stackSummary(model).find((s) => s.name === 'staging')).toEqual({
      name: 'staging',
      account: 'staging',
      holds: ['provider', 'user', 'group', 'role'],
      dependsOn: ['identity-principals'],
    });
  });

  test('groups go with their users into the principals stack, also when a role of another account trusts the group', async () => {
    const files = exampleFiles();
    files['groups.yaml'] = 'groups:\n  - name: readers\n    account: identity\n    members: [alice, bob]\n';
    files['prod.yaml'] += '  - name: group-reader\n    account: prod\n    trust:\n      - group: identity/readers\n';
    const model = await compileValid(files);
    const synthesized = synthesizeToTempDir(model);
    const types = (stack: string) => Object.keys(synthesized.stack(stack).resource).sort();
    expect(types('identity-principals')).toEqual(expect.arrayContaining(['aws_iam_group', 'aws_iam_group_membership', 'aws_iam_user']));
    expect(types('identity').filter((t) => t.startsWith('aws_iam_group') || t.startsWith('aws_iam_user'))).toEqual([]);
    expect(synthesized.manifest.stacks['prod']!.dependencies).toEqual(['identity-principals']);
  });

  test('the manifest records the order cdktf deploy follows: identity-principals, prod, identity', () => {
    const synthesized = synthesizeToTempDir(split);
    const dependencies = Object.fromEntries(Object.entries(synthesized.manifest.stacks).map(([name, s]) => [name, s.dependencies]));
    expect(dependencies).toEqual({ 'identity-principals': [], prod: ['identity-principals'], identity: ['identity-principals', 'prod'] });
    expect(deployOrder(synthesized.manifest)).toEqual(['identity-principals', 'prod', 'identity']);
  });

  test('users in the principals stack, roles in the access stack, one state file each', () => {
    const synthesized = synthesizeToTempDir(split);
    expect(synthesized.addresses('identity-principals').every((a) => /^aws_iam_(user|group)/.test(a))).toBe(true);
    expect(synthesized.addresses('identity-principals')).toContain('aws_iam_user.user_alice');
    expect(synthesized.addresses('identity').every((a) => a.startsWith('aws_iam_role'))).toBe(true);
    expect(synthesized.addresses('identity')).toEqual(expect.arrayContaining(['aws_iam_role.role_break-glass', 'aws_iam_role.role_directory-reader']));
    for (const stack of ['identity-principals', 'identity', 'prod']) {
      expect(synthesized.stack(stack).terraform.backend).toEqual({ local: { path: `../../../terraform.${stack}.tfstate` } });
      expect(synthesized.stack(stack).provider.aws[0]?.['allowed_account_ids']).toEqual([stack === 'prod' ? '222222222222' : '111111111111']);
    }
  });

  test('a role trusting a user of its own split account waits for it by the stack dependency, not depends_on', () => {
    const synthesized = synthesizeToTempDir(split);
    expect(synthesized.resource('identity', 'aws_iam_role', 'role_break-glass')['depends_on']).toBeUndefined();
    expect(split.stacks.find((s) => s.name === 'identity')?.dependsOn).toContain('identity-principals');
  });

  test('the addresses of the split stacks are those of the single stack: only their stack changes', () => {
    const before = synthesizeToTempDir(single);
    const after = synthesizeToTempDir(split);
    const added = ['aws_iam_role.role_directory-reader', 'aws_iam_role_policies_exclusive.role_directory-reader', 'aws_iam_role_policy.role_directory-reader_-rolecall-permissions', 'aws_iam_role_policy_attachments_exclusive.role_directory-reader'];
    expect([...after.addresses('identity-principals'), ...after.addresses('identity')].sort()).toEqual([...before.addresses('identity'), ...added].sort());
  });
});

/** Stacks in an order where each comes after its dependencies (by name among the ready ones). */
function deployOrder(manifest: ManifestJson): string[] {
  const order: string[] = [];
  const remaining = new Map(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.every((d) => order.includes(d))).map(([name]) => name).sort();
    if (ready.length === 0) throw new Error(`the manifest's stacks depend on each other: ${[...remaining.keys()].join(', ')}`);
    order.push(ready[0] as string);
    remaining.delete(ready[0] as string);
  }
  return order;
}

/**
 * A state file for a stack as if it had been applied: every resource, its
 * arguments as the config gives them (references to another resource's
 * name resolved), so an offline plan against it has nothing to create or
 * replace. What AWS computes (arn, unique_id) is left out.
 */
function appliedState(stack: StackJson): object {
  const resolveReference = (value: unknown): unknown => {
    const match = typeof value === 'string' ? /^\$\{([a-z_]+)\.([A-Za-z0-9_-]+)\.name\}$/.exec(value) : null;
    return match ? stack.resource[match[1] as string]?.[match[2] as string]?.['name'] : value;
  };
  const resources = Object.entries(stack.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => {
      const attributes: Record<string, unknown> = { id: name };
      for (const [key, value] of Object.entries(config)) {
        if (key !== '//' && key !== 'depends_on') attributes[key] = resolveReference(value);
      }
      return { mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes }] };
    }),
  );
  return { version: 4, terraform_version: '1.11.0', serial: 1, lineage: '5a1b7c3e-0000-4000-8000-000000000001', outputs: {}, resources, check_results: null };
}

/** Runs terraform in dir, offline, with no CLI config; throws with its output on failure. */
function terraform(dir: string, args: readonly string[]): string {
  const result = spawnSync(findTerraform() as string, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull, TF_IN_AUTOMATION: '1' },
  });
  if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** The documented steps (docs/config-format.md, "Moving to split stacks"), for local state files in dir. */
function moveUsersToPrincipalsState(dir: string, account: string): void {
  const whole = `-state=terraform.${account}.tfstate`;
  const principals = `-state=terraform.${account}-principals.tfstate`;
  fs.copyFileSync(path.join(dir, `terraform.${account}.tfstate`), path.join(dir, `terraform.${account}-principals.tfstate`));
  const list = (state: string) => terraform(dir, ['state', 'list', state]).split('\n').filter(Boolean);
  const notUsers = list(principals).filter((a) => !/^aws_iam_(user|group)/.test(a));
  if (notUsers.length > 0) terraform(dir, ['state', 'rm', principals, ...notUsers]);
  const users = list(whole).filter((a) => /^aws_iam_(user|group)/.test(a));
  if (users.length > 0) terraform(dir, ['state', 'rm', whole, ...users]);
}

const changesOf = (actions: ReadonlyMap<string, readonly string[]>, wanted: string) =>
  [...actions].filter(([, a]) => a.includes(wanted)).map(([address]) => address).sort();

describeSkip()('the split stacks with terraform, offline', () => {
  let after: Synthesized;
  beforeAll(() => {
    after = synthesizeToTempDir(split);
  });

  test('each stack plans offline, in deploy order, creating exactly its resources', async () => {
    for (const stack of deployOrder(after.manifest)) {
      const plan = await terraformPlan(after.stackDir(stack));
      expect({ stack, created: changesOf(plan.actions, 'create') }).toEqual({ stack, created: after.addresses(stack) });
    }
  }, 240_000);

  test('an applied single identity stack moves to the split: nothing destroyed or replaced, only the new role created', async () => {
    const before = synthesizeToTempDir(single);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-split-state-'));
    try {
      fs.writeFileSync(path.join(stateDir, 'terraform.identity.tfstate'), JSON.stringify(appliedState(before.stack('identity'))));
      // Without the move, the access stack would destroy every user (and the principals stack create them again).
      moveUsersToPrincipalsState(stateDir, 'identity');

      const principals = await terraformPlan(after.stackDir('identity-principals'), path.join(stateDir, 'terraform.identity-principals.tfstate'));
      expect(changesOf(principals.actions, 'create')).toEqual([]);
      expect(changesOf(principals.actions, 'delete')).toEqual([]);
      expect([...principals.actions.keys()].sort()).toEqual(after.addresses('identity-principals'));

      const access = await terraformPlan(after.stackDir('identity'), path.join(stateDir, 'terraform.identity.tfstate'));
      expect(changesOf(access.actions, 'delete')).toEqual([]);
      expect(changesOf(access.actions, 'create')).toEqual(after.addresses('identity').filter((a) => a.includes('directory-reader')));
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 240_000);
});
