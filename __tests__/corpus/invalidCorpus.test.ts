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

describe('invalid corpus', () => {
  let cases: CorpusCase[] = [];
  beforeAll(async () => {
    cases = await loadCorpus();
  });

  it('has at least 30 cases, each expecting at least one finding, all of distinct names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect({ name: c.name, expected: c.expected.length > 0 }).toEqual({ name: c.name, expected: true });
  });

  it('reports every expected finding at its file, line, column and rule, with a message that says how to fix it', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const findings = await findingsFor(c);
      if (!findings.some((f) => f.severity === 'error')) failures.push(`${c.name}: no error at all`);
      for (const e of c.expected) {
        const hit = findings.find(
          (f) => path.basename(f.file) === e.file && f.line === e.line && f.column === e.column && f.rule === e.rule && f.message.includes(e.fragment),
        );
        if (!hit) {
          const got = findings.map((f) => `  ${path.basename(f.file)}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n');
          failures.push(`${c.name}: expected ${e.rule} at ${e.file}:${e.line}:${e.column} "${e.fragment}"; got\n${got}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
