/**
 * Running the terraform CLI as a child process: finding it, the environment
 * it gets, and what it printed. Shared by `rolecall plan` and the tests.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The terraform executable on the PATH of `env`, or undefined. */
export function findTerraform(env: Environment): string | undefined {
  const name = process.platform === 'win32' ? 'terraform.exe' : 'terraform';
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Variables of the parent that must not reach a terraform that plans
 * offline. AWS_*: a CI runner's real credentials, profile or role would
 * otherwise be what the provider uses. TF_CLI_ARGS and TF_CLI_ARGS_<command>
 * would add arguments to every command (a -backend-config, -lock=true);
 * TF_DATA_DIR and TF_WORKSPACE would point init and plan at another working
 * directory or at a workspace the plan-only state does not have.
 */
function isWithheld(name: string): boolean {
  return name.startsWith('AWS_') || name === 'TF_CLI_ARGS' || name.startsWith('TF_CLI_ARGS_') || name === 'TF_DATA_DIR' || name === 'TF_WORKSPACE';
}

/**
 * The environment terraform runs in: the parent's, without what
 * isWithheld names, with no call home (checkpoint), output for automation,
 * and no AWS credential source of the machine (config and credential
 * files, instance metadata) the provider could fall back to.
 */
export function terraformEnv(parent: Environment): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !isWithheld(name)) env[name] = value;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    AWS_CONFIG_FILE: os.devNull,
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface TerraformRun {
  /** The exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform ARGS` in `cwd` and collects what it printed; rejects only when it cannot be started. */
export function runTerraform(terraform: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
