/**
 * How rolecall scales with the number of principals: compile (parse,
 * validate, resolve) and synth of a generated organisation, timed, with peak
 * memory. Run: `npm run bench -- 1000 10000` (principal counts; default
 * 1000 and 10000). Prints a Markdown table for docs/benchmarks.md.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile } from '../src/pipeline/compile';
import { synthesize } from '../stacks/synthesizeApp';
import { organisation, organisationFiles, shapeOf } from './organisation';

async function measure(principals: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-'));
  try {
    for (const [name, text] of Object.entries(organisationFiles(organisation(shapeOf(principals))))) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), text);
    }
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const result = await compile('.', { cwd: dir });
    const t1 = performance.now();
    if (!result.model || result.diagnostics.some((d) => d.severity === 'error')) {
      throw new Error(`generated config has findings: ${result.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
    }
    synthesize(result.model, path.join(dir, 'out'));
    const t2 = performance.now();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const grants = result.model.grants.length;
    return `| ${principals} | ${grants} | ${(t1 - t0).toFixed(0)} | ${(t2 - t1).toFixed(0)} | ${(peak / 2 ** 20).toFixed(0)} |`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('| principals | grants | compile ms | synth ms | peak RSS MiB |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const size of sizes.length > 0 ? sizes : [1000, 10000]) console.log(await measure(size));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
