/**
 * `npm run bench`: rolecall against a hand-written CDKTF program, side by
 * side, on generated organisations (bench/organisation.ts). For each size,
 * three child processes, one after the other, each timed alone so that its
 * peak RSS is its own:
 * - `rolecall validate --config DIR` (the real bin);
 * - `rolecall synth --config DIR --out OUT` (the real bin);
 * - the baseline, bench/baseline/main.ts, compiled as the bin is (esbuild,
 *   packages left to node_modules, run by plain node: no tsx, no source
 *   maps), building the same resources straight from the organisation's data.
 * Each is measured by `/usr/bin/time` (user + system CPU, wall, maximum
 * RSS). The resources the two synths wrote are counted per type and must be
 * the same, or the run fails.
 *
 * Sizes: `npm run bench -- 1000 10000 2000/500/10`: a number is that many
 * principals (half users in the identity account, half roles over nine
 * workload accounts); USERS/ROLES/ACCOUNTS gives the shape. Default:
 * 1000 10000 50000 2000/500/10. `--rolecall DIR` runs the bin of another
 * checkout (a before/after comparison); `--runs N` repeats each command N
 * times and keeps the fastest (CPU) run, the least disturbed by other load.
 * Prints a Markdown table for docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { organisation, organisationFiles, shapeOf, type OrganisationShape } from './organisation';

const ROOT = path.join(__dirname, '..');
const TIME = '/usr/bin/time';

interface Usage {
  /** User + system CPU seconds. */
  readonly cpu: number;
  readonly wall: number;
  readonly rssMiB: number;
}

interface Options {
  readonly shapes: OrganisationShape[];
  readonly rolecallRoot: string;
  readonly runs: number;
}

function parseArgs(argv: readonly string[]): Options {
  const shapes: OrganisationShape[] = [];
  let rolecallRoot = ROOT;
  let runs = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--rolecall') rolecallRoot = path.resolve(argv[++i] ?? '.');
    else if (arg === '--runs') runs = Math.max(1, Number(argv[++i]));
    else if (/^\d+\/\d+\/\d+$/.test(arg)) {
      const [users, roles, accounts] = arg.split('/').map(Number) as [number, number, number];
      shapes.push({ users, roles, accounts });
    } else if (/^\d+$/.test(arg)) shapes.push(shapeOf(Number(arg)));
    else throw new Error(`unknown argument ${arg}: sizes are N or USERS/ROLES/ACCOUNTS; options --rolecall DIR, --runs N`);
  }
  if (shapes.length === 0) shapes.push(shapeOf(1000), shapeOf(10000), shapeOf(50000), { users: 2000, roles: 500, accounts: 10 });
  return { shapes, rolecallRoot, runs };
}

/** Runs the command under /usr/bin/time; throws with its output when it fails. */
function timed(command: string, args: readonly string[], cwd: string): Usage {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-bench-time-')), 'time.txt');
  const result = spawnSync(TIME, ['-f', '%U %S %e %M', '-o', report, command, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.error) throw new Error(`${TIME} could not run (${result.error.message}): the bench needs GNU time`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  const fields = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  fs.rmSync(path.dirname(report), { recursive: true, force: true });
  const [user, system, wall, maxKiB] = fields;
  return { cpu: user + system, wall, rssMiB: maxKiB / 1024 };
}

function fastest(runs: number, measure: () => Usage): Usage {
  const usages = Array.from({ length: runs }, measure);
  return usages.reduce((best, usage) => (usage.cpu < best.cpu ? usage : best));
}

/** Resources per type over every stack of a synth output. */
function resourceCounts(outdir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const stack of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
    for (const [type, byName] of Object.entries(json.resource ?? {})) counts.set(type, (counts.get(type) ?? 0) + Object.keys(byName).length);
  }
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return JSON.stringify([...a]) === JSON.stringify([...b]);
}

/** The baseline compiled like rolecall's bin, so that neither side pays for a TypeScript runner. */
function compiledBaseline(): string {
  // Inside the checkout, so that its packages resolve from node_modules as the bin's do.
  const outfile = path.join(ROOT, 'dist', 'bench-baseline.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [path.join(ROOT, 'bench', 'baseline', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile, logLevel: 'error' });
  return outfile;
}

function measure(shape: OrganisationShape, options: Options): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-bench-'));
  try {
    const config = path.join(dir, 'config');
    for (const [name, text] of Object.entries(organisationFiles(organisation(shape)))) {
      fs.mkdirSync(path.dirname(path.join(config, name)), { recursive: true });
      fs.writeFileSync(path.join(config, name), text);
    }
    const bin = path.join(options.rolecallRoot, 'bin', 'rolecall.js');
    const rolecallOut = path.join(dir, 'rolecall.out');
    const baselineOut = path.join(dir, 'baseline.out');
    const validate = fastest(options.runs, () => timed(process.execPath, [bin, 'validate', '--config', config], options.rolecallRoot));
    const synth = fastest(options.runs, () => timed(process.execPath, [bin, 'synth', '--config', config, '--out', rolecallOut], options.rolecallRoot));
    const baselineJs = compiledBaseline();
    const baseline = fastest(options.runs, () =>
      timed(process.execPath, [baselineJs, String(shape.users), String(shape.roles), String(shape.accounts), baselineOut], ROOT),
    );
    const counts = resourceCounts(rolecallOut);
    const baselineCounts = resourceCounts(baselineOut);
    if (!sameCounts(counts, baselineCounts)) {
      throw new Error(`rolecall and the baseline emit different resources:\nrolecall ${JSON.stringify([...counts])}\nbaseline ${JSON.stringify([...baselineCounts])}`);
    }
    const resources = [...counts.values()].reduce((a, b) => a + b, 0);
    const cells = [
      `${shape.users + shape.roles} (${shape.users}/${shape.roles}/${shape.accounts})`,
      String(resources),
      `${validate.cpu.toFixed(1)} / ${validate.rssMiB.toFixed(0)}`,
      `${synth.cpu.toFixed(1)} / ${synth.wall.toFixed(1)} / ${synth.rssMiB.toFixed(0)}`,
      `${baseline.cpu.toFixed(1)} / ${baseline.wall.toFixed(1)} / ${baseline.rssMiB.toFixed(0)}`,
      (synth.cpu / baseline.cpu).toFixed(2),
      (synth.rssMiB / baseline.rssMiB).toFixed(2),
    ];
    return `| ${cells.join(' | ')} |`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  console.log('| principals (users/roles/accounts) | resources | validate CPU s / RSS MiB | synth CPU s / wall s / RSS MiB | baseline CPU s / wall s / RSS MiB | synth/baseline CPU | synth/baseline RSS |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const shape of options.shapes) console.log(measure(shape, options));
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
