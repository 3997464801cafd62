import * as path from 'node:path';
import type { Diagnostic, PathSegment } from '../diagnostics/diagnostic';
import { importConfig } from '../pipeline/importConfig';
import { visibleText } from '../text/visibleText';
import { UsageError, type ParsedArgs } from './args';
import { toFindings } from './findings';
import type { Io } from './main';

/** `$.RoleDetailList[3].AssumeRolePolicyDocument.Statement[0]`: a place in a JSON file. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((text, s) => (typeof s === 'number' ? `${text}[${s}]` : /^[A-Za-z_][\w]*$/.test(s) ? `${text}.${s}` : `${text}[${JSON.stringify(s)}]`), '$');
}

function inputLine(d: Diagnostic): string {
  const where = d.position ? `${d.source.file}:${d.position.line}:${d.position.column}` : `${d.source.file}: ${jsonPath(d.source.path)}`;
  return visibleText(`${where}: ${d.severity} ${d.rule}: ${d.message}`);
}

const ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/** `rolecall import --from FILE --account NAME [...] [--out DIR]`; `now` dates the accept: entries. */
export async function importCommand(args: ParsedArgs, io: Io, now: Date = new Date()): Promise<number> {
  const from = args.values.get('from') ?? [];
  const accounts = args.values.get('account') ?? [];
  if (from.length === 0) throw new UsageError('import needs --from FILE (the JSON of aws iam get-account-authorization-details)');
  if (accounts.length !== from.length) throw new UsageError(`import takes one --account NAME per --from FILE, in order (${from.length} --from, ${accounts.length} --account)`);
  const bad = accounts.find((a) => !ACCOUNT_NAME.test(a));
  if (bad !== undefined) throw new UsageError(`--account ${bad}: an account name is lowercase letters, digits and "-", e.g. identity`);
  if (new Set(accounts).size !== accounts.length) throw new UsageError('each --account names a different account');
  const outOption = args.options.get('out');
  const out = typeof outOption === 'string' ? outOption : 'config';
  const outcome = await importConfig({ inputs: from.map((file, i) => ({ file, account: accounts[i]! })), out, cwd: io.cwd, now });
  const lines = [...outcome.input].sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : 0)).map(inputLine);
  if (!outcome.written) {
    io.stderr(`${lines.join('\n')}\nrolecall: import refused: fix the input above; nothing was written\n`);
    return 1;
  }
  const shown = path.relative(io.cwd, path.resolve(io.cwd, out)) || '.';
  const compiled = outcome.compiled!;
  const findings = toFindings(compiled.diagnostics, compiled.sources).map((f) => ({ ...f, file: `${shown}/${f.file}` }));
  for (const f of findings) lines.push(visibleText(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`));
  if (lines.length > 0) io.stderr(`${lines.join('\n')}\n`);
  const c = outcome.counts!;
  io.stdout(
    `imported ${c.users} users, ${c.groups} groups, ${c.roles} roles and ${c.providers} providers into ${shown}/ (${outcome.files.length} files); ` +
      `${c.skipped} AWS-owned roles skipped, ${outcome.input.filter((d) => d.rule === 'import-not-expressible').length} not-expressible findings, ${outcome.accepted} findings accepted as present at import\n`,
  );
  const invalid = findings.some((f) => f.severity === 'error');
  if (invalid) io.stderr('rolecall: the imported config does not validate (the findings above): fix them before synth\n');
  return invalid ? 1 : 0;
}
