/**
 * `rolecall import`: the I/O around the pure importer (src/import). Reads
 * each authorization details file (bounded), writes the YAML into a staging
 * directory, compiles it to find the security findings the account holds
 * today, writes them as dated `accept:` entries, compiles again to confirm,
 * and only then swaps the staging directory into place.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { error, hasErrors, type Diagnostic } from '../diagnostics/diagnostic';
import { withAccepts } from '../import/accepts';
import { readAuthorizationDetails } from '../import/authorizationDetails';
import { importAccounts, type ImportCounts, type ImportInput } from '../import/importAccounts';
import { jsonErrorPosition } from '../import/jsonSyntax';
import type { YamlFile } from '../import/yamlFiles';
import { yamlText } from '../source/yamlText';
import { compile, type CompileResult } from './compile';

/** The largest authorization details file read: a big account's is a few MB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Lists what an import wrote, so that a later import replaces exactly that. */
export const IMPORT_MARKER = '.rolecall-import.json';

export interface ImportRequest {
  readonly inputs: readonly { readonly file: string; readonly account: string }[];
  readonly out: string;
  readonly cwd: string;
  readonly now: Date;
}

export interface ImportOutcome {
  /** Findings about the input files (file + JSON path), the not-expressible ones included. */
  readonly input: readonly Diagnostic[];
  /** The compiled imported config: its remaining findings (accepted ones left out). */
  readonly compiled?: CompileResult;
  readonly counts?: ImportCounts;
  readonly accepted: number;
  readonly written: boolean;
  readonly files: readonly string[];
}

/** The output directory cannot be used; nothing was written. */
export class ImportRefusal extends Error {}

async function readInput(file: string, cwd: string): Promise<{ json?: unknown; diagnostics: Diagnostic[] }> {
  const at = { file, path: [] };
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    const stat = await fs.stat(absolute);
    if (!stat.isFile()) return { diagnostics: [error('import-input', 'is not a regular file', at)] };
    if (stat.size > MAX_INPUT_BYTES) return { diagnostics: [error('import-input', `is ${stat.size} bytes; rolecall reads at most ${MAX_INPUT_BYTES} (64 MiB)`, at)] };
    text = await fs.readFile(absolute, 'utf8');
  } catch (e) {
    return { diagnostics: [error('import-input', `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, at)] };
  }
  try {
    return { json: JSON.parse(text.replace(/^\uFEFF/, '')), diagnostics: [] };
  } catch {
    const where = jsonErrorPosition(text.replace(/^\uFEFF/, ' '));
    return { diagnostics: [{ ...error('import-input', `is not JSON: unexpected ${where.found}`, at), position: { line: where.line, column: where.column } }] };
  }
}

const render = (file: YamlFile) => yamlText(file.header, file.sections);

async function writeFiles(dir: string, files: readonly YamlFile[]): Promise<void> {
  for (const file of files) {
    await fs.mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
    await fs.writeFile(path.join(dir, file.path), render(file));
  }
  await fs.writeFile(path.join(dir, IMPORT_MARKER), `${JSON.stringify({ files: files.map((f) => f.path).sort() }, null, 2)}\n`);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, relative)));
    else out.push(relative);
  }
  return out;
}

/** An existing --out must be empty, or hold exactly what an earlier import wrote. */
async function checkOutput(target: string, shown: string, cwd: string): Promise<boolean> {
  const relative = path.relative(target, cwd);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new ImportRefusal(`--out ${shown} would hold the working directory; name a directory of its own, e.g. imported/`);
  }
  let present: string[];
  try {
    present = await listFiles(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ImportRefusal(`--out ${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (present.length === 0) return true;
  if (!present.includes(IMPORT_MARKER)) {
    throw new ImportRefusal(`--out ${shown} is not empty and holds no earlier import (no ${IMPORT_MARKER}); name an empty or new directory (nothing was written)`);
  }
  let listed: unknown;
  try {
    listed = (JSON.parse(await fs.readFile(path.join(target, IMPORT_MARKER), 'utf8')) as { files?: unknown }).files;
  } catch {
    listed = undefined;
  }
  if (!Array.isArray(listed)) throw new ImportRefusal(`--out ${shown}: ${IMPORT_MARKER} is not rolecall's; name an empty or new directory (nothing was written)`);
  const foreign = present.filter((f) => f !== IMPORT_MARKER && !listed.includes(f));
  if (foreign.length > 0) {
    throw new ImportRefusal(`--out ${shown} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which rolecall import did not write; move it away or name another directory (nothing was written)`);
  }
  return true;
}

/** `group:account/name` and `role:account/name` of the entities whose inline policies IAM would refuse as too large. */
function oversizedEntities(diagnostics: readonly Diagnostic[], files: readonly YamlFile[]): Set<string> {
  const keys = new Set<string>();
  for (const d of diagnostics) {
    if (d.rule !== 'policy-size') continue;
    const [section, index] = d.source.path;
    const item = files.find((f) => f.path === d.source.file)?.sections.find((s) => s.key === section)?.items[index as number];
    if (item?.subject && (item.subject.kind === 'group' || item.subject.kind === 'role')) keys.add(`${item.subject.kind}:${item.subject.account}/${item.subject.name}`);
  }
  return keys;
}

export async function importConfig(request: ImportRequest): Promise<ImportOutcome> {
  const read = await Promise.all(request.inputs.map((i) => readInput(i.file, request.cwd)));
  const inputDiagnostics = read.flatMap((r) => r.diagnostics);
  const parsed = read.map((r, index) => (r.json === undefined ? undefined : readAuthorizationDetails(request.inputs[index]!.file, r.json)));
  inputDiagnostics.push(...parsed.flatMap((p) => p?.diagnostics ?? []));
  const nothing = { accepted: 0, written: false, files: [] };
  if (hasErrors(inputDiagnostics)) return { input: inputDiagnostics, ...nothing };

  const inputs: ImportInput[] = parsed.map((p, index) => ({ details: p!.details, account: request.inputs[index]!.account }));
  let imported = importAccounts(inputs, request.now);
  if (hasErrors(imported.diagnostics)) return { input: imported.diagnostics, ...nothing };

  const target = path.resolve(request.cwd, request.out);
  const exists = await checkOutput(target, request.out, request.cwd);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.import-`));
  try {
    await writeFiles(staging, imported.files);
    let first = await compile('.', { cwd: staging, now: request.now });
    // Inlined customer managed policies that pass IAM's inline size limit stay attached by ARN instead.
    const oversized = oversizedEntities(first.diagnostics, imported.files);
    if (oversized.size > 0) {
      imported = importAccounts(inputs, request.now, { byArn: oversized });
      await fs.rm(staging, { recursive: true, force: true });
      await fs.mkdir(staging);
      await writeFiles(staging, imported.files);
      first = await compile('.', { cwd: staging, now: request.now });
    }
    const held = first.security.filter((f) => !f.accepted).map((f) => ({ subject: f.subject, rule: f.rule }));
    const { files, accepted } = withAccepts(imported.files, held, request.now.toISOString().slice(0, 10));
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging);
    await writeFiles(staging, files);
    const second = await compile('.', { cwd: staging, now: request.now });
    const compiled = { ...second, diagnostics: second.diagnostics.filter((d) => !d.accepted) };
    if (exists) {
      const retired = `${staging}.old`;
      await fs.rename(target, retired);
      await fs.rename(staging, target);
      await fs.rm(retired, { recursive: true, force: true });
    } else {
      await fs.rename(staging, target);
    }
    return { input: imported.diagnostics, compiled, counts: imported.counts, accepted, written: true, files: files.map((f) => f.path) };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
