/**
 * `rolecall plan`: synth, then terraform init, validate and an offline plan
 * of every stack, and a summary. The real terraform (with the provider
 * mirror) runs it on config/; a fake terraform on PATH, which only records
 * how it was called and in what environment, proves what a real one could
 * not show: which variables reach it, that nothing runs for a broken config.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { run } from '../../src/cli/main';
import { PLAN_OVERRIDE_FILE, planOutput } from '../../src/terraform/offlinePlan';
import { readTree } from '../stacks/synthesized';
import { describeSkip, findProviderMirror, findTerraform } from '../support/terraform';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'config');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function rolecall(args: string[], env: NodeJS.ProcessEnv, cwd = work): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env });
  return { code, stdout, stderr };
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-plan-test-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

interface Manifest {
  stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string }>;
}
type StackJson = { resource: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** What `rolecall synth` writes for config/: the plan's expectations are derived from it, never written down. */
async function synthesizedExample(): Promise<{ out: string; manifest: Manifest; stack: (name: string) => StackJson; resources: (name: string) => number }> {
  const out = path.join(work, 'expected');
  const synth = await rolecall(['synth', '--config', EXAMPLE, '--out', out], process.env);
  expect(synth.code).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  const stack = (name: string) => JSON.parse(fs.readFileSync(path.join(out, manifest.stacks[name]!.synthesizedStackPath), 'utf8')) as StackJson;
  const resources = (name: string) => Object.values(stack(name).resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return { out, manifest, stack, resources };
}

/** Every file name below dir (none there: []). */
function filesBelow(dir: string): string[] {
  return fs.existsSync(dir) ? [...readTree(dir).keys()] : [];
}

// ---------------------------------------------------------------- a fake terraform

/**
 * A `terraform` that records, per call, its arguments, the stack it ran on
 * (cdk.tf.json's stackName), its working directory, its environment and the
 * override beside it, then succeeds (show prints one created resource).
 * `failValidateOn` names a stack whose validate fails with an ANSI-coloured error.
 */
function fakeTerraform(failValidateOn?: string): { bin: string; log: string } {
  const bin = path.join(work, 'fake-bin');
  const log = path.join(work, 'fake-log');
  fs.mkdirSync(bin);
  fs.mkdirSync(log);
  const script = `#!/bin/sh
call="${log}/$(date +%s%N)-$$"
mkdir "$call"
echo "$*" > "$call/args"
pwd > "$call/pwd"
ls "$(dirname "$PWD")" > "$call/siblings"
/usr/bin/env > "$call/env"
grep -o '"stackName": "[^"]*"' cdk.tf.json | sed 's/.*: "//; s/"$//' > "$call/stack"
cp ${PLAN_OVERRIDE_FILE} "$call/override" 2>/dev/null
if [ "$1" = validate ] && [ "$(cat "$call/stack")" = "${failValidateOn ?? ''}" ]; then
  printf '\\033[31mError: boom\\033[0m in the stack\\n' >&2
  exit 1
fi
if [ "$1" = show ]; then echo '{"resource_changes":[{"mode":"managed","change":{"actions":["create"]}}]}'; fi
exit 0
`;
  fs.writeFileSync(path.join(bin, 'terraform'), script, { mode: 0o755 });
  return { bin, log };
}

interface Call {
  args: string[];
  stack: string;
  pwd: string;
  /** The directories beside the one terraform runs in. */
  siblings: string[];
  env: Record<string, string>;
  override?: unknown;
}

function calls(log: string): Call[] {
  if (!fs.existsSync(log)) return [];
  return fs
    .readdirSync(log)
    .sort()
    .map((name) => {
      const read = (file: string) => fs.readFileSync(path.join(log, name, file), 'utf8');
      const env = Object.fromEntries(
        read('env')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      const overrideFile = path.join(log, name, 'override');
      return {
        args: read('args').trim().split(' '),
        stack: read('stack').trim(),
        pwd: read('pwd').trim(),
        siblings: read('siblings').trim().split('\n'),
        env,
        override: fs.existsSync(overrideFile) ? JSON.parse(fs.readFileSync(overrideFile, 'utf8')) : undefined,
      };
    });
}

const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAREALCIRUNNERKEY1',
  AWS_SECRET_ACCESS_KEY: 'real-secret-of-the-ci-runner',
  AWS_SESSION_TOKEN: 'real-session-token-of-the-ci-runner',
  AWS_PROFILE: 'prod-admin',
  AWS_ROLE_ARN: 'arn:aws:iam::111111111111:role/ci-deploy',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/token',
  AWS_REGION: 'us-east-1',
};

describe('rolecall plan, with a fake terraform that records how it is run', () => {
  const fakeEnv = (bin: string, extra: Record<string, string> = {}) => ({ PATH: `${bin}:/usr/bin:/bin`, HOME: work, ...extra });

  it('passes no AWS_* variable of the parent (a CI runner\'s credentials) to terraform, nor TF_CLI_ARGS*', async () => {
    const { bin, log } = fakeTerraform();
    const mirror = path.join(work, 'mirror');
    fs.mkdirSync(mirror);
    const env = fakeEnv(bin, { ...SECRETS, TF_CLI_ARGS: '-lock=true', TF_CLI_ARGS_plan: '-refresh=true', TF_PLUGIN_DIR: mirror });
    const result = await rolecall(['plan', '--config', EXAMPLE], env);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    const ran = calls(log);
    expect(ran.length).toBe(8);
    for (const call of ran) {
      const dump = JSON.stringify(call.env);
      for (const secret of Object.values(SECRETS)) expect(dump).not.toContain(secret);
      expect(Object.keys(call.env).filter((k) => k.startsWith('AWS_')).sort()).toEqual(['AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_SHARED_CREDENTIALS_FILE']);
      expect(call.env).toMatchObject({ AWS_CONFIG_FILE: os.devNull, AWS_SHARED_CREDENTIALS_FILE: os.devNull, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
      expect(Object.keys(call.env).filter((k) => k.startsWith('TF_CLI_ARGS'))).toEqual([]);
    }
  });

  it('runs init (from TF_PLUGIN_DIR), validate, plan and show per stack, in the manifest\'s dependency order', async () => {
    const { bin, log } = fakeTerraform();
    const mirror = path.join(work, 'mirror');
    fs.mkdirSync(mirror);
    const { manifest } = await synthesizedExample();
    expect(manifest.stacks['data-prod']!.dependencies).toEqual(['identity']);
    expect((await rolecall(['plan', '--config', EXAMPLE], fakeEnv(bin, { TF_PLUGIN_DIR: mirror }))).code).toBe(0);
    const ran = calls(log).map((c) => `${c.stack}: ${c.args.join(' ')}`);
    const steps = (stack: string) => [
      `${stack}: init -input=false -no-color -plugin-dir=${mirror}`,
      `${stack}: validate -no-color`,
      `${stack}: plan -refresh=false -input=false -lock=false -no-color -out=rolecall.tfplan`,
      `${stack}: show -json -no-color rolecall.tfplan`,
    ];
    // identity first: data-prod depends on it (name order would put data-prod first).
    expect(ran).toEqual([...steps('identity'), ...steps('data-prod')]);
  });

  it('--plugin-dir wins over TF_PLUGIN_DIR; with neither, init has no -plugin-dir', async () => {
    const { bin, log } = fakeTerraform();
    const flag = path.join(work, 'flag-mirror');
    fs.mkdirSync(flag);
    await rolecall(['plan', '--config', EXAMPLE, '--plugin-dir', 'flag-mirror'], fakeEnv(bin, { TF_PLUGIN_DIR: os.tmpdir() }));
    const inits = () => calls(log).filter((c) => c.args[0] === 'init').map((c) => c.args.filter((a) => a.startsWith('-plugin-dir')));
    expect(inits()).toEqual([[`-plugin-dir=${flag}`], [`-plugin-dir=${flag}`]]);
    fs.rmSync(log, { recursive: true });
    fs.mkdirSync(log);
    await rolecall(['plan', '--config', EXAMPLE], fakeEnv(bin));
    expect(inits()).toEqual([[], []]);
  });

  it('the override exists only while terraform runs, in a directory of its own that is gone afterwards; --out is left as synth writes it', async () => {
    const { bin, log } = fakeTerraform();
    const out = path.join(work, 'out');
    const result = await rolecall(['plan', '--config', EXAMPLE, '--out', out], fakeEnv(bin));
    expect(result.code).toBe(0);
    const ran = calls(log);
    for (const call of ran) {
      expect(call.override).toMatchObject({ terraform: { backend: { local: { path: path.join(call.pwd, 'offline-plan.tfstate') } } } });
      expect(fs.existsSync(call.pwd)).toBe(false);
      // Each stack's directory (a whole provider in .terraform without a mirror) is removed before the next one's is made.
      expect(call.siblings).toEqual([path.basename(call.pwd)]);
      expect(path.relative(out, call.pwd).startsWith('..')).toBe(true);
    }
    const { out: expected } = await synthesizedExample();
    const tree = readTree(out);
    const synthesized = readTree(expected);
    expect([...tree.keys()].sort()).toEqual([...synthesized.keys()].sort());
    for (const [file, bytes] of tree) expect({ file, same: bytes.equals(synthesized.get(file)!) }).toEqual({ file, same: true });
    expect(fs.readFileSync(path.join(out, 'rolecall-output.json'), 'utf8')).not.toContain(PLAN_OVERRIDE_FILE);
  });

  it('without --out, synthesizes into a temporary directory and removes it, and every plan directory', async () => {
    const { bin, log } = fakeTerraform();
    const ours = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('rolecall-plan-'));
    const before = ours();
    expect((await rolecall(['plan', '--config', EXAMPLE], fakeEnv(bin))).code).toBe(0);
    expect(calls(log).length).toBe(8);
    expect(fs.readdirSync(work).sort()).toEqual(['fake-bin', 'fake-log']);
    expect(ours()).toEqual(before);
  });

  it('a stack terraform rejects: its diagnostics, terminal-safe, the other stacks still planned, exit 1', async () => {
    const { bin, log } = fakeTerraform('identity');
    const result = await rolecall(['plan', '--config', EXAMPLE], fakeEnv(bin));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rolecall: stack identity: terraform validate failed:\n\\u001b[31mError: boom\\u001b[0m in the stack\n');
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr).toMatch(/terraform failed on 1 of 2 stacks \(identity\)/);
    expect(calls(log).filter((c) => c.stack === 'data-prod').map((c) => c.args[0])).toEqual(['init', 'validate', 'plan', 'show']);
    expect(calls(log).filter((c) => c.stack === 'identity').map((c) => c.args[0])).toEqual(['init', 'validate']);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'stack      to add  to change  to destroy',
      'identity   failed at terraform validate',
      'data-prod       1          0           0',
      'total           1          0           0',
    ]);
  });

  it('a config with errors: the findings, exit 1, no terraform run and nothing written', async () => {
    const { bin, log } = fakeTerraform();
    const config = path.join(work, 'config');
    fs.mkdirSync(config);
    fs.writeFileSync(path.join(config, 'org.yaml'), 'accounts:\n  - name: main\n    id: "123456789012"\nroles:\n  - name: reader\n    trust:\n      - user: nobody\n');
    const out = path.join(work, 'out');
    const result = await rolecall(['plan', '--out', out], fakeEnv(bin));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^config\/org\.yaml:7:15: error unknown-reference: /m);
    expect(result.stderr).toMatch(/plan refused: fix the errors above; nothing was synthesized or planned/);
    expect(result.stdout).toBe('');
    expect(calls(log)).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('no terraform on PATH: a clear message, exit 2, nothing synthesized', async () => {
    const empty = path.join(work, 'empty-bin');
    fs.mkdirSync(empty);
    const out = path.join(work, 'out');
    const result = await rolecall(['plan', '--config', EXAMPLE, '--out', out], { PATH: empty });
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^rolecall: plan runs terraform, and there is no `terraform` on PATH; install it/) });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a --plugin-dir (or TF_PLUGIN_DIR) that is no directory: exit 2, nothing run', async () => {
    const { bin, log } = fakeTerraform();
    const flag = await rolecall(['plan', '--config', EXAMPLE, '--plugin-dir', 'nowhere'], fakeEnv(bin));
    expect(flag).toMatchObject({ code: 2, stderr: 'rolecall: --plugin-dir nowhere is not a directory; name the provider mirror (the folder holding registry.terraform.io/)\n' });
    const env = await rolecall(['plan', '--config', EXAMPLE], fakeEnv(bin, { TF_PLUGIN_DIR: '/nowhere' }));
    expect(env).toMatchObject({ code: 2, stderr: expect.stringMatching(/^rolecall: TF_PLUGIN_DIR \/nowhere is not a directory/) });
    expect(calls(log)).toEqual([]);
  });

  it('usage: --format is text or markdown; plan takes no --base', async () => {
    const { bin } = fakeTerraform();
    expect((await rolecall(['plan', '--format', 'json'], fakeEnv(bin))).stderr).toMatch(/^rolecall: --format is one of text, markdown\n/);
    expect((await rolecall(['plan', '--base', 'main'], fakeEnv(bin))).code).toBe(2);
  });
});

