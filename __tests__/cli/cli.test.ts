import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../src/cli/main';
import { readTree } from '../stacks/synthesized';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'config');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function rolecall(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env,
  });
  return { code, stdout, stderr };
}

let work: string;
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-cli-'));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** Every file below `dir`, path → content (base64), so toEqual compares bytes, not only names. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries([...readTree(dir)].map(([file, bytes]) => [file.split(path.sep).join('/'), bytes.toString('base64')]));
}

async function writeConfig(files: Record<string, string>, dir = path.join(work, 'config')): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

const VALID = `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
roles:
  - name: reader
    trust:
      - user: alice
    s3ReadOnly: all
`;

const TWO_MISTAKES = `accounts:
  - name: main
    id: "123456789012"
roles:
  - name: reader
    trust:
      - user: nobody
    s3ReadOnly: all
    managedPolicy: [AdministratorAccess]
`;

describe('rolecall validate', () => {
  it('exits 0 on the example organisation, with no finding at all (clean under --strict)', async () => {
    const result = await rolecall(['validate', '--strict', '--config', EXAMPLE], ROOT);
    expect(result.stdout).toBe('no problems found\n');
    expect(result.code).toBe(0);
  });

  it('reports every finding in one run, as FILE:LINE:COL: SEVERITY RULE: message, with a summary last', async () => {
    await writeConfig({ 'org.yaml': TWO_MISTAKES });
    const result = await rolecall(['validate'], work);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^config\/org\.yaml:7:15: error unknown-reference: no user "nobody" in account main/),
      expect.stringMatching(/^config\/org\.yaml:9:5: error unknown-key: unknown key "managedPolicy"; did you mean "managedPolicies"\?$/),
      '2 errors, 0 warnings',
    ]);
  });

  it('json: {"diagnostics": [...]} with file, line, column, severity, rule, message', async () => {
    await writeConfig({ 'org.yaml': TWO_MISTAKES });
    const result = await rolecall(['validate', '--format', 'json'], work);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { diagnostics: Record<string, unknown>[] };
    expect(parsed.diagnostics).toHaveLength(2);
    for (const d of parsed.diagnostics) {
      expect(Object.keys(d).sort()).toEqual(['column', 'file', 'line', 'message', 'rule', 'severity']);
      expect(d['severity']).toBe('error');
    }
    expect(parsed.diagnostics[0]).toMatchObject({ file: 'config/org.yaml', line: 7, column: 15, rule: 'unknown-reference' });
  });

  it('warnings pass, unless --strict', async () => {
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await writeConfig({ 'org.yaml': VALID.replace('      - user: alice\n', `      - user: alice\n        expires: ${soon}\n`) });
    const lenient = await rolecall(['validate'], work);
    expect(lenient.stdout).toMatch(/warning expires-soon/);
    expect(lenient.code).toBe(0);
    const strict = await rolecall(['validate', '--strict'], work);
    expect(strict.code).toBe(1);
  });

  it('a YAML syntax error is a finding with its line, not a stack trace', async () => {
    await writeConfig({ 'org.yaml': 'accounts:\n  - name: main\n    id: "123456789012"\n   region: us-east-1\n' });
    const result = await rolecall(['validate'], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^config\/org\.yaml:4:\d+: error yaml-syntax: /m);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes the directory from --config, else ROLECALL_CONFIG, else config/', async () => {
    const elsewhere = await writeConfig({ 'org.yaml': TWO_MISTAKES }, path.join(work, 'elsewhere'));
    await writeConfig({ 'org.yaml': VALID });
    expect((await rolecall(['validate'], work)).code).toBe(0);
    expect((await rolecall(['validate'], work, { ROLECALL_CONFIG: elsewhere })).code).toBe(1);
    expect((await rolecall(['validate', '--config', 'config'], work, { ROLECALL_CONFIG: elsewhere })).code).toBe(0);
  });

  it('warns when the config directory holds no YAML file (so --strict fails), naming the directory', async () => {
    await writeConfig({ 'README.md': '# config goes here\n', 'org.yaml.bak': VALID });
    const lenient = await rolecall(['validate'], work);
    expect(lenient.stdout).toBe(
      'config:1:1: warning no-config-files: no *.yaml or *.yml file in config/ or below it: check --config (or ROLECALL_CONFIG); there is nothing to check or deploy\n0 errors, 1 warning\n',
    );
    expect(lenient.code).toBe(0);
    expect((await rolecall(['validate', '--strict'], work)).code).toBe(1);
    // One YAML file anywhere below is enough.
    await writeConfig({ 'org.yaml': VALID }, path.join(work, 'config', 'main'));
    expect(await rolecall(['validate', '--strict'], work)).toEqual({ code: 0, stdout: 'no problems found\n', stderr: '' });
  });

  it('prints the usage text only for a usage mistake', async () => {
    expect((await rolecall(['validate', '--format', 'xml'], work)).stderr).toMatch(/^rolecall: --format is one of text, json\n\nusage: rolecall/);
    expect((await rolecall(['validate', '--out', 'x'], work)).stderr).toMatch(/^rolecall: validate takes no --out\n\nusage: rolecall/);
    const missing = await rolecall(['validate', '--config', 'nowhere'], work);
    expect(missing.stderr).toBe('rolecall: config directory nowhere does not exist\n');
  });

  it('exits 2 on a usage error or a config directory that cannot be read', async () => {
    expect((await rolecall(['validate', '--format', 'xml'], work)).code).toBe(2);
    expect((await rolecall(['frobnicate'], work)).code).toBe(2);
    expect((await rolecall(['validate', '--bogus'], work)).code).toBe(2);
    const missing = await rolecall(['validate', '--config', 'nowhere'], work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config directory nowhere does not exist/);
  });
});

