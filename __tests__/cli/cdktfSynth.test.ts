/**
 * The production path: the real cdktf CLI (the pinned devDependency) runs
 * the app cdktf.json names (bin/cdktf-app.js → dist/main.js, compiled from
 * main.ts), as `npx cdktf synth` does in a config repository's CI.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { readTree } from '../stacks/synthesized';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'config');
const CDKTF_TIMEOUT = 240_000;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-cdktf-'));
  // An empty terraform CLI config: without one terraform warns on every call cdktf makes.
  await fs.writeFile(path.join(work, 'terraformrc'), '');
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw e;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** `npx cdktf synth --output OUT` in the repository, offline (no checkpoint call, no spinner). */
function cdktfSynth(out: string, config: string): Promise<Ran> {
  return exec('npx', ['--no-install', 'cdktf', 'synth', '--output', out], {
    CHECKPOINT_DISABLE: '1',
    CI: '1',
    TF_CLI_CONFIG_FILE: path.join(work, 'terraformrc'),
    ROLECALL_CONFIG: config,
  });
}

/** Every file below `dir`, path → content (base64), so toEqual compares bytes, not only names. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries([...readTree(dir)].map(([file, bytes]) => [file.split(path.sep).join('/'), bytes.toString('base64')]));
}

describe('npx cdktf synth', () => {
  it(
    'writes the same stacks, manifest and marker as rolecall synth --out, byte for byte',
    async () => {
      const byCdktf = path.join(work, 'by-cdktf');
      const byRolecall = path.join(work, 'by-rolecall');
      const cdktf = await cdktfSynth(byCdktf, EXAMPLE);
      expect({ code: cdktf.code, stderr: cdktf.stderr }).toEqual({ code: 0, stderr: '' });
      expect(cdktf.stdout).toMatch(/Generated Terraform code for the stacks: data-prod, identity/);
      const rolecall = await exec(process.execPath, [path.join(ROOT, 'bin', 'rolecall.js'), 'synth', '--config', EXAMPLE, '--out', byRolecall], {});
      expect(rolecall.code).toBe(0);

      const written = contents(byCdktf);
      expect(Object.keys(written).sort()).toEqual(['manifest.json', 'rolecall-output.json', 'stacks/data-prod/cdk.tf.json', 'stacks/identity/cdk.tf.json']);
      expect(written).toEqual(contents(byRolecall));
      const manifest = JSON.parse(Buffer.from(written['manifest.json']!, 'base64').toString('utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
      expect(Object.values(manifest.stacks).map((s) => s.synthesizedStackPath).sort()).toEqual(['stacks/data-prod/cdk.tf.json', 'stacks/identity/cdk.tf.json']);
    },
    CDKTF_TIMEOUT,
  );

  it(
    'fails on a config with errors: every finding as FILE:LINE:COL, no stack trace, nothing written',
    async () => {
      const config = path.join(work, 'broken');
      await fs.mkdir(config);
      await fs.writeFile(
        path.join(config, 'org.yaml'),
        `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
    colour: blue
roles:
  - name: reader
    trust:
      - user: bob
`,
      );
      const out = path.join(work, 'broken-out');
      const cdktf = await cdktfSynth(out, config);
      expect(cdktf.code).not.toBe(0);
      const output = `${cdktf.stdout}\n${cdktf.stderr}`;
      expect(output).toMatch(/broken\/org\.yaml:6:5: error unknown-key: unknown key "colour"/);
      expect(output).toMatch(/broken\/org\.yaml:10:15: error unknown-reference: no user "bob" in account main/);
      expect(output).toMatch(/rolecall: the config has errors; no stacks were synthesized/);
      // No frame of a stack trace (`    at fn (file:1:2)`), neither the app's nor the CLI's.
      expect(output).not.toMatch(/^\s*at .+:\d+:\d+\)?$/m);
      expect(output).not.toMatch(/internal error/);
      await expect(fs.stat(path.join(out, 'manifest.json'))).rejects.toThrow(/ENOENT/);
    },
    CDKTF_TIMEOUT,
  );
});
