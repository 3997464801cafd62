/**
 * Runs the real `terraform validate` and the offline plan of `rolecall plan`
 * (src/terraform/) on synthesized stacks, offline: the AWS provider comes
 * from a local provider mirror (`-plugin-dir`), never from the registry.
 * Tests that need it skip, loudly, where terraform or the mirror is missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planStack } from '../../src/terraform/offlinePlan';
import { findTerraform as findTerraformOn, runTerraform, terraformEnv as childEnv } from '../../src/terraform/terraformCli';

/** The hashicorp/aws version the generated bindings were built for, and that cdktf pins. */
export const AWS_PROVIDER_VERSION: string = readAwsProviderVersion();

function readAwsProviderVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(require.resolve('@cdktf/provider-aws/package.json'), 'utf8'));
  return manifest.cdktf.provider.version;
}

const PLUGIN_DIR_ENV = 'ROLECALL_TF_PLUGIN_DIR';
/** Set to 1 in CI to fail, rather than skip, when terraform or the mirror is missing. */
const REQUIRE_ENV = 'ROLECALL_REQUIRE_TERRAFORM';

/** The terraform executable on PATH. */
export function findTerraform(): string | undefined {
  return findTerraformOn(process.env);
}

/**
 * The folder holding `registry.terraform.io/hashicorp/aws/VERSION/...`, to
 * pass as `-plugin-dir`: from ROLECALL_TF_PLUGIN_DIR, else found by a
 * bounded search of the places plugin mirrors usually live.
 */
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env[PLUGIN_DIR_ENV];
  if (fromEnv) return holdsAwsProvider(fromEnv) ? fromEnv : undefined;
  for (const root of mirrorSearchRoots()) {
    const found = searchForMirror(root);
    if (found) return found;
  }
  return undefined;
}

function mirrorSearchRoots(): string[] {
  const home = os.homedir();
  const xdgData = process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share');
  return [
    path.join(home, '.terraform.d', 'plugins'),
    path.join(xdgData, 'terraform', 'plugins'),
    '/opt',
    '/usr/local/share',
    '/usr/share',
    '/var/lib',
  ];
}

/** How deep below a root `registry.terraform.io` may be, e.g. /usr/share/terraform/plugins/registry.terraform.io. */
const MAX_DEPTH = 3;
/** A bound on the directories read per root, so a huge tree cannot stall the tests. */
const MAX_DIRECTORIES = 5000;

function searchForMirror(root: string): string | undefined {
  let level = [root];
  let read = 0;
  for (let depth = 1; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++read > MAX_DIRECTORIES) return undefined;
      for (const entry of readDirectory(dir)) {
        const child = path.join(dir, entry.name);
        if (entry.name === 'registry.terraform.io') {
          if (holdsAwsProvider(dir)) return dir;
        } else if (entry.isDirectory() && !entry.name.startsWith('.')) {
          next.push(child);
        }
      }
    }
    level = next.sort();
  }
  return undefined;
}

/** An unpacked (`VERSION/OS_ARCH/`) or packed (`..._OS_ARCH.zip`) copy of hashicorp/aws. */
function holdsAwsProvider(mirror: string): boolean {
  const aws = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  const platform = terraformPlatform();
  return (
    fs.existsSync(path.join(aws, AWS_PROVIDER_VERSION, platform)) ||
    fs.existsSync(path.join(aws, `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${platform}.zip`))
  );
}

function terraformPlatform(): string {
  const arch = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' }[process.arch as string] ?? process.arch;
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `${platform}_${arch}`;
}

export interface TerraformValidation {
  readonly stackDir: string;
  readonly ok: boolean;
  /** On failure: what terraform said, diagnostics first. */
  readonly output: string;
  readonly initSeconds: number;
  readonly validateSeconds: number;
}

/**
 * Copies the stack's cdk.tf.json into a fresh directory, runs `terraform
 * init -backend=false -plugin-dir=MIRROR` (it symlinks the provider, no
 * copy) and `terraform validate -json` there, and removes the directory.
 */
