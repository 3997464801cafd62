/**
 * `rolecall plan`: after synth, every stack through terraform's own init,
 * validate and an offline plan (src/terraform/offlinePlan.ts), and a summary
 * of what a first deploy of each stack would do.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { markdownDocument, md, tableRow, type Markdown } from '../analysers/markdownText';
import { planOutput, type StackPlan } from '../terraform/offlinePlan';
import { addCounts, NO_CHANGES, type PlanCounts } from '../terraform/planSummary';
import { findTerraform } from '../terraform/terraformCli';
import { visibleOutput, visibleText } from '../text/visibleText';
import type { Io } from './main';

export type PlanFormat = 'text' | 'markdown';

export interface PlanOptions {
  readonly format: PlanFormat;
  /** Where synth writes, kept afterwards; without it a temporary directory, removed afterwards. */
  readonly out?: string;
  /** --plugin-dir, else TF_PLUGIN_DIR: a provider mirror for `terraform init`. */
  readonly pluginDir?: string;
}

/** The environment variable naming a provider mirror when --plugin-dir is not given. */
export const PLUGIN_DIR_ENV = 'TF_PLUGIN_DIR';

/**
 * Runs the plan on a config that compiled without errors; `synthesizeTo(out)`
 * writes the stacks as `rolecall synth --out` does and returns the output
 * directory. Exit 0 when every stack planned, 1 when terraform failed on
 * any (each failure shown with terraform's diagnostics), 2 when terraform or
 * the mirror is missing (then nothing is synthesized).
 */
export async function plan(options: PlanOptions, io: Io, synthesizeTo: (out: string) => Promise<string>): Promise<number> {
  const terraform = findTerraform(io.env);
  if (!terraform) {
    io.stderr('rolecall: plan runs terraform, and there is no `terraform` on PATH; install it (https://developer.hashicorp.com/terraform/install) and run plan again (nothing was synthesized)\n');
    return 2;
  }
  const pluginOption = options.pluginDir ?? (io.env[PLUGIN_DIR_ENV] || undefined);
  const pluginDir = pluginOption === undefined ? undefined : path.resolve(io.cwd, pluginOption);
  if (pluginDir !== undefined && !(await isDirectory(pluginDir))) {
    const named = options.pluginDir !== undefined ? '--plugin-dir' : PLUGIN_DIR_ENV;
    io.stderr(`rolecall: ${named} ${pluginOption} is not a directory; name the provider mirror (the folder holding registry.terraform.io/)\n`);
    return 2;
  }

  const temporary = options.out === undefined ? await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-plan-synth-')) : undefined;
  try {
    const outdir = await synthesizeTo(options.out ?? path.join(temporary as string, 'cdktf.out'));
    const plans = await planOutput(outdir, { terraform, pluginDir, env: io.env }, (stack, index, total) =>
      io.stderr(`rolecall: planning stack ${visibleText(stack)} (${index + 1} of ${total}): terraform init, validate, plan\n`),
    );
    for (const failed of plans) {
      if (!failed.ok) io.stderr(`rolecall: stack ${visibleText(failed.stack)}: terraform ${failed.step} failed:\n${visibleOutput(failed.output)}\n`);
    }
    io.stdout(options.format === 'markdown' ? formatPlanMarkdown(plans) : formatPlanText(plans));
    const failures = plans.filter((p) => !p.ok).map((p) => visibleText(p.stack));
    if (failures.length > 0) io.stderr(`rolecall: terraform failed on ${failures.length} of ${plans.length} stacks (${failures.join(', ')}); see above\n`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    if (temporary !== undefined) await fs.rm(temporary, { recursive: true, force: true });
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

const NOTE = 'offline plan of each stack against an empty state (no AWS credentials, no remote state read): what a first deploy creates';
/** Added when some stack imports (`adopt: true`). */
const IMPORT_NOTE = '; "to import" counts what `adopt: true` entries take over instead';

/** The totals of the stacks that planned. */
function totals(plans: readonly StackPlan[]): PlanCounts {
  return plans.reduce((sum, p) => (p.ok ? addCounts(sum, p.counts) : sum), NO_CHANGES);
}

/** The count columns: "to import" only when some stack imports, so a config without `adopt:` keeps its table. */
function countColumns(plans: readonly StackPlan[]): readonly { readonly title: string; readonly of: (counts: PlanCounts) => number }[] {
  const columns = [
    { title: 'to add', of: (c: PlanCounts) => c.add },
    { title: 'to change', of: (c: PlanCounts) => c.change },
    { title: 'to destroy', of: (c: PlanCounts) => c.destroy },
  ];
  return totals(plans).import > 0 ? [{ title: 'to import', of: (c: PlanCounts) => c.import }, ...columns] : columns;
}

function note(plans: readonly StackPlan[]): string {
  return totals(plans).import > 0 ? `${NOTE}${IMPORT_NOTE}` : NOTE;
}

/** A small table: stack, (to import,) to add, to change, to destroy; a failed stack names the step. */
export function formatPlanText(plans: readonly StackPlan[]): string {
  const columns = countColumns(plans);
  const width = columns.length + 1;
  const row = (name: string, counts: PlanCounts) => [name, ...columns.map((column) => String(column.of(counts)))];
  const rows: string[][] = [
    ['stack', ...columns.map((column) => column.title)],
    ...plans.map((p) => (p.ok ? row(visibleText(p.stack), p.counts) : [visibleText(p.stack), `failed at terraform ${p.step}`])),
    row('total', totals(plans)),
  ];
  // A failed stack's row is its name and a note: it counts for the name column only.
  const widths = Array.from({ length: width }, (_, column) => Math.max(...rows.filter((r) => column === 0 || r.length === width).map((r) => r[column]!.length)));
  const lines = rows.map((r) =>
    r.length === width ? [r[0]!.padEnd(widths[0]!), ...r.slice(1).map((cell, i) => cell.padStart(widths[i + 1]!))].join('  ') : `${r[0]!.padEnd(widths[0]!)}  ${r[1]}`,
  );
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n${note(plans)}\n`;
}

const count = (n: number): Markdown => ({ markdown: String(n) });

/** A table for a pull request; stack names (from the YAML) only as code spans. */
export function formatPlanMarkdown(plans: readonly StackPlan[]): string {
  const total = totals(plans);
  const columns = countColumns(plans);
  const text = note(plans);
  const lines: Markdown[] = [
    md`### rolecall plan`,
    md``,
    { markdown: `${text[0]!.toUpperCase()}${text.slice(1)}.` },
    md``,
    { markdown: `| stack | ${columns.map((column) => column.title).join(' | ')} |` },
    { markdown: `| --- |${columns.map(() => ' ---: |').join('')}` },
    ...plans.map((p) =>
      p.ok
        ? tableRow([md`${p.stack}`, ...columns.map((column) => count(column.of(p.counts)))])
        : tableRow([md`${p.stack}`, md`failed at ${`terraform ${p.step}`}`, ...columns.slice(1).map(() => md``)]),
    ),
    tableRow([md`**total**`, ...columns.map((column) => count(column.of(total)))]),
  ];
  return markdownDocument(lines);
}
