import * as path from 'node:path';
import { hasErrors, hasUnaccepted, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { isSecurityRule } from '../analysers/rules/review';
import { compile, type CompileResult } from '../pipeline/compile';
import { ConfigDirectoryError } from '../source/loadDirectory';
import type * as SynthesizeApp from '../../stacks/synthesizeApp';
import { choice, parseArgs, UsageError } from './args';
import { formatJson, formatText, toFindings, whereIn } from './findings';
import { OutputRefusal, replaceOutput } from './synthOutput';
import { importCommand } from './importCommand';
import { ImportRefusal } from '../pipeline/importConfig';
import { accessReport } from '../analysers/accessReport';
import { diffAccess } from '../analysers/accessDiff';
import { formatDiffJson, formatDiffMarkdown } from '../analysers/formatDiff';
import { GitSnapshotError, snapshotAtRef } from '../pipeline/gitSnapshot';
import { formatAccessJson, formatAccessMarkdown, formatAccessTable } from '../analysers/formatAccess';

const USAGE = `usage: rolecall <command> [--config DIR]

commands:
  validate [--format text|json] [--strict]   check the config; exit 1 on errors (and warnings with --strict)
  synth [--out DIR]                          write the CDKTF stacks to DIR/stacks/<account>/cdk.tf.json (default cdktf.out)
  access [--format table|markdown|json]      who can assume which role, under which conditions, and what each may do
  diff --base GIT-REF [--format markdown|json]  the access the working tree's config adds and removes compared with GIT-REF
  import --from FILE --account NAME [...] [--out DIR]  write YAML from aws iam get-account-authorization-details (default --out config)

--config DIR defaults to $ROLECALL_CONFIG, else config/
`;

const FLAGS = new Set(['strict', 'help']);
const KNOWN_OPTIONS: Record<string, readonly string[]> = {
  validate: ['config', 'format', 'strict'],
  synth: ['config', 'out'],
  access: ['config', 'format'],
  diff: ['config', 'format', 'base'],
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
      const format = choice(args.options.get('format'), ['table', 'markdown', 'json'] as const, 'table', 'format');
      return await access(configDir, format, io);
    }
    if (args.command === 'diff') {
      const base = args.options.get('base');
      if (typeof base !== 'string') throw new UsageError('diff needs --base GIT-REF');
      const format = choice(args.options.get('format'), ['markdown', 'json'] as const, 'markdown', 'format');
      return await diff(configDir, base, format, io);
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
 * Errors that leave nothing to report on. Security findings are not among
 * them: showing them is what access and diff are for (synth refuses them).
 */
function configErrors(diagnostics: readonly Diagnostic[]): boolean {
  return hasErrors(diagnostics.filter((d) => !isSecurityRule(d.rule)));
}

function refuse(result: CompileResult, io: Io, what: string): number {
  const findings = toFindings(result.diagnostics, result.sources);
  io.stderr(formatText(findings));
  io.stderr(`rolecall: ${what}\n`);
  return 1;
}

async function diff(configDir: string, base: string, format: 'markdown' | 'json', io: Io): Promise<number> {
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
    const changes = diffAccess(accessReport(before.model, before.catalog, before.security), accessReport(head.model, head.catalog, head.security));
    // Resolved findings stand in the base's files: named as the repository names them, BASE:config/org.yaml:3:5.
    const baseWhere = whereIn(before.sources);
    const where = { head: whereIn(head.sources), base: (ref: SourceRef) => `${base}:${baseWhere(ref)}` };
    io.stdout(format === 'json' ? formatDiffJson(changes, where) : formatDiffMarkdown(changes, base, where));
    return 0;
  } finally {
    await snapshot.remove();
  }
}

async function access(configDir: string, format: 'table' | 'markdown' | 'json', io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  if (!result.model || !result.catalog || configErrors(result.diagnostics)) return refuse(result, io, 'no access report: fix the errors above');
  const report = accessReport(result.model, result.catalog, result.security);
  const where = whereIn(result.sources);
  const render = format === 'json' ? formatAccessJson : format === 'markdown' ? formatAccessMarkdown : formatAccessTable;
  io.stdout(render(report, where));
  return 0;
}

async function synth(configDir: string, out: string, io: Io): Promise<number> {
  const result = await compile(configDir, { cwd: io.cwd });
  if (!result.model || hasErrors(result.diagnostics)) return refuse(result, io, 'synth refused: fix the errors above; nothing was written');
  const warnings = toFindings(result.diagnostics, result.sources);
  if (warnings.length > 0) io.stderr(formatText(warnings));

  const target = path.resolve(io.cwd, out);
  const unsafe = unsafeOutput(target, path.resolve(io.cwd, configDir), io.cwd);
  if (unsafe) throw new OutputRefusal(`--out ${out}: ${unsafe}`);
  // Loaded only here: validate never pays for cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require('../../stacks/synthesizeApp') as typeof SynthesizeApp;
  const model = result.model;
  await replaceOutput(target, out, (staging) => synthesize(model, staging));
  const stacks = result.model.stacks.map((s) => s.account);
  io.stdout(`synthesized ${stacks.length} ${stacks.length === 1 ? 'stack' : 'stacks'} (${stacks.join(', ')}) into ${path.relative(io.cwd, target) || '.'}/stacks/\n`);
  return 0;
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
