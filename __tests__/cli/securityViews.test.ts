/**
 * Security findings in every view, through the CLI: validate (text, json,
 * exit codes), synth (refuses what is not accepted), access (per principal)
 * and diff (new and resolved findings, first).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiffChange } from '../../src/analysers/diffData';
import type { AccessReport } from '../../src/analysers/accessReport';
import { run } from '../../src/cli/main';

const RULE = 'privesc-passrole-lambda-create-function-invoke';

const ORG = (devAllow: string, devAccept = '') => `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
  - name: dev
${devAllow}${devAccept}roles:
  - name: reader
    trust:
      - user: alice
    s3ReadOnly: all
`;

const SAFE = `    allow:
      - actions: [lambda:GetFunction]
        resources: ["*"]
`;

/** The change under review: iam:PassRole on * beside CreateFunction and InvokeFunction (pathfinding.cloud lambda-001). */
const ESCALATES = `    allow:
      - actions: [iam:PassRole]
        resources: ["*"]
      - actions: [lambda:CreateFunction, lambda:InvokeFunction]
        resources: ["*"]
`;

const ACCEPTED = `    accept:
      - rule: ${RULE}
        reason: deploys functions; the boundary caps them
        ticket: SEC-142
`;

let work: string;
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-security-'));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function rolecall(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: work, env: {} });
  return { code, stdout, stderr };
}

async function writeOrg(text: string): Promise<void> {
  await fs.mkdir(path.join(work, 'config'), { recursive: true });
  await fs.writeFile(path.join(work, 'config', 'org.yaml'), text);
}

describe('validate', () => {
  it('an escalation nobody accepted: an error with its rule id, exit 1', async () => {
    await writeOrg(ORG(ESCALATES));
    const text = await rolecall(['validate']);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^config/org.yaml:8:9: error ${RULE}: user main/dev can escalate with iam:PassRole`));
    const json = await rolecall(['validate', '--format', 'json']);
    expect(json.code).toBe(1);
    const [finding] = (JSON.parse(json.stdout) as { diagnostics: Record<string, unknown>[] }).diagnostics;
    expect(finding).toMatchObject({ file: 'config/org.yaml', line: 8, column: 9, severity: 'error', rule: RULE });
    expect(finding).not.toHaveProperty('accepted');
  });

  it('accepted: exit 0 (even --strict), still listed, marked accepted with its reason and ticket', async () => {
    await writeOrg(ORG(ESCALATES, ACCEPTED));
    const text = await rolecall(['validate']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^config/org.yaml:8:9: warning ${RULE} \\(accepted: deploys functions; the boundary caps them, SEC-142\\): user main/dev can escalate`));
    expect(text.stdout.trimEnd().split('\n').pop()).toBe('0 errors, 0 warnings, 1 accepted');
    expect((await rolecall(['validate', '--strict'])).code).toBe(0);
    const json = await rolecall(['validate', '--format', 'json']);
    expect(json.code).toBe(0);
    const [finding] = (JSON.parse(json.stdout) as { diagnostics: Record<string, unknown>[] }).diagnostics;
    expect(finding).toMatchObject({ line: 8, severity: 'warning', rule: RULE });
    expect(finding!['accepted']).toEqual({ reason: 'deploys functions; the boundary caps them', ticket: 'SEC-142', file: 'config/org.yaml', line: 13, column: 9 });
  });

  it('--strict still fails on a stale acceptance beside it', async () => {
    await writeOrg(ORG(SAFE, ACCEPTED));
    const result = await rolecall(['validate', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^config\/org.yaml:11:9: warning stale-accept: /);
    expect((await rolecall(['validate'])).code).toBe(0);
  });
});

describe('synth', () => {
  it('refuses an escalation nobody accepted, writing nothing; writes the stacks once it is accepted', async () => {
    await writeOrg(ORG(ESCALATES));
    const refused = await rolecall(['synth', '--out', 'out']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`error ${RULE}:[\\s\\S]*synth refused`));
    await expect(fs.access(path.join(work, 'out'))).rejects.toThrow();
    await writeOrg(ORG(ESCALATES, ACCEPTED));
    const written = await rolecall(['synth', '--out', 'out']);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(new RegExp(`warning ${RULE} \\(accepted: `));
    await fs.access(path.join(work, 'out', 'stacks', 'main', 'cdk.tf.json'));
  });
});

