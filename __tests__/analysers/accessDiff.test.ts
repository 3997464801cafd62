import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangeOf, DiffChange } from '../../src/analysers/diffData';
import { run } from '../../src/cli/main';

const BEFORE = `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
  - name: bob
roles:
  - name: reader
    trust:
      - user: alice
        mfa: true
      - user: bob
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/*"]
  - name: retired
    trust:
      - service: ec2.amazonaws.com
`;

const AFTER = `accounts:
  - name: main
    id: "123456789012"
users:
  - name: alice
  - name: bob
  - name: carol
roles:
  - name: reader
    trust:
      - user: alice
      - user: carol
        expires: 2030-01-31
    allow:
      - actions: [s3:GetObject, s3:List*]
        resources: ["arn:aws:s3:::reports/*"]
`;

let repo: string;

async function rolecall(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repo, env: {} });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  repo = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-diff-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  await fs.mkdir(path.join(repo, 'config'));
  await fs.writeFile(path.join(repo, 'config', 'org.yaml'), BEFORE);
  await fs.mkdir(path.join(repo, 'unchanged'));
  await fs.writeFile(path.join(repo, 'unchanged', 'org.yaml'), BEFORE);
  git('add', '.');
  git('commit', '-qm', 'before');
  await fs.writeFile(path.join(repo, 'config', 'org.yaml'), AFTER);
});
afterAll(async () => {
  await fs.rm(repo, { recursive: true, force: true });
});

