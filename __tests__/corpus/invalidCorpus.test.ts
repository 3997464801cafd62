import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toFindings } from '../../src/cli/findings';
import { compile } from '../../src/pipeline/compile';
import { loadCorpus, type CorpusCase } from './corpus';

// Pinned, so that "expired" and "expires soon" cases mean the same on any day.
const NOW = new Date('2026-11-22T12:00:00Z');

async function findingsFor(corpusCase: CorpusCase) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `rolecall-corpus-${corpusCase.name}-`));
  for (const [name, text] of corpusCase.files) await fs.writeFile(path.join(dir, name), text);
  // Companion files (SAML metadata) that a case names are written beside it by the case itself.
  const result = await compile('.', { cwd: dir, now: NOW });
  await fs.rm(dir, { recursive: true, force: true });
  return toFindings(result.diagnostics, result.sources);
}

const cases = loadCorpus();

describe('invalid corpus', () => {
  it('has at least 30 cases, each expecting at least one finding', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.expected.length === 0).map((c) => c.name)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: reported at its file, line, column and rule, saying how to fix it', async (_name, c) => {
    const findings = await findingsFor(c);
    expect(findings.some((f) => f.severity === 'error')).toBe(true);
    const shown = findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
    for (const e of c.expected) {
      const hit = findings.find(
        (f) => path.basename(f.file) === e.file && f.line === e.line && f.column === e.column && f.rule === e.rule && f.message.includes(e.fragment),
      );
      expect({ expected: `${e.rule} at ${e.file}:${e.line}:${e.column} "${e.fragment}"`, found: hit !== undefined, findings: hit ? [] : shown }).toEqual({
        expected: `${e.rule} at ${e.file}:${e.line}:${e.column} "${e.fragment}"`,
        found: true,
        findings: [],
      });
    }
  });
});
