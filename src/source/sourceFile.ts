import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, parseAllDocuments, visit } from 'yaml';
import type { Diagnostic, PathSegment, SourceRef } from '../diagnostics/diagnostic';
import { checkAliases } from './aliases';

/** One YAML file as parsed: the document with its ranges, and the means to turn offsets into lines. */
export interface SourceFile {
  /** The file as shown to people: relative to the current directory. */
  readonly file: string;
  readonly absolutePath: string;
  readonly text: string;
  readonly document: Document | undefined;
  readonly lineCounter: LineCounter;
}

/**
 * What the schema stage sees of a file: plain data plus a window onto the
 * source text of scalars (a bare number has lost its leading zeros by the
 * time it is data; its text has not).
 */
export interface ConfigDocument {
  readonly file: string;
  readonly absolutePath: string;
  readonly value: unknown;
  scalarText(path: readonly PathSegment[]): string | undefined;
}

export interface ParsedSource {
  readonly source: SourceFile;
  /** Undefined when the file has YAML errors: the schema stage skips it. */
  readonly config: ConfigDocument | undefined;
  readonly diagnostics: Diagnostic[];
}

/**
 * How deep collections may nest. IAM config needs a handful of levels; the
 * parser and the later stages recurse once per level, so thousands of `[`
 * would exhaust the stack (or the heap) before any message could be given.
 */
export const MAX_NESTING = 256;

/**
 * The offset where nesting first goes past MAX_NESTING, if it does: `[`/`{`
 * outside quotes and comments, and chains of `- ` or `key: ` opening a block
 * collection on one line. Cheap and bounded: one pass over the text.
 */
export function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let chain = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '\n') {
      lineStart = true;
      chain = 0;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '-' && lineStart && (text[i + 1] === ' ' || text[i + 1] === '\t')) chain++;
    else if (c !== ' ' && c !== '\t') lineStart = false;
    if (c === ' ' && text[i - 1] === '-' && chain > 0) lineStart = true;
    if (depth > MAX_NESTING || chain > MAX_NESTING) return i;
  }
  return undefined;
}

