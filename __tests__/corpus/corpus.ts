import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The invalid corpus: each case is one YAML file, or a folder of them, under
 * __tests__/corpus/invalid/. A case states every finding it must produce, and
 * no others, in comments, in the file where each finding is:
 *
 *   # expect: unknown-key at 7:5 "did you mean"
 *
 * LINE:COL is the 1-based position of the finding; the quoted fragment must
 * appear in its message (the part that says how to fix it). A comment that
 * starts `# expect` in any other form is an error of the case, not ignored.
 */
export interface ExpectedFinding {
  readonly file: string;
  readonly rule: string;
  readonly line: number;
  readonly column: number;
  readonly fragment: string;
}

/** A finding as the corpus compares it: the file's name within the case. */
export interface ActualFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly rule: string;
  readonly message: string;
}

/** A `# expect` comment that does not have the full form. */
export interface MalformedExpectation {
  readonly file: string;
  /** 1-based line of the comment in its file. */
  readonly line: number;
  readonly text: string;
}

export interface CorpusCase {
  readonly name: string;
  /** A directory holding only this case's files, ready to be a --config DIR. */
  readonly files: ReadonlyMap<string, string>;
  readonly expected: readonly ExpectedFinding[];
  readonly malformed: readonly MalformedExpectation[];
}

export const CORPUS_DIR = path.join(__dirname, 'invalid');
const EXPECT_MENTION = /#\s*expect\b/i;
const EXPECT_FORM = /^#\s*expect:\s*([a-z0-9-]+)\s+at\s+(\d+):(\d+)\s+"([^"\n]+)"\s*$/;

/** Every `# expect` comment of one file: parsed, or reported as malformed. */
export function parseExpectations(file: string, text: string): { expected: ExpectedFinding[]; malformed: MalformedExpectation[] } {
  const expected: ExpectedFinding[] = [];
  const malformed: MalformedExpectation[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const mention = EXPECT_MENTION.exec(lineText);
    if (!mention) return;
    const comment = lineText.slice(mention.index).trimEnd();
    const match = EXPECT_FORM.exec(comment);
    if (!match) {
      malformed.push({ file, line: index + 1, text: comment });
      return;
    }
    expected.push({ file, rule: match[1]!, line: Number(match[2]), column: Number(match[3]), fragment: match[4]! });
  });
  return { expected, malformed };
}

/** Read synchronously, so that each case can be its own test. */
export function loadCorpus(): CorpusCase[] {
  const entries = fs.readdirSync(CORPUS_DIR, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const cases: CorpusCase[] = [];
  for (const entry of entries) {
    const full = path.join(CORPUS_DIR, entry.name);
    const files = new Map<string, string>();
    if (entry.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) files.set(name, fs.readFileSync(path.join(full, name), 'utf8'));
    } else if (/\.ya?ml$/.test(entry.name)) {
      files.set(entry.name, fs.readFileSync(full, 'utf8'));
    } else {
      continue;
    }
    const parsed = [...files].map(([file, text]) => parseExpectations(file, text));
    cases.push({
      name: entry.name.replace(/\.ya?ml$/, ''),
      files,
      expected: parsed.flatMap((p) => p.expected),
      malformed: parsed.flatMap((p) => p.malformed),
    });
  }
  return cases;
}

const matches = (e: ExpectedFinding, f: ActualFinding) =>
  e.file === f.file && e.line === f.line && e.column === f.column && e.rule === f.rule && f.message.includes(e.fragment);

/**
 * Expected against actual, one to one: each expectation claims one finding.
 * The case passes only when nothing is missing and nothing is unexpected.
 */
export function compareFindings(
  expected: readonly ExpectedFinding[],
  actual: readonly ActualFinding[],
): { missing: ExpectedFinding[]; unexpected: ActualFinding[] } {
  const unclaimed = [...actual];
  const missing: ExpectedFinding[] = [];
  for (const e of expected) {
    const index = unclaimed.findIndex((f) => matches(e, f));
    if (index === -1) missing.push(e);
    else unclaimed.splice(index, 1);
  }
  return { missing, unexpected: unclaimed };
}

/**
 * A fragment of the message that an `# expect` line can quote: the last
 * clause (where messages say how to fix), without double quotes or line
 * breaks, cut at a word to at most 60 characters.
 */
export function fragmentOf(message: string): string {
  const longestPiece = (text: string) =>
    text
      .split(/["\n]/)
      .map((piece) => piece.trim())
      .reduce((best, piece) => (piece.length > best.length ? piece : best), '');
  const clauses = message.split(/[;:] /);
  const fragment = longestPiece(clauses[clauses.length - 1]!) || longestPiece(message);
  if (fragment.length <= 60) return fragment;
  const cut = fragment.slice(0, 61);
  const space = cut.lastIndexOf(' ');
  return (space > 20 ? cut.slice(0, space) : cut.slice(0, 60)).trim();
}

/** The `# expect:` line that states this finding, ready to paste into its file. */
export function expectLine(finding: ActualFinding): string {
  return `# expect: ${finding.rule} at ${finding.line}:${finding.column} "${fragmentOf(finding.message)}"`;
}

/** Why a case fails, with the actual findings as lines to paste; '' when it passes. */
export function mismatchReport(corpusCase: Pick<CorpusCase, 'name' | 'expected' | 'malformed'>, actual: readonly ActualFinding[]): string {
  const lines: string[] = [];
  if (corpusCase.malformed.length > 0) {
    lines.push('`# expect` comments that do not parse (the form is: # expect: RULE at LINE:COL "fragment of the message"):');
    for (const m of corpusCase.malformed) lines.push(`  ${m.file}:${m.line}: ${m.text}`);
  }
  const { missing, unexpected } = compareFindings(corpusCase.expected, actual);
  if (missing.length > 0) {
    lines.push('expected, not reported:');
    for (const e of missing) lines.push(`  ${e.file}: # expect: ${e.rule} at ${e.line}:${e.column} "${e.fragment}"`);
  }
  if (unexpected.length > 0) {
    lines.push('reported, not expected:');
    for (const f of unexpected) lines.push(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`);
  }
  if (lines.length === 0) return '';
  lines.push('every actual finding, as lines to paste (each in its file, above the line it names):');
  const sorted = [...actual].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.column - b.column));
  for (const f of sorted) lines.push(`  ${f.file} (above line ${f.line}): ${expectLine(f)}`);
  if (actual.length === 0) lines.push('  (none)');
  return [`case ${corpusCase.name}: its findings are not the ones its # expect: lines state`, ...lines].join('\n');
}