describe('rolecall synth', () => {
  it('writes DIR/stacks/<account>/cdk.tf.json, byte-identical from run to run', async () => {
    const first = path.join(work, 'first');
    const second = path.join(work, 'second');
    expect((await rolecall(['synth', '--config', EXAMPLE, '--out', first], ROOT)).code).toBe(0);
    expect((await rolecall(['synth', '--config', EXAMPLE, '--out', second], ROOT)).code).toBe(0);
    const a = readTree(first);
    const b = readTree(second);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect([...a.keys()].filter((f) => f.endsWith('cdk.tf.json')).sort()).toEqual([
      'stacks/data-prod/cdk.tf.json',
      'stacks/identity/cdk.tf.json',
    ]);
    for (const [file, bytes] of a) expect({ file, same: bytes.equals(b.get(file)!) }).toEqual({ file, same: true });
  });

  it('refuses with exit 1 and the findings on errors, and leaves an earlier output untouched', async () => {
    const out = path.join(work, 'out');
    await writeConfig({ 'org.yaml': VALID });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    const before = readTree(out);
    expect(before.size).toBeGreaterThan(0);

    await writeConfig({ 'org.yaml': TWO_MISTAKES });
    const refused = await rolecall(['synth', '--out', out], work);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unknown-reference/);
    expect(refused.stderr).toMatch(/nothing was written/);
    const after = readTree(out);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes)).toBe(true);
    // And no staging directory is left behind beside it.
    expect((await fs.readdir(work)).sort()).toEqual(['config', 'out']);
  });

  it('replaces an earlier output whole: stacks of removed accounts disappear', async () => {
    const out = path.join(work, 'out');
    await writeConfig({ 'org.yaml': VALID.replace('accounts:\n', 'accounts:\n  - name: old\n    id: "999999999999"\n') });
    // Two accounts now: the entries need their account named.
    await writeConfig({ 'org.yaml': VALID.replace('accounts:\n', 'accounts:\n  - name: old\n    id: "999999999999"\n').replace('  - name: alice\n', '  - name: alice\n    account: main\n').replace('  - name: reader\n', '  - name: reader\n    account: main\n') });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    expect(await fs.readdir(path.join(out, 'stacks'))).toEqual(expect.arrayContaining(['main', 'old']));
    await writeConfig({ 'org.yaml': VALID });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    expect(await fs.readdir(path.join(out, 'stacks'))).toEqual(['main']);
  });
});

