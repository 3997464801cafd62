import type { Diagnostic, SourceRef } from '../diagnostics/diagnostic';
import { locate, type SourceFile } from '../source/sourceFile';
import { visibleOutput, visibleText } from '../text/visibleText';

/** A finding at the edge: with its file, line and column. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  readonly message: string;
  /** A security finding taken on purpose: why, and where the `accept:` item stands. */
  readonly accepted?: AcceptedFinding;
}

export interface AcceptedFinding {
  readonly reason: string;
  readonly ticket?: string;
  readonly expires?: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Resolves every finding's SourceRef to file:line:col and sorts them as a reader expects. */
export function toFindings(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[]): Finding[] {
  const position = positionIn(sources);
  const findings = diagnostics.map((d): Finding => {
    const { line, column } = d.position ?? position(d.source);
    let message = d.message;
    if (d.related) {
      const other = position(d.related);
      const place = `${d.related.file}:${other.line}:${other.column}`;
      message += d.relatedAs === 'path-end' ? ` at ${place}` : ` (also at ${place})`;
    }
    const finding: Finding = { file: d.source.file, line, column, severity: d.severity, rule: d.rule, message };
    if (!d.accepted) return finding;
    const { reason, ticket, expires, source } = d.accepted;
    const place = position(source);
    const accepted: AcceptedFinding = {
      reason,
      ...(ticket !== undefined ? { ticket } : {}),
      ...(expires !== undefined ? { expires } : {}),
      file: source.file,
      line: place.line,
      column: place.column,
    };
    return { ...finding, accepted };
  });
  return findings.sort(
    (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.rule, b.rule) || compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line per finding; a message quoting a name from the config shows its control characters as escapes, never raw. */
export function formatText(findings: readonly Finding[]): string {
  const lines = findings.map((f) => visibleText(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}${acceptedWords(f)}: ${f.message}`));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const accepted = findings.filter((f) => f.accepted).length;
  const warnings = findings.length - errors - accepted;
  lines.push(
    findings.length === 0
      ? 'no problems found'
      : `${errors} ${plural(errors, 'error')}, ${warnings} ${plural(warnings, 'warning')}${accepted > 0 ? `, ${accepted} accepted` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** ` (accepted: REASON, TICKET)`: a reviewer sees why the finding fails nothing. */
function acceptedWords(f: Finding): string {
  if (!f.accepted) return '';
  const { reason, ticket } = f.accepted;
  return ` (accepted: ${reason}${ticket !== undefined ? `, ${ticket}` : ''})`;
}

export function formatJson(findings: readonly Finding[]): string {
  return `${visibleOutput(JSON.stringify({ diagnostics: findings }, null, 2))}\n`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** `FILE:LINE:COL` of a SourceRef, for reports. */
export function whereIn(sources: readonly SourceFile[]): (ref: SourceRef) => string {
  const position = positionIn(sources);
  return (ref) => {
    const { line, column } = position(ref);
    return `${ref.file}:${line}:${column}`;
  };
}

/** A SourceRef as data: `{ file, line, column }`, for the structured diff. */
export function placeIn(sources: readonly SourceFile[]): (ref: SourceRef) => { file: string; line: number; column: number } {
  const position = positionIn(sources);
  return (ref) => ({ file: ref.file, ...position(ref) });
}

/** Line and column of a SourceRef among the parsed sources (1:1 for a file not among them). */
function positionIn(sources: readonly SourceFile[]): (ref: SourceRef) => { line: number; column: number } {
  const byFile = new Map(sources.map((s) => [s.file, s]));
  return (ref) => {
    const source = byFile.get(ref.file);
    return source ? locate(source, ref) : { line: 1, column: 1 };
  };
}
