import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccessDiff } from '../../src/analysers/accessDiff';
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
    const diff = JSON.parse(result.stdout) as AccessDiff;
    expect(diff.rolesAdded).toEqual([]);
    expect(diff.rolesRemoved).toEqual(['main/retired']);
    expect(diff.trustAdded).toEqual([{ role: 'main/reader', who: 'user main/carol', conditions: ['until 2030-01-31T00:00:00Z'] }]);
    expect(diff.trustRemoved).toEqual([
      { role: 'main/reader', who: 'user main/bob', conditions: [] },
      { role: 'main/retired', who: 'service ec2.amazonaws.com', conditions: [] },
    ]);
    expect(diff.conditionsChanged).toEqual([{ role: 'main/reader', who: 'user main/alice', before: ['with MFA'], after: [] }]);
    const reader = diff.permissionChanges.find((c) => c.principal === 'role main/reader')!;
    expect(reader.lost).toEqual([]);
    expect(reader.gained).toContain('allow s3:ListBucket on arn:aws:s3:::reports/*');
    expect(reader.gained.every((g) => /^allow s3:List/.test(g))).toBe(true);
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
