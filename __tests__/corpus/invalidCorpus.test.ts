import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toFindings } from '../../src/cli/findings';
import { compile } from '../../src/pipeline/compile';
import {
  compareFindings,
  expectLine,
  loadCorpus,
  mismatchReport,
  parseExpectations,
  type ActualFinding,
  type CorpusCase,
  type ExpectedFinding,
} from './corpus';

// Pinned, so that "expired" and "expires soon" cases mean the same on any day.
const NOW = new Date('2026-11-22T12:00:00Z');

async function findingsFor(corpusCase: CorpusCase): Promise<ActualFinding[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `rolecall-corpus-${corpusCase.name}-`));
  try {
    // Companion files (SAML metadata) that a case names are written beside it by the case itself.
    for (const [name, text] of corpusCase.files) await fs.writeFile(path.join(dir, name), text);
    const result = await compile('.', { cwd: dir, now: NOW });
    return toFindings(result.diagnostics, result.sources).map((f) => ({ ...f, file: path.basename(f.file) }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const cases = loadCorpus();

describe('invalid corpus', () => {
  it('has at least 30 cases, each expecting at least one finding', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.expected.length === 0).map((c) => c.name)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: exactly its stated findings, at their file, line, column and rule, saying how to fix it', async (_name, c) => {
    const findings = await findingsFor(c);
    expect(findings.some((f) => f.severity === 'error')).toBe(true);
    const report = mismatchReport(c, findings);
    if (report !== '') throw new Error(report);
  });
});

describe('the corpus harness itself', () => {
  const finding = (over: Partial<ActualFinding> = {}): ActualFinding => ({
    file: 'a.yaml',
    line: 7,
    column: 5,
    severity: 'error',
    rule: 'unknown-key',
    message: 'unknown key "regoin"; did you mean "region"?',
    ...over,
  });
  const expectation = (over: Partial<ExpectedFinding> = {}): ExpectedFinding => ({
    file: 'a.yaml',
    line: 7,
    column: 5,
    rule: 'unknown-key',
    fragment: 'did you mean',
    ...over,
  });

  it('parses the full form, wherever the comment starts', () => {
    const text = ['accounts:', '  # expect: unknown-key at 7:5 "did you mean"', '  - name: x   # expect: missing-key at 3:5 "add id"  '].join('\n');
    expect(parseExpectations('a.yaml', text)).toEqual({
      expected: [expectation(), expectation({ rule: 'missing-key', line: 3, fragment: 'add id' })],
      malformed: [],
    });
  });

  it.each([
    ['no colon', '# expect unknown-key at 7:5 "did you mean"'],
    ['no position', '# expect: unknown-key "did you mean"'],
    ['no "at"', '# expect: unknown-key 7:5 "did you mean"'],
    ['line only', '# expect: unknown-key at 7 "did you mean"'],
    ['no fragment', '# expect: unknown-key at 7:5'],
    ['empty fragment', '# expect: unknown-key at 7:5 ""'],
    ['unclosed fragment', '# expect: unknown-key at 7:5 "did you mean'],
    ['text after the fragment', '# expect: unknown-key at 7:5 "did you mean" and more'],
    ['capitals in the rule', '# expect: Unknown-Key at 7:5 "did you mean"'],
    ['capital Expect', '# Expect: unknown-key at 7:5 "did you mean"'],
    ['unquoted fragment', '#expect: unknown-key at 7:5 did you mean'],
    ['prose', '# expect the schema to refuse this'],
  ])('an `# expect` comment that does not parse is reported, not ignored: %s', (_name, line) => {
    const { expected, malformed } = parseExpectations('a.yaml', `accounts:\n  ${line}\n`);
    expect(expected).toEqual([]);
    expect(malformed).toEqual([{ file: 'a.yaml', line: 2, text: line }]);
    expect(mismatchReport({ name: 'x', expected, malformed }, [])).toContain(`a.yaml:2: ${line}`);
  });

  it('comments that do not start `# expect` are not expectations', () => {
    expect(parseExpectations('a.yaml', '# expected: nothing\n# One finding, expect nothing else\n')).toEqual({ expected: [], malformed: [] });
  });

  it('an extra finding fails the case, and so does a missing one', () => {
    const extra = finding({ line: 9, rule: 'invalid-value', message: 'bad' });
    expect(compareFindings([expectation()], [finding(), extra])).toEqual({ missing: [], unexpected: [extra] });
    expect(compareFindings([expectation(), expectation({ line: 8 })], [finding()])).toEqual({ missing: [expectation({ line: 8 })], unexpected: [] });
    expect(mismatchReport({ name: 'x', expected: [expectation()], malformed: [] }, [finding(), extra])).toContain('reported, not expected');
    expect(mismatchReport({ name: 'x', expected: [expectation()], malformed: [] }, [finding()])).toBe('');
  });

  it('one expectation claims one finding: the same finding twice needs two lines', () => {
    expect(compareFindings([expectation()], [finding(), finding()]).unexpected).toHaveLength(1);
    expect(compareFindings([expectation(), expectation()], [finding(), finding()])).toEqual({ missing: [], unexpected: [] });
  });

  it.each([
    ['file', { file: 'b.yaml' }],
    ['line', { line: 8 }],
    ['column', { column: 6 }],
    ['rule', { rule: 'missing-key' }],
    ['fragment', { fragment: 'did you meant' }],
  ])('an expectation differing in its %s matches nothing', (_name, over) => {
    expect(compareFindings([expectation(over)], [finding()])).toEqual({ missing: [expectation(over)], unexpected: [finding()] });
  });

  it.each([
    ['a plain message', 'this grant expired on 2026-01-01T00:00:00Z; delete the entry'],
    ['quotes in the last clause', 'no role "ops" in account main; did you mean "opz"?'],
    ['all quotes', '"a"'.repeat(3) + ': "b"'],
    ['a long last clause', `x; ${'word '.repeat(40)}`],
    ['a line break', 'first line\nsecond "line": fix it'],
  ])('the suggested `# expect:` line parses and matches its finding: %s', (_name, message) => {
    const actual = finding({ message });
    const line = expectLine(actual);
    const { expected, malformed } = parseExpectations('a.yaml', line);
    expect({ line, malformed }).toEqual({ line, malformed: [] });
    expect(compareFindings(expected, [actual])).toEqual({ missing: [], unexpected: [] });
  });

  it('a failing case prints every actual finding as a line to paste', () => {
    const report = mismatchReport({ name: 'x', expected: [], malformed: [] }, [finding()]);
    expect(report).toContain('a.yaml (above line 7): # expect: unknown-key at 7:5 "did you mean"');
  });
});