export async function terraformValidate(stackDir: string): Promise<TerraformValidation> {
  const terraform = findTerraform();
  const mirror = findProviderMirror();
  if (!terraform || !mirror) throw new Error(missingMessage());

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-tf-validate-'));
  try {
    fs.copyFileSync(path.join(stackDir, 'cdk.tf.json'), path.join(workDir, 'cdk.tf.json'));
    const env = terraformEnv(workDir);

    const initStart = Date.now();
    const init = await runTerraform(terraform, ['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${mirror}`], workDir, env);
    const initSeconds = (Date.now() - initStart) / 1000;
    if (init.code !== 0) {
      return { stackDir, ok: false, output: `terraform init failed:\n${init.stdout}${init.stderr}`, initSeconds, validateSeconds: 0 };
    }

    const validateStart = Date.now();
    const validate = await runTerraform(terraform, ['validate', '-json', '-no-color'], workDir, env);
    const validateSeconds = (Date.now() - validateStart) / 1000;
    const report = parseValidateJson(validate.stdout);
    const ok = validate.code === 0 && report?.valid === true;
    const diagnostics = (report?.diagnostics ?? []).map(
      (d) => `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `\n  ${d.detail}` : ''}`,
    );
    return {
      stackDir,
      ok,
      output: [...diagnostics, validate.stderr.trim()].filter(Boolean).join('\n'),
      initSeconds,
      validateSeconds,
    };
  } finally {
    // Removes the provider symlink, never what it points at.
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** A planned resource, as `terraform show -json` gives it under planned_values. */
export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

export interface TerraformPlan {
  readonly stackDir: string;
  /** Planned resources by address. */
  readonly resources: ReadonlyMap<string, PlannedResource>;
  /** What the plan does to each resource, by address: `["create"]`, `["no-op"]`, `["update"]`, `["delete"]`, `["delete", "create"]`. */
  readonly actions: ReadonlyMap<string, readonly string[]>;
  /** Everything init, validate, plan and show wrote: what a CI log would show. */
  readonly output: string;
  readonly seconds: number;
}

/**
 * The offline plan of `rolecall plan` (src/terraform/offlinePlan.ts
 * `planStack`: a copy of the stack's cdk.tf.json with the plan-only
 * override, init from the mirror, validate, `plan -refresh=false`, `show
 * -json`) on one synthesized stack; returns the planned values. Throws,
 * with terraform's diagnostics, when a step fails.
 * `stateFile`: a state to plan against (copied in), instead of none.
 */
export async function terraformPlan(stackDir: string, stateFile?: string): Promise<TerraformPlan> {
  const terraform = findTerraform();
  const mirror = findProviderMirror();
  if (!terraform || !mirror) throw new Error(missingMessage());

  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-tf-plan-'));
  try {
    const plan = await planStack(stackDir, path.join(stackDir, 'cdk.tf.json'), workRoot, {
      terraform,
      pluginDir: mirror,
      env: testParentEnv(workRoot),
      ...(stateFile !== undefined ? { initialState: stateFile } : {}),
    });
    if (!plan.ok) throw new Error(`terraform ${plan.step} failed in a copy of ${stackDir}:\n${plan.output}`);
    const shown = plan.shown as {
      planned_values?: { root_module?: { resources?: PlannedResource[] } };
      resource_changes?: { address: string; change: { actions: string[] } }[];
    };
    const resources = new Map((shown.planned_values?.root_module?.resources ?? []).map((r) => [r.address, r]));
    const actions = new Map((shown.resource_changes ?? []).map((r) => [r.address, r.change.actions]));
    return { stackDir, resources, actions, output: plan.log, seconds: plan.seconds };
  } finally {
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

/** No credentials, profile or metadata service of the machine can reach the provider. */
export function withoutAwsCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...kept,
    AWS_CONFIG_FILE: os.devNull,
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Validates several stacks, a few at a time: init and validate are CPU-bound, and each loads the provider. */
export async function terraformValidateAll(stackDirs: readonly string[]): Promise<TerraformValidation[]> {
  const results: TerraformValidation[] = new Array(stackDirs.length);
  let next = 0;
  const worker = async () => {
    while (next < stackDirs.length) {
      const index = next++;
      results[index] = await terraformValidate(stackDirs[index]);
    }
  };
  const workers = Math.max(1, Math.min(stackDirs.length, os.cpus().length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** Run the terraform tests, skip them, or fail because they cannot run where they must. */
export type TerraformTestMode = 'run' | 'skip' | 'fail';

/**
 * The terraform tests are mandatory in CI (ROLECALL_REQUIRE_TERRAFORM=1, as
 * .ci/run sets, or CI set as CI services do; ROLECALL_REQUIRE_TERRAFORM=0
 * opts out): there a missing terraform or mirror fails. Elsewhere they skip.
 */
export function terraformTestMode(found: { terraform: boolean; mirror: boolean }, env: NodeJS.ProcessEnv): TerraformTestMode {
  if (found.terraform && found.mirror) return 'run';
  const required = env[REQUIRE_ENV];
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return required === '1' || (required !== '0' && inCi) ? 'fail' : 'skip';
}

/**
 * `describe` when terraform and the provider mirror are both here, else
 * `describe.skip` after a warning nobody can miss, or (see
 * terraformTestMode) an error that fails the test file.
 */
export function describeSkip(): jest.Describe {
  const mode = terraformTestMode({ terraform: findTerraform() !== undefined, mirror: findProviderMirror() !== undefined }, process.env);
  switch (mode) {
    case 'run':
      return describe;
    case 'fail':
      throw new Error(`the terraform tests are mandatory here (${REQUIRE_ENV}=1 or CI), but ${missingMessage()}`);
    case 'skip': {
      const rule = '!'.repeat(78);
      console.warn(`${rule}\n!! SKIPPING the terraform tests: ${missingMessage()}\n${rule}`);
      return describe.skip;
    }
  }
}

function missingMessage(): string {
  const missing: string[] = [];
  if (!findTerraform()) missing.push('no `terraform` on PATH');
  if (!findProviderMirror()) {
    const fromEnv = process.env[PLUGIN_DIR_ENV];
    missing.push(
      fromEnv
        ? `${PLUGIN_DIR_ENV}=${fromEnv} holds no registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}/${terraformPlatform()}`
        : `no provider mirror with hashicorp/aws ${AWS_PROVIDER_VERSION} found (set ${PLUGIN_DIR_ENV} to the folder holding registry.terraform.io)`,
    );
  }
  return missing.join('; ');
}

/**
 * The parent environment the tests give terraform: no TF_* setting of the
 * machine but TF_LOG*, and an empty CLI config (TF_CLI_CONFIG_FILE may name
 * a file that does not exist, and terraform then warns).
 */
function testParentEnv(workDir: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TF_') || key.startsWith('TF_LOG')) env[key] = value;
  }
  const cliConfig = path.join(workDir, 'empty.tfrc');
  fs.writeFileSync(cliConfig, '');
  return { ...env, TF_CLI_CONFIG_FILE: cliConfig };
}

/** A child environment that no setting of the machine can steer: shipped terraformEnv over testParentEnv. */
export function terraformEnv(workDir: string): Record<string, string> {
  return childEnv(testParentEnv(workDir));
}

interface ValidateReport {
  valid: boolean;
  diagnostics?: { severity: string; summary: string; detail?: string; address?: string }[];
}

function parseValidateJson(text: string): ValidateReport | undefined {
  try {
    return JSON.parse(text) as ValidateReport;
  } catch {
    return undefined;
  }
}

/** Runs a command the way `rolecall plan` runs terraform (src/terraform), with an environment given whole. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return runTerraform(command, args, cwd, defined);
}

function readDirectory(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