describe('rolecall synth never replaces what is not its own output', () => {
  it.each([
    ['.', 'would hold the working directory'],
    ['..', 'would hold the working directory'],
    ['config', 'overlap'],
    ['config/out', 'overlap'],
    ['notes', 'not an earlier rolecall synth output'],
    ['notes/keep.txt', 'is not a directory'],
  ])('--out %s is refused with exit 2 and only its reason (no usage text), and nothing is touched', async (out, reason) => {
    await writeConfig({ 'org.yaml': VALID });
    await fs.mkdir(path.join(work, 'notes'));
    await fs.writeFile(path.join(work, 'notes', 'keep.txt'), 'precious');
    const before = contents(work);
    const result = await rolecall(['synth', '--out', out], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toMatch(/^rolecall: --out [^\n]+\n$/);
    expect(contents(work)).toEqual(before);
    expect((await fs.readdir(work)).sort()).toEqual(['config', 'notes']);
  });

  it('a folder holding a manifest.json among other files (a web extension) is refused and left byte for byte', async () => {
    await writeConfig({ 'org.yaml': VALID });
    const extension = path.join(work, 'extension');
    await fs.mkdir(path.join(extension, 'icons'), { recursive: true });
    await fs.writeFile(path.join(extension, 'manifest.json'), '{"manifest_version": 3, "name": "tabs"}\n');
    await fs.writeFile(path.join(extension, 'popup.html'), '<p>hello</p>\n');
    await fs.writeFile(path.join(extension, 'icons', 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 1]));
    const before = contents(work);
    const result = await rolecall(['synth', '--out', 'extension'], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an earlier rolecall synth output \(no rolecall-output\.json in it\)/);
    expect(result.stderr).not.toMatch(/usage:/);
    expect(contents(work)).toEqual(before);
    expect((await fs.readdir(work)).sort()).toEqual(['config', 'extension']);
  });

  it('marks its output: rolecall-output.json lists exactly the files synth wrote', async () => {
    const out = path.join(work, 'out');
    expect((await rolecall(['synth', '--config', EXAMPLE, '--out', out], ROOT)).code).toBe(0);
    const marker = JSON.parse(await fs.readFile(path.join(out, 'rolecall-output.json'), 'utf8')) as { writtenBy: string; files: string[] };
    expect(marker.writtenBy).toBe('rolecall synth');
    expect(marker.files).toEqual(Object.keys(contents(out)).filter((f) => f !== 'rolecall-output.json').sort());
    expect(marker.files).toEqual(['manifest.json', 'stacks/data-prod/cdk.tf.json', 'stacks/identity/cdk.tf.json']);
  });

  it("a re-synth keeps terraform's files in an earlier output byte for byte, and replaces rolecall's own", async () => {
    const out = path.join(work, 'out');
    const twoAccounts = VALID.replace('accounts:\n', 'accounts:\n  - name: old\n    id: "999999999999"\n')
      .replace('  - name: alice\n', '  - name: alice\n    account: main\n')
      .replace('  - name: reader\n', '  - name: reader\n    account: main\n');
    await writeConfig({ 'org.yaml': twoAccounts });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    // What `terraform init` / `cdktf deploy` / a user leave in the output.
    const foreign: Record<string, Buffer> = {
      'stacks/main/.terraform/providers/registry.terraform.io/hashicorp/aws/terraform-provider-aws': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]),
      'stacks/main/.terraform.lock.hcl': Buffer.from('provider "registry.terraform.io/hashicorp/aws" {}\n'),
      'stacks/main/plan.tfplan': Buffer.from([0x50, 0x4b, 3, 4, 0xff]),
      'stacks/old/.terraform/terraform.tfstate': Buffer.from('{"version": 3}\n'),
      'NOTES.md': Buffer.from('# our notes\n'),
    };
    for (const [file, bytes] of Object.entries(foreign)) {
      await fs.mkdir(path.dirname(path.join(out, file)), { recursive: true });
      await fs.writeFile(path.join(out, file), bytes);
    }
    // The user edited a file rolecall wrote: it is rolecall's, and replaced.
    await fs.appendFile(path.join(out, 'stacks', 'main', 'cdk.tf.json'), ' ');

    await writeConfig({ 'org.yaml': VALID.replace('      - user: alice\n', '      - user: alice\n        mfa: true\n') });
    const result = await rolecall(['synth', '--out', out], work);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const fresh = path.join(work, 'fresh');
    expect((await rolecall(['synth', '--out', fresh], work)).code).toBe(0);
    const expected = { ...contents(fresh), ...Object.fromEntries(Object.entries(foreign).map(([file, bytes]) => [file, bytes.toString('base64')])) };
    expect(contents(out)).toEqual(expected);
    // The removed account's stack file is gone; only what terraform left of it stays.
    expect(await fs.readdir(path.join(out, 'stacks', 'old'))).toEqual(['.terraform']);
    expect((await fs.readdir(work)).sort()).toEqual(['config', 'fresh', 'out']);
  });

  it('refuses, touching nothing, when a file it did not write stands where it would now write', async () => {
    const out = path.join(work, 'out');
    await writeConfig({ 'org.yaml': VALID });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    await fs.mkdir(path.join(out, 'stacks', 'old'), { recursive: true });
    await fs.writeFile(path.join(out, 'stacks', 'old', 'cdk.tf.json'), 'hand-written\n');
    const before = contents(work);
    await writeConfig({
      'org.yaml': VALID.replace('accounts:\n', 'accounts:\n  - name: old\n    id: "999999999999"\n')
        .replace('  - name: alice\n', '  - name: alice\n    account: main\n')
        .replace('  - name: reader\n', '  - name: reader\n    account: main\n')
        .concat('  - name: other\n    account: old\n    trust:\n      - service: ec2.amazonaws.com\n'),
    });
    const result = await rolecall(['synth', '--out', out], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rolecall: --out .*: stacks\/old was not written by rolecall, and synth would now write/);
    const after = contents(work);
    delete after['config/org.yaml'];
    delete before['config/org.yaml'];
    expect(after).toEqual(before);
    expect((await fs.readdir(work)).sort()).toEqual(['config', 'out']);
  });

  it('writes into an existing empty directory; refuses one whose rolecall-output.json rolecall did not write', async () => {
    await writeConfig({ 'org.yaml': VALID });
    await fs.mkdir(path.join(work, 'empty'));
    expect((await rolecall(['synth', '--out', 'empty'], work)).code).toBe(0);
    expect(Object.keys(contents(path.join(work, 'empty')))).toContain('stacks/main/cdk.tf.json');
    await fs.mkdir(path.join(work, 'other'));
    await fs.writeFile(path.join(work, 'other', 'rolecall-output.json'), '{"files": ["a.txt"]}\n');
    await fs.writeFile(path.join(work, 'other', 'a.txt'), 'mine');
    const before = contents(path.join(work, 'other'));
    const result = await rolecall(['synth', '--out', 'other'], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an earlier rolecall synth output/);
    expect(contents(path.join(work, 'other'))).toEqual(before);
  });

  it('accepts the output of the cdktf app (main.ts), which marks it the same way', async () => {
    const out = path.join(work, 'cdktf.out');
    await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ROLECALL_CONFIG: EXAMPLE, CDKTF_OUTDIR: out },
    });
    const byApp = contents(out);
    expect(Object.keys(byApp)).toContain('rolecall-output.json');
    const result = await rolecall(['synth', '--config', EXAMPLE, '--out', out], ROOT);
    expect(result.code).toBe(0);
    expect(contents(out)).toEqual(byApp);
  }, 30_000);

  it('an output without the marker (from an older rolecall) is refused, not replaced', async () => {
    const out = path.join(work, 'out');
    await writeConfig({ 'org.yaml': VALID });
    expect((await rolecall(['synth', '--out', out], work)).code).toBe(0);
    await fs.rm(path.join(out, 'rolecall-output.json'));
    const before = contents(work);
    const result = await rolecall(['synth', '--out', out], work);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no rolecall-output\.json in it/);
    expect(contents(work)).toEqual(before);
  });
});

describe('the bin', () => {
  it('runs through node_modules/.bin-style invocation: bin/rolecall.js validate', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'rolecall.js'), 'validate', '--config', EXAMPLE], { cwd: ROOT });
    expect(stdout).toBe('no problems found\n');
  });

  it('exits 1 with findings and no stack trace on a bad config', async () => {
    await writeConfig({ 'org.yaml': TWO_MISTAKES });
    const failure = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'rolecall.js'), 'validate'], { cwd: work }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in failure && failure.code).toBe(1);
    expect(failure.stdout).toMatch(/2 errors, 0 warnings/);
    expect(failure.stderr).toBe('');
  });
});