export function parseSource(file: string, absolutePath: string, text: string): ParsedSource {
  const deep = tooDeep(text);
  if (deep !== undefined) return tooDeepSource(file, absolutePath, text, deep);
  const lineCounter = new LineCounter();
  // merge: YAML merge keys (<<: *defaults) are how people share settings between entries.
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const diagnostics: Diagnostic[] = [];
  const here = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const list = Array.isArray(documents) ? documents : [];
  const document = list[0];
  const source: SourceFile = { file, absolutePath, text, document, lineCounter };
  const ref: SourceRef = { file, path: [] };

  if (!Array.isArray(documents) || document === undefined) {
    // An empty file, or comments only: nothing declared here, which is fine.
    return { source, config: { file, absolutePath, value: null, scalarText: () => undefined }, diagnostics };
  }
  for (const extra of list.slice(1)) {
    diagnostics.push({
      severity: 'error',
      rule: 'yaml-multiple-documents',
      message: 'a config file holds one YAML document; move what follows "---" into a file of its own',
      source: ref,
      position: here(extra.range[0]),
    });
  }
  const reportedLines = new Set<number>();
  for (const problem of [...(document?.errors ?? []), ...list.slice(1).flatMap((d) => d.errors)]) {
    const position = here(offendingOffset(text, problem.code, problem.pos[0]));
    // One finding a line: the parser often reports one mistake several ways.
    if (reportedLines.has(position.line)) continue;
    reportedLines.add(position.line);
    diagnostics.push({
      severity: 'error',
      rule: 'yaml-syntax',
      message: yamlMessage(problem.code, problem.message, text.slice(problem.pos[0], problem.pos[1])),
      source: ref,
      position,
    });
  }
  for (const problem of document?.warnings ?? []) {
    diagnostics.push({
      severity: 'warning',
      rule: 'yaml-warning',
      message: firstLine(problem.message),
      source: ref,
      position: here(problem.pos[0]),
    });
  }
  // JavaScript would turn a "__proto__" key into a prototype and drop it
  // silently; a dropped condition key would widen a grant.
  visit(document, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        diagnostics.push({
          severity: 'error',
          rule: 'yaml-syntax',
          message: 'a key named __proto__ is not allowed: no IAM name or condition key is spelt so',
          source: ref,
          position: here(pair.key.range?.[0] ?? 0),
        });
      }
    },
  });
  // Aliases are measured on the document, before toJS builds what they stand for.
  for (const problem of checkAliases(document)) {
    diagnostics.push({ severity: 'error', rule: problem.rule, message: problem.message, source: ref, position: here(problem.offset) });
  }
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { source, config: undefined, diagnostics };
  }
  let value: unknown;
  try {
    // checkAliases bounded their number and expansion: yaml's own alias count is not needed.
    value = document.toJS({ maxAliasCount: -1 });
  } catch (e) {
    // Whatever else only conversion refuses: a finding, never a stack trace.
    diagnostics.push({ severity: 'error', rule: 'yaml-syntax', message: firstLine((e as Error).message), source: ref, position: here(0) });
    return { source, config: undefined, diagnostics };
  }
  const config: ConfigDocument = {
    file,
    absolutePath,
    value,
    scalarText: (path) => {
      const found = walk(document, path);
      const node = found.complete ? found.node : undefined;
      if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
      return text.slice(node.range[0], node.range[1]).trim();
    },
  };
  return { source, config, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * Where a person sees the mistake. The parser reports a bad indent where the
 * white space before it starts (often a comment line above), and a line
 * indented under a scalar at that scalar: both are moved to the first
 * significant character of the offending line.
 */
function offendingOffset(text: string, code: string, offset: number): number {
  let at = offset;
  if (code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY') {
    const newline = text.indexOf('\n', at);
    if (newline === -1) return offset;
    at = newline + 1;
  } else if (code !== 'BAD_INDENT') {
    return offset;
  }
  while (at < text.length) {
    const char = text[at]!;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') at++;
    else if (char === '#') at = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    else return at;
  }
  return offset;
}

function yamlMessage(code: string, message: string, source: string): string {
  const text = firstLine(message);
  switch (code) {
    case 'BAD_ALIAS':
      // A bare * is where IAM people write the wildcard; in YAML it starts an alias (*name).
      return source === '*'
        ? 'a bare * starts a YAML alias (*name): write the wildcard in quotes, "*", e.g. resources: ["*"]'
        : text;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'this line is indented deeper than the key above it, so YAML cannot read it: check the indentation against the lines above';
    case 'DUPLICATE_KEY':
      return `${text}: a key may appear once in a mapping; merge the two or remove one`;
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return `${text}: check the indentation and the ":" and "-" of this line against the lines above`;
    case 'TAB_AS_INDENT':
      return `${text}: YAML indents with spaces, never tabs`;
    default:
      return text;
  }
}

interface WalkResult {
  /** The deepest node reached. */
  readonly node: unknown;
  /** The pair whose value the deepest node is, if it was reached through a mapping key. */
  readonly pair: Pair | undefined;
  readonly complete: boolean;
}

function walk(document: Document, path: readonly PathSegment[]): WalkResult {
  let node: unknown = document.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    let next: { node: unknown; pair: Pair | undefined } | undefined;
    if (isMap(node)) {
      const found = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (found) next = { node: found.value, pair: found };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item !== undefined) next = { node: item, pair: undefined };
    }
    if (next === undefined) return { node, pair, complete: false };
    node = next.node;
    pair = next.pair;
  }
  return { node, pair, complete: true };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** `key:` with nothing after it: the parser's empty scalar sits past the colon, so point at the key. */
function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && (node.source === '' || node.source === undefined));
}

function start(node: unknown): number | undefined {
  if (node instanceof Object && 'range' in node) {
    const range = (node as Node).range;
    if (range) return range[0];
  }
  return undefined;
}

/**
 * Where a SourceRef points, 1-based. A wrong value points at the value; a
 * missing key at the mapping that lacks it (its key, or its first line when
 * it is a list item); `at: 'key'` at the key itself. Never throws.
 */
export function locate(source: SourceFile, ref: SourceRef): { line: number; column: number } {
  const fallback = { line: 1, column: 1 };
  const document = source.document;
  if (!document) return fallback;
  const found = walk(document, ref.path);
  let offset: number | undefined;
  if (found.complete) {
    // A whole mapping or list under a key is named by its key: the line a reader looks for.
    const atKey = ref.at === 'key' || isEmpty(found.node) || ((isMap(found.node) || isSeq(found.node)) && found.pair !== undefined);
    offset = atKey ? start(found.pair?.key) ?? start(found.node) : start(found.node) ?? start(found.pair?.key);
  } else {
    offset = start(found.pair?.key) ?? start(found.node);
  }
  if (offset === undefined) return fallback;
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** A file nested past MAX_NESTING: one finding where it goes too deep, and the file is not parsed. */
function tooDeepSource(file: string, absolutePath: string, text: string, offset: number): ParsedSource {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const { line, col } = lineCounter.linePos(offset);
  return {
    source: { file, absolutePath, text, document: undefined, lineCounter },
    config: undefined,
    diagnostics: [
      {
        severity: 'error',
        rule: 'yaml-syntax',
        message: `collections nest more than ${MAX_NESTING} levels deep here; no IAM config needs that many (a list of statements is three or four levels), so the file is not read`,
        source: { file, path: [] },
        position: { line, column: col },
      },
    ],
  };
}
