import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isSecurityRule } from '../../src/analysers/rules/review';
import { toFindings, type Finding } from '../../src/cli/findings';
import type { AccessModel } from '../../src/model/accessModel';
import { compile, type CompileResult } from '../../src/pipeline/compile';

/** The clock tests run against, so that expiry means the same on any day. */
export const TEST_NOW = new Date('2026-11-22T12:00:00Z');

export interface Compiled extends CompileResult {
  readonly findings: Finding[];
  readonly errors: Finding[];
  /** The errors of no security rule: what makes a config invalid, rather than risky (the rules' own tests judge those). */
  readonly configErrors: Finding[];
}

/** Writes `files` (name → YAML text) into a fresh directory and compiles it. */
export async function compileYaml(files: Record<string, string>, now: Date = TEST_NOW): Promise<Compiled> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-test-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await fs.writeFile(path.join(dir, name), text);
    }
    const result = await compile('.', { cwd: dir, now });
    const findings = toFindings(result.diagnostics, result.sources);
    const errors = findings.filter((f) => f.severity === 'error');
    return { ...result, findings, errors, configErrors: errors.filter((f) => !isSecurityRule(f.rule)) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Compiles and insists on a valid config: the model, with no errors but security findings (a test config may be risky on purpose). */
export async function compileValid(files: Record<string, string>, now: Date = TEST_NOW): Promise<AccessModel> {
  const result = await compileYaml(files, now);
  if (result.configErrors.length > 0 || !result.model) {
    throw new Error(`expected a valid config, got:\n${result.configErrors.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n')}`);
  }
  return result.model;
}

export const TWO_ACCOUNTS = `
accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
    region: eu-west-1
  - name: partner
    id: "333333333333"
    external: true
`;
