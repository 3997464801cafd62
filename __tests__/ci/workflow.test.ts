/**
 * docs/ci/rolecall.yml, run: each step's `run:` script is executed with bash
 * as a GitHub runner would (`bash -eo pipefail`), its `${{ }}` expressions
 * given test values, on a throwaway git repository with an origin, the
 * example organisation on main and a pull-request branch. `npx rolecall` is
 * this checkout's bin, and `npm` and `gh` are stubs that record their calls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOW = parse(readFileSync(path.join(ROOT, 'docs', 'ci', 'rolecall.yml'), 'utf8')) as Workflow;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  if?: string;
  'continue-on-error'?: boolean;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** What the test's pull request looks like to the workflow's expressions. */
const CONTEXT: Record<string, string> = {
  'github.base_ref': 'main',
  'github.token': 'test-token',
  'github.repository': 'acme/access',
  'github.event.pull_request.number': '42',
};

/** `${{ expr }}` → its test value; an expression the test does not know fails it (so none slips by untested). */
function substitute(text: string): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const value = CONTEXT[expression];
    if (value === undefined) throw new Error(`the workflow uses \${{ ${expression} }}, which this test gives no value`);
    return value;
  });
}

let work: string;
let clone: string;
let stubs: string;
let calls: string;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', encoding: 'utf8' });

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-ci-'));
  const origin = path.join(work, 'origin');
  clone = path.join(work, 'clone');
  stubs = path.join(work, 'bin');
  calls = path.join(work, 'calls');
  await fs.mkdir(origin);
  await fs.mkdir(stubs);
  await fs.mkdir(calls);
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'config', 'user.email', 'test@example.com');
  git(origin, 'config', 'user.name', 'test');
  await fs.cp(path.join(ROOT, 'config'), path.join(origin, 'config'), { recursive: true });
  git(origin, 'add', 'config');
  git(origin, 'commit', '-qm', 'the example organisation');
  git(work, 'clone', '-q', origin, clone);
  git(clone, 'config', 'user.email', 'test@example.com');
  git(clone, 'config', 'user.name', 'test');

  // npx rolecall → this checkout's bin; npm and gh record what they were asked.
  const stub = async (name: string, body: string) => {
    await fs.writeFile(path.join(stubs, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`, { mode: 0o755 });
  };
  await stub('npx', `[ "$1" = rolecall ] || { echo "npx $1: not rolecall" >&2; exit 127; }\nshift\nexec node ${JSON.stringify(path.join(ROOT, 'bin', 'rolecall.js'))} "$@"`);
  await stub('npm', `printf '%s\\n' "$*" >> ${JSON.stringify(path.join(calls, 'npm'))}`);
  // gh pr comment N [--edit-last] --body-file F: the first --edit-last finds no comment (exit 1), as on a new pull request.
  await stub(
    'gh',
    `printf '%s|GH_TOKEN=%s|GH_REPO=%s\\n' "$*" "$GH_TOKEN" "$GH_REPO" >> ${JSON.stringify(path.join(calls, 'gh'))}
for arg in "$@"; do [ "$arg" = --edit-last ] && { echo "no comments found for current user" >&2; exit 1; }; done
while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" ${JSON.stringify(path.join(calls, 'comment.md'))}; shift; done`,
  );
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

interface StepRun {
  readonly step: string;
  readonly code: number;
  readonly stderr: string;
}

/** Runs a job's `run:` steps in order in the clone; after a failing step only `continue-on-error` ones ran before it count as passed. */
function runJob(name: string): StepRun[] {
  const results: StepRun[] = [];
  for (const step of WORKFLOW.jobs[name]!.steps) {
    if (step.run === undefined) continue;
    if (step.if !== undefined) throw new Error(`step "${step.name}" has an if: this test does not evaluate it`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))]));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: clone,
      env: { PATH: `${stubs}:${process.env['PATH']}`, HOME: work, ...env },
      encoding: 'utf8',
    });
    results.push({ step: step.name ?? step.run, code: result.status ?? -1, stderr: result.stderr });
    if (result.status !== 0 && !step['continue-on-error']) break;
  }
  return results;
}

async function pullRequest(branch: string, files: Record<string, string>, edits: Record<string, [string, string]> = {}) {
  git(clone, 'checkout', '-q', '-B', branch, 'origin/main');
  for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(clone, file), text);
  for (const [file, [from, to]] of Object.entries(edits)) {
    const text = await fs.readFile(path.join(clone, file), 'utf8');
    if (!text.includes(from)) throw new Error(`not in ${file}: ${from}`);
    await fs.writeFile(path.join(clone, file), text.replace(from, to));
  }
  git(clone, 'add', 'config');
  git(clone, 'commit', '-qm', branch);
  await fs.rm(path.join(calls, 'gh'), { force: true });
  await fs.rm(path.join(calls, 'comment.md'), { force: true });
}