describe('rolecall diff --base', () => {
  it('reports trust paths gained and lost, changed conditions, and actions gained, as data', async () => {
    const result = await rolecall(['diff', '--base', 'HEAD', '--format', 'json']);
    expect(result.code).toBe(0);
    const { changes } = JSON.parse(result.stdout) as { changes: DiffChange[] };
    const who = (c: DiffChange) => ('principal' in c ? ('name' in c.principal ? c.principal.name : c.principal.kind === 'service' ? c.principal.service : c.principal.kind) : '');
    const role = (c: DiffChange) => ('role' in c ? `${c.role.account}/${c.role.name}` : '');
    const ways = changes.filter((c) => c.kind === 'way-in-added' || c.kind === 'way-in-removed' || c.kind === 'conditions-changed');
    expect(changes.filter((c) => c.kind === 'role-added' || c.kind === 'role-removed').map((c) => [c.kind, role(c)])).toEqual([['role-removed', 'main/retired']]);
    expect(ways.map((c) => [c.kind, who(c), role(c)])).toEqual([
      ['way-in-added', 'carol', 'main/reader'],
      ['way-in-removed', 'bob', 'main/reader'],
      ['way-in-removed', 'ec2.amazonaws.com', 'main/retired'],
      ['conditions-changed', 'alice', 'main/reader'],
    ]);
    const conditions = ways.map((c) => (c.kind === 'way-in-added' || c.kind === 'way-in-removed' || c.kind === 'conditions-changed' ? c.conditions : undefined));
    expect(conditions[0]!.after!.expires).toBe('2030-01-31T00:00:00Z');
    expect([conditions[3]!.before!.mfa, conditions[3]!.after!.mfa]).toEqual([{ maxAgeSeconds: null, enforcedBy: ['trust'] }, null]);
    const gained = changes.filter((c) => c.kind === 'actions-gained' && c.principal.name === 'reader').flatMap((c) => (c.kind === 'actions-gained' ? c.actions : []));
    expect(changes.some((c) => c.kind === 'actions-lost' && c.principal.name === 'reader')).toBe(false);
    expect(gained).toContainEqual({ effect: 'Allow', action: 's3:ListBucket', resource: 'arn:aws:s3:::reports/*', conditions: [], session: 'own' });
    expect(gained.every((g) => 'action' in g && /^s3:List/.test(g.action!))).toBe(true);
  });

  it('writes markdown for a review', async () => {
    const result = await rolecall(['diff', '--base', 'HEAD']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^## Access changes compared with `HEAD`$/m);
    expect(result.stdout).toMatch(/^- `user main\/carol` may assume `main\/reader` \(`until 2030-01-31T00:00:00Z`\)$/m);
    expect(result.stdout).toMatch(/^- `user main\/bob` may no longer assume `main\/reader`$/m);
    expect(result.stdout).toMatch(/^- `user main\/alice` on `main\/reader`: `with MFA` → none$/m);
  });

  it('says so when nothing changes, and exits 2 on a ref that is no commit', async () => {
    expect((await rolecall(['diff', '--base', 'HEAD', '--config', 'unchanged'])).stdout).toBe('No change in access compared with `HEAD`.\n');
    const unknown = await rolecall(['diff', '--base', 'no-such-ref']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"no-such-ref" is not a commit/);
    expect((await rolecall(['diff'])).code).toBe(2);
  });
});

describe('rolecall diff --base against a base that does not validate today', () => {
  let history: string;
  const inHistory = async (args: string[], cwd = history) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
    return { code, stdout, stderr };
  };
  /** Commits config/org.yaml holding `text` with the given committer date, tagged `tag`. */
  const commit = async (text: string, date: string, tag: string, authored = date) => {
    await fs.writeFile(path.join(history, 'config', 'org.yaml'), text);
    const env = { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: authored };
    execFileSync('git', ['add', '.'], { cwd: history, stdio: 'pipe' });
    execFileSync('git', ['commit', '-qm', tag], { cwd: history, stdio: 'pipe', env });
    execFileSync('git', ['tag', tag], { cwd: history, stdio: 'pipe' });
  };
  const TEMPORARY = (expires: string) => BEFORE.replace('      - user: bob\n', `      - user: bob\n        expires: ${expires}\n`);

  beforeAll(async () => {
    history = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-diff-history-'));
    execFileSync('git', ['init', '-q'], { cwd: history });
    execFileSync('git', ['config', 'user.email', 'test@example.com'], { cwd: history });
    execFileSync('git', ['config', 'user.name', 'test'], { cwd: history });
    await fs.mkdir(path.join(history, 'config'));
    // bob's grant was good for a month when committed, and has long expired by now. The
    // committer date counts (when the commit landed, rebased or not), not the author's.
    await commit(TEMPORARY('2021-02-01'), '2021-01-01T12:00:00Z', 'temporary', '2021-06-01T12:00:00Z');
    // A base that was wrong when committed (bypassing CI): an unknown user, and a grant expired at its own commit time.
    await commit(TEMPORARY('2021-02-01').replace('      - user: alice\n', '      - user: alicia\n'), '2021-03-01T12:00:00Z', 'broken');
    // The working tree: the change under review deletes bob's expired grant.
    await fs.writeFile(path.join(history, 'config', 'org.yaml'), BEFORE.replace('      - user: bob\n', ''));
  });
  afterAll(async () => {
    await fs.rm(history, { recursive: true, force: true });
  });

  it('judges the base at its own commit time: the expired grant the change deletes shows as lost', async () => {
    const result = await inHistory(['diff', '--base', 'temporary', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { changes } = JSON.parse(result.stdout) as { changes: DiffChange[] };
    const ways = changes.filter((c): c is ChangeOf<'way-in-added' | 'way-in-removed'> => c.kind === 'way-in-added' || c.kind === 'way-in-removed');
    expect(ways.map((c) => [c.kind, 'name' in c.principal ? c.principal.name : '', `${c.role.account}/${c.role.name}`, c.conditions.before?.expires])).toEqual([
      ['way-in-removed', 'bob', 'main/reader', '2021-02-01T00:00:00Z'],
    ]);
    const markdown = await inHistory(['diff', '--base', 'temporary']);
    expect(markdown.stdout).toMatch(/^- `user main\/bob` may no longer assume `main\/reader`$/m);
  });

  it('prints the findings of a base that cannot be read, named as in the repository at the ref, and exits 1', async () => {
    const result = await inHistory(['diff', '--base', 'broken']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^broken:config\/org\.yaml:10:15: error unknown-reference: no user "alicia" in account main/),
      expect.stringMatching(/^broken:config\/org\.yaml:13:18: error expired-grant: this grant expired on 2021-02-01T00:00:00Z/),
      '2 errors, 0 warnings',
      'rolecall: the config at broken cannot be read (the findings above); no access diff',
    ]);
    expect(result.stderr).not.toMatch(/rolecall-base-/);
  });

  it('outside a git repository, says so instead of blaming the ref', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-no-git-'));
    try {
      await fs.mkdir(path.join(outside, 'config'));
      await fs.writeFile(path.join(outside, 'config', 'org.yaml'), BEFORE);
      const result = await inHistory(['diff', '--base', 'main'], outside);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('rolecall: config is not in a git repository: diff --base compares the config with a commit of the repository that holds it\n');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});
