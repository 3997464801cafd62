import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The invalid corpus: each case is one YAML file, or a folder of them, under
 * __tests__/corpus/invalid/. A case states the findings it must produce in
 * comments, in the file where each finding is:
 *
 *   # expect: unknown-key at 7:5 "did you mean"
 *
 * LINE:COL is the 1-based position of the finding; the quoted fragment must
 * appear in its message (the part that says how to fix it).
 */
export interface ExpectedFinding {
  readonly file: string;
  readonly rule: string;
  readonly line: number;
  readonly column: number;
  readonly fragment: string;
}

export interface CorpusCase {
  readonly name: string;
  /** A directory holding only this case's files, ready to be a --config DIR. */
  readonly files: ReadonlyMap<string, string>;
  readonly expected: readonly ExpectedFinding[];
}

export const CORPUS_DIR = path.join(__dirname, 'invalid');
const EXPECT = /#\s*expect:\s*([a-z0-9-]+)\s+at\s+(\d+):(\d+)\s+"([^"]*)"/g;

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
    const expected: ExpectedFinding[] = [];
    for (const [file, text] of files) {
      for (const match of text.matchAll(EXPECT)) {
        expected.push({ file, rule: match[1]!, line: Number(match[2]), column: Number(match[3]), fragment: match[4]! });
      }
    }
    cases.push({ name: entry.name.replace(/\.ya?ml$/, ''), files, expected });
  }
  return cases;
}