const PARTNER = `roles:
  - name: partner-acme-audit
    account: data-prod
    description: Acme audits the reports they receive
    trust:
      - account: partner-acme
        externalId: acme-audit-2026
    s3ReadOnly:
      buckets: [analytics-prod/audit/]
`;

// Every step starts the CLI afresh (tsx compiles it each time): seconds per step on a busy machine.
jest.setTimeout(180_000);

describe('docs/ci/rolecall.yml', () => {
  it('runs on pull requests and on pushes to main, a job for each, with the least permissions', () => {
    expect(Object.keys(WORKFLOW.on).sort()).toEqual(['pull_request', 'push']);
    expect(WORKFLOW.on['push']).toEqual({ branches: ['main'] });
    expect(WORKFLOW.permissions).toEqual({ contents: 'read' });
    expect(WORKFLOW.jobs['review']!.if).toBe("github.event_name == 'pull_request'");
    expect(WORKFLOW.jobs['review']!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(WORKFLOW.jobs['synth']!.if).toBe("github.event_name == 'push'");
    const review = WORKFLOW.jobs['review']!.steps;
    expect(review[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(review.find((s) => s.uses?.startsWith('actions/setup-node'))!.with).toMatchObject({ 'node-version': 20 });
  });

  it('never writes an expression into a script: values reach the shell through env', () => {
    for (const job of Object.values(WORKFLOW.jobs)) for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('a pull request adding a partner account role: validate passes, the diff is posted, the gate fails with exit 3', async () => {
    await pullRequest('add-partner', { 'config/data-prod/partner-audit.yaml': PARTNER });
    const steps = runJob('review');
    expect(steps.map((s) => [s.step, s.code])).toEqual([
      ['npm ci', 0],
      ['Validate', 0],
      ['Access diff', 0],
      ['Post the access diff on the pull request', 0],
      ['Security review gate', 3],
    ]);
    expect(readFileSync(path.join(calls, 'npm'), 'utf8')).toMatch(/^ci$/m);
    // The comment: the markdown diff, from the file, on pull request 42 of the repository, with the job's token.
    expect(readFileSync(path.join(calls, 'gh'), 'utf8').trimEnd().split('\n')).toEqual([
      'pr comment 42 --edit-last --body-file diff.md|GH_TOKEN=test-token|GH_REPO=acme/access',
      'pr comment 42 --body-file diff.md|GH_TOKEN=test-token|GH_REPO=acme/access',
    ]);
    const comment = readFileSync(path.join(calls, 'comment.md'), 'utf8');
    expect(comment).toMatch(/^## Access changes compared with `origin\/main`$/m);
    expect(comment).toContain('`data-prod/partner-acme-audit`');
    const gate = steps[steps.length - 1]!.stderr;
    expect(gate).toContain('rolecall: --fail-on external-access: 1 change\n');
    expect(gate).toMatch(/^ {2}way-in-added: external account partner-acme \(333333333333\) → data-prod\/partner-acme-audit \(at config\/data-prod\/partner-audit\.yaml:6:18\) \[outside-way-in\]$/m);
  });

  it('a harmless pull request (another engineer with MFA reads the reports) passes every step', async () => {
    await pullRequest('bob-reads', {}, { 'config/data-prod/roles.yaml': ['      - role: identity/staff-console', '      - user: identity/bob\n        mfa: true\n      - role: identity/staff-console'] });
    const steps = runJob('review');
    expect(steps.map((s) => [s.step, s.code])).toEqual([
      ['npm ci', 0],
      ['Validate', 0],
      ['Access diff', 0],
      ['Post the access diff on the pull request', 0],
      ['Security review gate', 0],
    ]);
    expect(readFileSync(path.join(calls, 'comment.md'), 'utf8')).toContain('`user identity/bob` may assume `data-prod/s3-reader`');
  });

  it('a pull request whose config does not validate stops at validate', async () => {
    await pullRequest('broken', {}, { 'config/data-prod/roles.yaml': ['      - user: identity/alice\n        mfa: true\n', '      - user: identity/alicia\n        mfa: true\n'] });
    const steps = runJob('review');
    expect(steps.map((s) => [s.step, s.code])).toEqual([
      ['npm ci', 0],
      ['Validate', 1],
    ]);
    expect(steps[1]!.stderr).toBe('');
  });

  it('a push to main validates and synthesizes a stack per account', async () => {
    git(clone, 'checkout', '-q', '-B', 'main', 'origin/main');
    const steps = runJob('synth');
    expect(steps.map((s) => [s.step, s.code])).toEqual([
      ['npm ci', 0],
      ['Validate', 0],
      ['Synthesize', 0],
    ]);
    const upload = WORKFLOW.jobs['synth']!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const stacks = await fs.readdir(path.join(clone, String(upload.with!['path'])));
    expect(stacks.sort()).toEqual(['data-prod', 'identity']);
  });
});
