import * as path from 'node:path';
import { hasErrors, hasUnaccepted, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { isSecurityRule } from '../analysers/rules/review';
import { EXPECTATION_FAILED } from '../analysers/expectations';
import { compile, type CompileResult } from '../pipeline/compile';
import { ConfigDirectoryError } from '../source/loadDirectory';
import type * as SynthesizeApp from '../../stacks/synthesizeApp';
import { choice, parseArgs, UsageError } from './args';
import { formatJson, formatText, placeIn, toFindings, whereIn } from './findings';
import { parseFailOn } from './failOn';
import { OutputRefusal, replaceOutput } from './synthOutput';
import { importCommand } from './importCommand';
import { ImportRefusal } from '../pipeline/importConfig';
import { accessReport } from '../analysers/accessReport';
import { diffAccess } from '../analysers/accessDiff';
import { formatDiffJson, formatDiffMarkdown } from '../analysers/formatDiff';
import { GitSnapshotError, snapshotAtRef } from '../pipeline/gitSnapshot';
import { diffChanges } from '../analysers/diffData';
import { evaluateGates, gateMessages, GATE_KINDS, type GateKind } from '../analysers/diffGates';
import { visibleText } from '../text/visibleText';
import { formatAccessJson, formatAccessMarkdown, formatAccessTable } from '../analysers/formatAccess';
import { mermaidGraph } from '../analysers/mermaidGraph';
import { trustGraph } from '../analysers/trustGraph';
import { diffTrustGraph } from '../analysers/trustGraphDiff';
import type { AccessModel } from '../model/accessModel';
import { plan, type PlanOptions } from './plan';

const USAGE = `usage: rolecall <command> [--config DIR]

commands:
  validate [--format text|json] [--strict]   check the config; exit 1 on errors (and warnings with --strict)
  synth [--out DIR]                          write the CDKTF stacks to DIR/stacks/<account>/cdk.tf.json (default cdktf.out)
  access [--format table|markdown|json|mermaid]  who can assume which role, under which conditions, and what each may do
                                             (mermaid: the trust graph as a flowchart; markdown embeds it)
  diff --base GIT-REF [--format markdown|json] [--fail-on KIND[,KIND]]
                                             the access the working tree's config adds and removes compared with GIT-REF;
                                             exit 3 when a change of a KIND is found (${GATE_KINDS.join(', ')})
  plan [--out DIR] [--plugin-dir DIR] [--format text|markdown]
                                             synth (into a temporary directory unless --out), then terraform init, validate
                                             and an offline plan of every stack (no AWS credentials); what each would add,
                                             change, destroy. --plugin-dir (or $TF_PLUGIN_DIR): a provider mirror
  import --from FILE --account NAME [...] [--out DIR]  write YAML from aws iam get-account-authorization-details (default --out config)

--config DIR defaults to $ROLECALL_CONFIG, else config/
`;

const FLAGS = new Set(['strict', 'help']);
const KNOWN_OPTIONS: Record<string, readonly string[]> = {
  validate: ['config', 'format', 'strict'],
  synth: ['config', 'out'],
  access: ['config', 'format'],
  diff: ['config', 'format', 'base', 'fail-on'],
  plan: ['config', 'format', 'out', 'plugin-dir'],
  import: ['from', 'account', 'out'],
};

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs one command; returns the exit code. Never throws for a user's mistake. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, FLAGS);
  } catch (e) {
    return usage(io, e);
  }
  if (args.options.has('help') || args.command === undefined || args.command === 'help') {
    io.stdout(USAGE);
    return args.command === undefined && !args.options.has('help') ? 2 : 0;
  }
  const known = KNOWN_OPTIONS[args.command];
  if (!known) return usage(io, new UsageError(`unknown command "${args.command}"`));
  const stray = [...args.options.keys()].find((name) => !known.includes(name));
  if (stray) return usage(io, new UsageError(`${args.command} takes no --${stray}`));

  const configOption = args.options.get('config');
  const configDir = typeof configOption === 'string' ? configOption : io.env['ROLECALL_CONFIG'] || 'config';
  try {
    if (args.command === 'import') return await importCommand(args, io);
    if (args.command === 'validate') {
      const format = choice(args.options.get('format'), ['text', 'json'] as const, 'text', 'format');
      return await validate(configDir, format, args.options.has('strict'), io);
    }
    if (args.command === 'access') {
      const format = choice(args.options.get('format'), ['table', 'markdown', 'json', 'mermaid'] as const, 'table', 'format');
      return await access(configDir, format, io);
    }
    if (args.command === 'diff') {
      const base = args.options.get('base');
      if (typeof base !== 'string') throw new UsageError('diff needs --base GIT-REF');
      const format = choice(args.options.get('format'), ['markdown', 'json'] as const, 'markdown', 'format');
      return await diff(configDir, base, format, parseFailOn(args.options.get('fail-on')), io);
    }
    if (args.command === 'plan') {
      const format = choice(args.options.get('format'), ['text', 'markdown'] as const, 'text', 'format');
      const given = (name: string) => {
        const value = args.options.get(name);
        return typeof value === 'string' ? value : undefined;
      };
      return await planCommand(configDir, { format, out: given('out'), pluginDir: given('plugin-dir') }, io);
    }
    const out = args.options.get('out');
    return await synth(configDir, typeof out === 'string' ? out : 'cdktf.out', io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e);
    if (e instanceof ConfigDirectoryError || e instanceof GitSnapshotError || e instanceof OutputRefusal || e instanceof ImportRefusal) {
      io.stderr(`rolecall: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function usage(io: Io, e: unknown): number {
  io.stderr(`rolecall: ${(e as Error).message}\n\n${USAGE}`);
  return 2;
}

async function validate(configDir: string, format: 'text' | 'json', strict: boolean, io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  const findings = toFindings(result.diagnostics, result.sources);
  io.stdout(format === 'json' ? formatJson(findings) : formatText(findings));
  // An accepted finding was taken on purpose: even --strict does not fail on it.
  const failed = hasErrors(result.diagnostics) || (strict && hasUnaccepted(result.diagnostics));
  return failed ? 1 : 0;
}

/**
 * Errors that leave nothing to report on. Security findings and failed
 * expectations are not among them: showing the access they are about is
 * what access and diff are for (synth refuses them).
 */
function configErrors(diagnostics: readonly Diagnostic[]): boolean {
  return hasErrors(diagnostics.filter((d) => !isSecurityRule(d.rule) && d.rule !== EXPECTATION_FAILED));
}

function refuse(result: CompileResult, io: Io, what: string): number {
  const findings = toFindings(result.diagnostics, result.sources);
  io.stderr(formatText(findings));
  io.stderr(`rolecall: ${what}\n`);
  return 1;
}

async function diff(configDir: string, base: string, format: 'markdown' | 'json', failOn: readonly GateKind[], io: Io): Promise<number> {
  const head = await compile(configDir, { cwd: io.cwd });
  if (!head.model || !head.catalog || configErrors(head.diagnostics)) return refuse(head, io, 'no access diff: fix the errors above');
  const snapshot = await snapshotAtRef(configDir, base, io.cwd);
  try {
    // The base is judged as of its own commit: a grant that has expired since
    // is exactly what the change under review deletes, and the diff must show
    // that loss rather than refuse the base (its condition still says "until").
    const before = await compile(snapshot.configDir, { cwd: snapshot.root, now: snapshot.committed });
    if (!before.model || !before.catalog || configErrors(before.diagnostics)) {
      // Named as the repository names them, at the ref: BASE:config/org.yaml:3:5.
      const findings = toFindings(before.diagnostics, before.sources).map((f) => ({ ...f, file: `${base}:${f.file}` }));
      io.stderr(formatText(findings));
      io.stderr(`rolecall: the config at ${base} cannot be read (the findings above); no access diff\n`);
      return 1;
    }
    const reports = { base: accessReport(before.model, before.catalog, before.security), head: accessReport(head.model, head.catalog, head.security) };
    const changes = diffAccess(reports.base, reports.head);
    // Resolved findings stand in the base's files: named as the repository names them, BASE:config/org.yaml:3:5.
    const baseWhere = whereIn(before.sources);
    const where = { head: whereIn(head.sources), base: (ref: SourceRef) => `${base}:${baseWhere(ref)}` };
    const data = diffChanges(changes, reports.base, reports.head, { head: placeIn(head.sources), base: placeIn(before.sources) });
    const gates = evaluateGates(failOn, data, reports);
    const graph = diffTrustGraph(trustGraph(before.model), trustGraph(head.model));
    io.stdout(format === 'json' ? formatDiffJson(base, data, gates) : formatDiffMarkdown(changes, base, where, graph));
    const fired = gates.filter((g) => g.fired);
    if (fired.length === 0) return 0;
    io.stderr(gateMessages(gates, data, base).map((line) => `${visibleText(line)}\n`).join(''));
    io.stderr(`rolecall: the diff fails --fail-on ${fired.map((g) => g.kind).join(',')}: a security review is needed\n`);
    return 3;
  } finally {
    await snapshot.remove();
  }
}

async function access(configDir: string, format: 'table' | 'markdown' | 'json' | 'mermaid', io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  if (!result.model || !result.catalog || configErrors(result.diagnostics)) return refuse(result, io, 'no access report: fix the errors above');
  const graph = trustGraph(result.model);
  if (format === 'mermaid') {
    io.stdout(mermaidGraph(graph));
    return 0;
  }
  const report = accessReport(result.model, result.catalog, result.security);
  const where = whereIn(result.sources);
  if (format === 'markdown') {
    io.stdout(formatAccessMarkdown(report, where, graph));
    return 0;
  }
  const render = format === 'json' ? formatAccessJson : formatAccessTable;
  io.stdout(render(report, where));
  return 0;
}

async function synth(configDir: string, out: string, io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  if (!result.model || hasErrors(result.diagnostics)) return refuse(result, io, 'synth refused: fix the errors above; nothing was written');
  const warnings = toFindings(result.diagnostics, result.sources);
  if (warnings.length > 0) io.stderr(formatText(warnings));

  const target = await writeStacks(result.model, configDir, out, io);
  const stacks = result.model.stacks.map((s) => s.name);
  io.stdout(`synthesized ${stacks.length} ${stacks.length === 1 ? 'stack' : 'stacks'} (${stacks.join(', ')}) into ${path.relative(io.cwd, target) || '.'}/stacks/\n`);
  return 0;
}

/** Writes the stacks into `out` as synth does (same refusals); returns the output directory. */
async function writeStacks(model: AccessModel, configDir: string, out: string, io: Io): Promise<string> {
  const target = path.resolve(io.cwd, out);
  const unsafe = unsafeOutput(target, path.resolve(io.cwd, configDir), io.cwd);
  if (unsafe) throw new OutputRefusal(`--out ${out}: ${unsafe}`);
  // Loaded only here: validate never pays for cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require('../../stacks/synthesizeApp') as typeof SynthesizeApp;
  await replaceOutput(target, out, (staging) => synthesize(model, staging));
  return target;
}

/** Synth's refusals first (nothing is planned for a config with errors), then the plan (src/cli/plan.ts). */
async function planCommand(configDir: string, options: PlanOptions, io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  if (!result.model || hasErrors(result.diagnostics)) return refuse(result, io, 'plan refused: fix the errors above; nothing was synthesized or planned');
  const warnings = toFindings(result.diagnostics, result.sources);
  if (warnings.length > 0) io.stderr(formatText(warnings));
  const model = result.model;
  return plan(options, io, (out) => writeStacks(model, configDir, out, io));
}

/**
 * Synth swaps its output directory whole (keeping only what rolecall did not
 * write in it, see replaceOutput), so it must never be pointed at the
 * working directory or one above it, nor at the config.
 */
function unsafeOutput(target: string, config: string, cwd: string): string | undefined {
  const inside = (child: string, parent: string) => {
    const relative = path.relative(parent, child);
    return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
  };
  if (inside(cwd, target)) return 'the output directory would hold the working directory; name a directory of its own, e.g. cdktf.out';
  if (inside(config, target) || inside(target, config)) return 'the output directory and the config directory overlap; name a directory of its own, e.g. cdktf.out';
  return undefined;
}
