/**
 * Findings travel through every stage as plain data. A finding points at
 * YAML through a SourceRef (file + path of keys and indexes); it becomes
 * file:line:col only at the edge, where the parsed sources are at hand.
 */

export type Severity = 'error' | 'warning';

export type PathSegment = string | number;

/** Where an element of the config came from: a file and a path into its document. */
export interface SourceRef {
  readonly file: string;
  readonly path: readonly PathSegment[];
  /** Point at the key of the last path segment rather than its value. */
  readonly at?: 'key' | 'value';
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable, kebab-case rule id, e.g. `unknown-key`. */
  readonly rule: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  readonly source: SourceRef;
  /** The other place a finding concerns (the first definition of a duplicate); shown as "also at FILE:LINE:COL". */
  readonly related?: SourceRef;
  /** `path-end`: the message ends at the related place, shown as "… at FILE:LINE:COL" (an expectation's path). */
  readonly relatedAs?: 'also' | 'path-end';
  /** Known only for findings made while parsing (YAML syntax); 1-based. */
  readonly position?: { readonly line: number; readonly column: number };
  /** A security finding taken on purpose (`accept:`): reported, as a warning, but it fails nothing. */
  readonly accepted?: AcceptedNote;
}

export interface AcceptedNote {
  readonly reason: string;
  readonly ticket?: string;
  /** ISO-8601 instant. */
  readonly expires?: string;
  /** The `accept:` item. */
  readonly source: SourceRef;
}

export function error(rule: string, message: string, source: SourceRef): Diagnostic {
  return { severity: 'error', rule, message, source };
}

export function duplicate(rule: string, message: string, source: SourceRef, related: SourceRef): Diagnostic {
  return { severity: 'error', rule, message, source, related };
}

export function warning(rule: string, message: string, source: SourceRef): Diagnostic {
  return { severity: 'warning', rule, message, source };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** What `--strict` fails on: any finding not accepted on purpose. */
export function hasUnaccepted(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.accepted === undefined);
}

/** A child reference: the same file, one segment deeper. */
export function at(source: SourceRef, ...segments: PathSegment[]): SourceRef {
  return { file: source.file, path: [...source.path, ...segments] };
}
