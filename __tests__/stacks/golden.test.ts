/**
 * Golden files: every file `synthesize` writes, byte for byte, for the
 * example organisation (config/), the stack fixture (__tests__/stacks/fixture)
 * and a generated organisation of 400 principals (bench/organisation.ts).
 * Changes to stacks/ that must not change the output (speed, refactoring)
 * are proved by this test; a change that means to change the output updates
 * the golden files and shows the difference in review.
 *
 * Update after an intended change of the output:
 *
 *     UPDATE_GOLDEN=1 npx jest __tests__/stacks/golden.test.ts
 *
 * config/ and the fixture are kept as full copies under golden/NAME/; the
 * generated organisation as one SHA-256 per file (golden/generated-400.sha256),
 * to keep the repository small.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { organisation, organisationFiles, shapeOf } from '../../bench/organisation';
import { isSecurityRule } from '../../src/analysers/rules/review';
import { toFindings } from '../../src/cli/findings';
import type { AccessModel } from '../../src/model/accessModel';
import { compile } from '../../src/pipeline/compile';
import { synthesize } from '../../stacks';
import { TEST_NOW } from '../support/compileYaml';
import { FIXTURE_DIR } from './fixtures';
import { readTree } from './synthesized';

const GOLDEN_DIR = path.join(__dirname, 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const GENERATED_PRINCIPALS = 400;

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-golden-'));
  tempDirs.push(dir);
  return dir;
}

async function compiled(configDir: string): Promise<AccessModel> {
  const result = await compile('.', { cwd: configDir, now: TEST_NOW });
  const findings = toFindings(result.diagnostics, result.sources).filter((f) => f.severity === 'error' && !isSecurityRule(f.rule));
  if (findings.length > 0 || !result.model) {
    throw new Error(`${configDir} must compile:\n${findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n')}`);
  }
  return result.model;
}

/** Synthesizes the config in configDir; every written file, by path with `/`. */
async function synthesized(configDir: string): Promise<Map<string, Buffer>> {
  const outdir = path.join(tempDir(), 'cdktf.out');
  synthesize(await compiled(configDir), outdir);
  return new Map([...readTree(outdir)].map(([file, bytes]) => [file.split(path.sep).join('/'), bytes]));
}

function generatedConfigDir(): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(organisationFiles(organisation(shapeOf(GENERATED_PRINCIPALS))))) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function expectSameCopy(name: string, files: Map<string, Buffer>): void {
  const dir = path.join(GOLDEN_DIR, name);
  if (UPDATE) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [file, bytes] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), bytes);
    }
  }
  const golden = new Map([...readTree(dir)].map(([file, bytes]) => [file.split(path.sep).join('/'), bytes]));
  expect([...files.keys()].sort()).toEqual([...golden.keys()].sort());
  for (const [file, bytes] of files) {
    // As text, so a failure shows the difference.
    expect({ file, text: bytes.toString('utf8') }).toEqual({ file, text: golden.get(file)?.toString('utf8') });
  }
}

function hashList(files: Map<string, Buffer>): string {
  return [...files.keys()]
    .sort()
    .map((file) => `${createHash('sha256').update(files.get(file) as Buffer).digest('hex')}  ${file}\n`)
    .join('');
}

describe('golden output (UPDATE_GOLDEN=1 npx jest golden to rewrite)', () => {
  test('config/, the example organisation, synthesizes to golden/config byte for byte', async () => {
    expectSameCopy('config', await synthesized(path.join(__dirname, '..', '..', 'config')));
  });

  test('the stack fixture synthesizes to golden/fixture byte for byte', async () => {
    expectSameCopy('fixture', await synthesized(FIXTURE_DIR));
  });

  test(`a generated organisation of ${GENERATED_PRINCIPALS} principals synthesizes to the golden hashes`, async () => {
    const file = path.join(GOLDEN_DIR, `generated-${GENERATED_PRINCIPALS}.sha256`);
    const hashes = hashList(await synthesized(generatedConfigDir()));
    if (UPDATE) fs.writeFileSync(file, hashes);
    expect(hashes).toBe(fs.readFileSync(file, 'utf8'));
  }, 120_000);
});