// ---------------------------------------------------------------- the real terraform

/** The markdown through a real renderer: the table's rows as cell texts. */
function markdownTable(markdown: string): string[][] {
  const html = new MarkdownIt().render(markdown);
  const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<code>([^<]*)<\/code>/g, '«$1»').replace(/<[^>]*>/g, ''));
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => cells(row[1]!));
}

describeSkip()('rolecall plan on config/, with the real terraform and the provider mirror', () => {
  const terraformEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TF_PLUGIN_DIR: findProviderMirror()! });

  it('exit 0; every stack of the manifest, in dependency order, adds what its cdk.tf.json holds, as a markdown table', async () => {
    const expected = await synthesizedExample();
    const names = ['identity', 'data-prod'];
    expect(Object.keys(expected.manifest.stacks).sort()).toEqual([...names].sort());
    const out = path.join(work, 'out');
    const started = Date.now();
    // One run of the real thing (each stack costs terraform about 12 s of CPU); the text table's layout is pinned above.
    const result = await rolecall(['plan', '--config', EXAMPLE, '--out', out, '--format', 'markdown'], terraformEnv());
    if (process.env.ROLECALL_TIMINGS) console.log(`rolecall plan on config/: ${(Date.now() - started) / 1000} s`);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);

    const adds = names.map((name) => expected.resources(name));
    expect(Math.min(...adds)).toBeGreaterThan(0);
    const total = adds.reduce((a, b) => a + b, 0);
    expect(markdownTable(result.stdout)).toEqual([
      ['stack', 'to add', 'to change', 'to destroy'],
      ...names.map((name, i) => [`«${name}»`, String(adds[i]), '0', '0']),
      ['total', String(total), '0', '0'],
    ]);

    // The output is a plain synth output; no state, plan or override of the plan anywhere near it.
    expect(filesBelow(out).sort()).toEqual(filesBelow(expected.out).sort());
    expect(fs.readdirSync(work).sort()).toEqual(['expected', 'out']);
  }, 300_000);

  it('a stack with an s3 backend, one with a cloud block, a provider assuming a role: planned without a request to any remote', async () => {
    const expected = await synthesizedExample();
    // A server standing in for S3, STS, IAM and HCP Terraform: the plan must never call it.
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.headers.host}${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const edit = (name: string, change: (stack: StackJson) => void) => {
        const file = path.join(expected.out, expected.manifest.stacks[name]!.synthesizedStackPath);
        const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson;
        change(stack);
        fs.writeFileSync(file, JSON.stringify(stack, null, 2));
      };
      const endpoints = [{ sts: endpoint, iam: endpoint, s3: endpoint }];
      edit('identity', (stack) => {
        stack['terraform'] = {
          ...(stack['terraform'] as object),
          backend: { s3: { bucket: 'rolecall-state', key: 'identity/terraform.tfstate', region: 'us-east-1', use_lockfile: true, endpoints: { s3: endpoint, sts: endpoint }, use_path_style: true } },
        };
        const [provider] = (stack['provider'] as { aws: Record<string, unknown>[] }).aws;
        Object.assign(provider!, { assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/rolecall-deploy' }], endpoints });
      });
      edit('data-prod', (stack) => {
        stack['terraform'] = { ...(stack['terraform'] as object), cloud: { hostname: endpoint.slice('http://'.length), organization: 'acme', workspaces: { name: 'rolecall-data-prod' } } };
        delete (stack['terraform'] as Record<string, unknown>)['backend'];
        const [provider] = (stack['provider'] as { aws: Record<string, unknown>[] }).aws;
        Object.assign(provider!, { assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/rolecall-deploy' }], endpoints });
      });
      const before = readTree(expected.out);
      const plans = await planOutput(expected.out, { terraform: findTerraform()!, pluginDir: findProviderMirror()!, env: { ...process.env, ...SECRETS } });
      expect(plans.map((p) => (p.ok ? { stack: p.stack, counts: p.counts } : { stack: p.stack, failed: p.step, output: p.output }))).toEqual(
        ['identity', 'data-prod'].map((stack) => ({ stack, counts: { import: 0, add: expected.resources(stack), change: 0, destroy: 0 } })),
      );
      expect(requests).toEqual([]);
      // Not a file of the output was changed or added (no .terraform, no state, no override).
      const after = readTree(expected.out);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [file, bytes] of before) expect({ file, same: bytes.equals(after.get(file)!) }).toEqual({ file, same: true });
      expect(fs.readdirSync(work).sort()).toEqual(['expected']);
    } finally {
      server.close();
    }
  }, 300_000);
});