describe('access', () => {
  it('shows each principal the findings about it, accepted or not, with the place; other principals none', async () => {
    await writeOrg(ORG(ESCALATES));
    const json = await rolecall(['access', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as AccessReport;
    const dev = report.users.find((u) => u.user === 'main/dev')!;
    expect(dev.findings.map((f) => [f.rule, f.severity, f.subject, f.source, f.accepted])).toEqual([[RULE, 'error', 'user main/dev', 'config/org.yaml:8:9', undefined]]);
    expect(report.users.find((u) => u.user === 'main/alice')!.findings).toEqual([]);
    expect(report.roles.every((r) => r.findings.length === 0)).toBe(true);

    const table = await rolecall(['access']);
    const devBlock = table.stdout.slice(table.stdout.indexOf('USER main/dev'));
    expect(devBlock.split('\n').slice(1, 3)).toEqual(['  security findings:', expect.stringMatching(new RegExp(`^    - error ${RULE}: user main/dev can escalate .*  config/org.yaml:8:9$`))]);

    await writeOrg(ORG(ESCALATES, ACCEPTED));
    const markdown = (await rolecall(['access', '--format', 'markdown'])).stdout;
    expect(markdown).toContain(`- **error** \`${RULE}\` — accepted: \`deploys functions; the boundary caps them\`, \`SEC-142\` (at \`config/org.yaml:13:9\`): \`user main/dev can escalate`);
    const accepted = (JSON.parse((await rolecall(['access', '--format', 'json'])).stdout) as AccessReport).users.find((u) => u.user === 'main/dev')!.findings[0]!;
    expect(accepted.accepted).toEqual({ reason: 'deploys functions; the boundary caps them', ticket: 'SEC-142', source: 'config/org.yaml:13:9' });
  });

  it('a value of the config in a finding stays inside its code span in the markdown', async () => {
    await writeOrg(ORG(ESCALATES, ACCEPTED.replace('deploys functions; the boundary caps them', '"<img src=x onerror=alert(1)> **bold** `tick`"')));
    const markdown = (await rolecall(['access', '--format', 'markdown'])).stdout;
    expect(markdown).toContain('accepted: `` <img src=x onerror=alert(1)> **bold** `tick` ``');
  });
});

/** The finding changes of a `diff --format json`. */
function findingsOf(json: string) {
  const { changes } = JSON.parse(json) as { changes: DiffChange[] };
  return changes.flatMap((c) => (c.kind === 'finding-added' || c.kind === 'finding-resolved' ? [c] : []));
}

describe('diff', () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, stdio: 'pipe' });
  beforeEach(async () => {
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    await writeOrg(ORG(SAFE));
    git('add', '.');
    git('commit', '-qm', 'before');
  });

  it('a change that opens an escalation path says so first, at the working tree line; json carries it', async () => {
    await writeOrg(ORG(ESCALATES));
    const markdown = await rolecall(['diff', '--base', 'HEAD']);
    expect(markdown.code).toBe(0);
    const lines = markdown.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '## Access changes compared with `HEAD`',
      '',
      '### New security findings',
      '',
      expect.stringMatching(new RegExp(`^- \\*\\*error\\*\\* \`${RULE}\` on \`user main/dev\`: \`user main/dev can escalate .*\` \\(at \`config/org.yaml:8:9\`\\)$`)),
    ]);
    expect(markdown.stdout.indexOf('### `user main/dev`')).toBeGreaterThan(0);
    expect(markdown.stdout.indexOf('New security findings')).toBeLessThan(markdown.stdout.indexOf('### `user main/dev`'));

    const json = await rolecall(['diff', '--base', 'HEAD', '--format', 'json']);
    const findings = findingsOf(json.stdout);
    expect(findings.map((f) => [f.kind, f.finding.rule, `${f.subject.kind} ${f.subject.account}/${f.subject.name}`, f.source])).toEqual([
      ['finding-added', RULE, 'user main/dev', { before: null, after: { file: 'config/org.yaml', line: 8, column: 9 } }],
    ]);
  });

  it('the fix resolves it: listed as resolved, at the base\'s line', async () => {
    await writeOrg(ORG(ESCALATES));
    git('commit', '-qam', 'escalates');
    await writeOrg(ORG(SAFE));
    const findings = findingsOf((await rolecall(['diff', '--base', 'HEAD', '--format', 'json'])).stdout);
    expect(findings.map((f) => [f.kind, f.finding.rule, f.source])).toEqual([['finding-resolved', RULE, { before: { file: 'config/org.yaml', line: 8, column: 9 }, after: null }]]);
    const markdown = (await rolecall(['diff', '--base', 'HEAD'])).stdout;
    expect(markdown).toMatch(/### Resolved security findings\n\n- \*\*error\*\* `privesc-passrole.*\(at `HEAD:config\/org.yaml:8:9`\)\n/);
  });

  it('accepting a finding that was there before is no new finding; an unchanged config no change', async () => {
    await writeOrg(ORG(ESCALATES));
    git('commit', '-qam', 'escalates');
    await writeOrg(ORG(ESCALATES, ACCEPTED));
    expect(findingsOf((await rolecall(['diff', '--base', 'HEAD', '--format', 'json'])).stdout)).toEqual([]);
    await writeOrg(ORG(ESCALATES));
    expect((await rolecall(['diff', '--base', 'HEAD'])).stdout).toBe('No change in access compared with `HEAD`.\n');
  });
});
