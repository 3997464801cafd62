/**
 * The offline plan: `terraform init`, `validate` and `plan` of a synthesized
 * stack that need no AWS account, no credentials and no remote state. Each
 * stack is planned in a copy of its cdk.tf.json in a directory of its own,
 * beside an override file that exists only there, so neither the synth
 * output nor any real state is ever touched.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stacksInDependencyOrder } from './manifest';
import { summarizePlan, type PlanCounts } from './planSummary';
import { runTerraform, terraformEnv, type Environment } from './terraformCli';

/** Merged last by terraform (a name ending `_override.tf.json`); never in a synth output. */
export const PLAN_OVERRIDE_FILE = 'rolecall_plan_override.tf.json';

const PLAN_FILE = 'rolecall.tfplan';
const DUMMY_KEY = 'rolecall-offline-plan';

/** The part of a cdk.tf.json the override is built from. */
interface StackJson {
  readonly provider?: { readonly aws?: ProviderConfig | readonly ProviderConfig[] };
}
type ProviderConfig = Readonly<Record<string, unknown>>;

/**
 * The override that makes a stack plan offline. The state goes to a local
 * file in the plan's own directory (a backend block in an override replaces
 * the stack's `backend` or `cloud` block). Each AWS provider configuration
 * (matched by its alias) takes dummy keys and asks AWS nothing: no
 * credential check, no account id lookup, no metadata service, no role to
 * assume (an empty role_arn makes the provider skip it). Since the account
 * id is never learnt, `allowed_account_ids` cannot be checked and is unset.
 */
export function offlinePlanOverride(stack: unknown, statePath: string, endpoints?: ProviderEndpoints): Record<string, unknown> {
  const configured = (stack as StackJson | null)?.provider?.aws;
  const providers = configured === undefined ? [] : Array.isArray(configured) ? configured : [configured as ProviderConfig];
  const override: Record<string, unknown> = { terraform: { backend: { local: { path: statePath } } } };
  if (providers.length > 0) override['provider'] = { aws: providers.map((config) => offlineProvider(config, endpoints)) };
  return override;
}

/**
 * Service endpoints for the provider, by the provider's `endpoints` block
 * names, e.g. `{ iam: 'http://127.0.0.1:4566' }`. Only tests set them: an
 * `import` block makes terraform read the object it imports, and a test
 * plans against a local stand-in for IAM rather than AWS.
 */
export type ProviderEndpoints = Readonly<Record<string, string>>;

function offlineProvider(config: ProviderConfig, endpoints: ProviderEndpoints | undefined): Record<string, unknown> {
  const noRole = [{ role_arn: '' }];
  return {
    ...(endpoints !== undefined ? { endpoints: [{ ...endpoints }] } : {}),
    ...(typeof config['alias'] === 'string' ? { alias: config['alias'] } : {}),
    access_key: DUMMY_KEY,
    secret_key: DUMMY_KEY,
    token: null,
    profile: null,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    allowed_account_ids: null,
    forbidden_account_ids: null,
    // Only where the stack has one: an override block replaces the stack's blocks of its type.
    ...(config['assume_role'] !== undefined ? { assume_role: noRole } : {}),
    ...(config['assume_role_with_web_identity'] !== undefined ? { assume_role_with_web_identity: noRole } : {}),
  };
}

export type PlanStep = 'init' | 'validate' | 'plan' | 'show';

interface StackPlanBase {
  readonly stack: string;
  /** Everything terraform printed, step after step: what a CI log would show. */
  readonly log: string;
  readonly seconds: number;
}

export type StackPlan =
  | (StackPlanBase & { readonly ok: true; readonly counts: PlanCounts; readonly shown: unknown })
  | (StackPlanBase & {
      readonly ok: false;
      readonly step: PlanStep;
      /** Terraform's diagnostics of the failing step. */
      readonly output: string;
    });

export interface PlanContext {
  readonly terraform: string;
  /** A provider mirror (the folder holding registry.terraform.io/) for `terraform init -plugin-dir`. */
  readonly pluginDir?: string;
  /** The environment of the caller; terraform gets it through terraformEnv. */
  readonly env: Environment;
  /** A state file to plan against (copied in), instead of none: what a deployed stack would plan. */
  readonly initialState?: string;
  /** Tests only: where the provider sends its calls (see ProviderEndpoints). */
  readonly providerEndpoints?: ProviderEndpoints;
}

/**
 * Plans one stack in a fresh directory below `workRoot`: copies its
 * cdk.tf.json there with the override, runs init, validate, plan and
 * `show -json`, and removes the directory (override, state, plan file,
 * .terraform) whatever happened. A failing step stops that stack and is
 * returned with terraform's own diagnostics.
 */
export async function planStack(stack: string, stackFile: string, workRoot: string, context: PlanContext): Promise<StackPlan> {
  const start = Date.now();
  const seconds = () => (Date.now() - start) / 1000;
  const workDir = await fs.mkdtemp(path.join(workRoot, 'stack-'));
  try {
    const text = await fs.readFile(stackFile, 'utf8');
    await fs.writeFile(path.join(workDir, 'cdk.tf.json'), text);
    // Not terraform.tfstate: terraform empties a state of that name in the working directory when the backend names it too.
    const statePath = path.join(workDir, 'offline-plan.tfstate');
    if (context.initialState !== undefined) await fs.copyFile(context.initialState, statePath);
    const override = offlinePlanOverride(JSON.parse(text), statePath, context.providerEndpoints);
    await fs.writeFile(path.join(workDir, PLAN_OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);

    const env = terraformEnv(context.env);
    const steps: readonly [PlanStep, readonly string[]][] = [
      ['init', ['init', '-input=false', '-no-color', ...(context.pluginDir ? [`-plugin-dir=${context.pluginDir}`] : [])]],
      ['validate', ['validate', '-no-color']],
      ['plan', ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', `-out=${PLAN_FILE}`]],
      ['show', ['show', '-json', '-no-color', PLAN_FILE]],
    ];
    let log = '';
    let shownText = '';
    for (const [step, args] of steps) {
      const ran = await runTerraform(context.terraform, args, workDir, env);
      log += ran.stdout + ran.stderr;
      if (ran.code !== 0) return { stack, ok: false, step, output: diagnostics(ran.stderr, ran.stdout), log, seconds: seconds() };
      shownText = ran.stdout;
    }
    let shown: unknown;
    try {
      shown = JSON.parse(shownText);
    } catch {
      return { stack, ok: false, step: 'show', output: `terraform show -json printed no JSON:\n${shownText.trim()}`, log, seconds: seconds() };
    }
    return { stack, ok: true, counts: summarizePlan(shown), shown, log, seconds: seconds() };
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/** Terraform writes its diagnostics to stderr; some failures (of init) only to stdout. */
function diagnostics(stderr: string, stdout: string): string {
  return stderr.trim() || stdout.trim() || 'terraform failed and said nothing';
}

/**
 * Plans every stack of the synth output in `outdir`, one after another in
 * the manifest's dependency order (a provider download without a mirror
 * then happens once at a time). A failing stack does not stop the others:
 * every failure is reported in one run. Nothing is left behind.
 */
export async function planOutput(outdir: string, context: PlanContext, onStack?: (stack: string, index: number, total: number) => void): Promise<StackPlan[]> {
  const stacks = stacksInDependencyOrder(outdir);
  const workRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-plan-'));
  try {
    const plans: StackPlan[] = [];
    for (const [index, stack] of stacks.entries()) {
      onStack?.(stack.name, index, stacks.length);
      plans.push(await planStack(stack.name, path.join(outdir, stack.synthesizedStackPath), workRoot, context));
    }
    return plans;
  } finally {
    await fs.rm(workRoot, { recursive: true, force: true });
  }
}
