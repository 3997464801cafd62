import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { run } from '../../src/cli/main';
import { visibleOutput, visibleText } from '../../src/text/visibleText';

const ROOT = path.resolve(__dirname, '../..');

/** What a terminal acts on instead of showing: C0 but the line feed, DEL, C1, separators, bidi controls, zero-width. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

let work: string;
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-terminal-'));
  await fs.mkdir(path.join(work, 'config'));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

async function rolecall(args: string[], files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(work, 'config', name), text);
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: work, env: {} });
  return { code, stdout, stderr };
}

const ACCOUNTS = `accounts:
  - name: main
    id: "123456789012"
`;

// Written with YAML's double-quoted escapes, so the file itself is plain ASCII.
const HOSTILE_KEYS = `${ACCOUNTS}users:
  - name: alice
    "\\e[2J\\e[31m": 1
roles:
  - name: "ops\\e]0;pwned\\a\\u202eadmin"
    trust:
      - user: alice
`;

describe('terminal output a config cannot forge', () => {
  it('validate shows an ANSI escape in an unknown key, and a bidi override in a name, as escapes', async () => {
    const result = await rolecall(['validate'], { 'org.yaml': HOSTILE_KEYS });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('\\x1b[2J\\x1b[31m');
    expect(result.stdout).toContain('ops\\x1b]0;pwned\\x07\\u202eadmin');
    // One line per finding and the summary: no value added a line.
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('validate --format json escapes what JSON.stringify leaves raw, and still says the same', async () => {
    const result = await rolecall(['validate', '--format', 'json'], { 'org.yaml': HOSTILE_KEYS });
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const messages = (JSON.parse(result.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.includes('ops\u001b]0;pwned\u0007\u202eadmin'))).toBe(true);
    expect(messages.some((m) => m.includes('\u001b[2J\u001b[31m'))).toBe(true);
  });

  it('a refused access prints its findings escaped on stderr', async () => {
    const result = await rolecall(['access'], { 'org.yaml': HOSTILE_KEYS });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).toContain('\\x1b[2J');
  });

  it('a file name with control characters is shown escaped', async () => {
    const result = await rolecall(['validate'], { 'x\u001b[2J\u0085.yaml': `${ACCOUNTS}bogus: 1\n` });
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toMatch(/^config\/x\\x1b\[2J\\x85\.yaml:\d+:\d+: error unknown-key/m);
  });

  it('the access table keeps a token subject and a condition value on their line, escaped', async () => {
    const result = await rolecall(['access'], {
      'org.yaml': `${ACCOUNTS}providers:
  - name: github
    account: main
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
roles:
  - name: deploy
    trust:
      - oidc: { provider: github, audience: sts.amazonaws.com, subject: "repo:acme/app:ref:refs/heads/main\\e[1A\\e[2K\\u202e" }
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::b/*"]
        conditions:
          StringEquals: { "aws:RequestedRegion": "eu-west-1\\nROLE main/fake  (no access)\\x85\\t" }
`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('main\\x1b[1A\\x1b[2K\\u202e');
    expect(result.stdout).toContain('eu-west-1\\nROLE main/fake  (no access)\\x85\\t');
    expect(result.stdout).not.toMatch(/^ROLE main\/fake/m);
  });

  it('access --format json is the same report, with no raw C1 or bidi character', async () => {
    const result = await rolecall(['access', '--format', 'json'], {
      'org.yaml': `${ACCOUNTS}roles:
  - name: deploy
    trust:
      - service: lambda.amazonaws.com
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::b/\\x85\\x9b2J"]
`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(result.stdout) as { roles: { permissions: { statements: { resources: string[] }[] } }[] };
    expect(report.roles[0]!.permissions.statements[0]!.resources).toEqual(['arn:aws:s3:::b/\u0085\u009b2J']);
  });

  it('the process edge escapes what a message carries, e.g. the name of a broken link in the config', async () => {
    await fs.symlink(path.join(work, 'nowhere'), path.join(work, 'config', 'x\u001b[2J\u202e.yaml'));
    const failure = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'rolecall.js'), 'validate'], { cwd: work }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect('code' in failure && failure.code).toBe(1);
    expect(failure.stdout).toContain('x\\x1b[2J\\u202e.yaml');
    expect(failure.stdout + failure.stderr).not.toMatch(RAW_CONTROL);
  });
});

/** Text with controls, separators and bidi characters among ordinary ones (fast-check's 'binary' unit costs seconds to set up). */
const anyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0xa0 }),
      fc.constantFrom(0x061c, 0x200b, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2060, 0x2066, 0x2069, 0xfeff),
      fc.integer({ min: 0xa1, max: 0xd7ff }),
    ),
  )
  .map((codes) => String.fromCharCode(...codes));

describe('visibleText and visibleOutput', () => {
  it('leave no invisible character, and visibleOutput keeps any JSON value the same (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), anyText, (other, text) => {
        const value = { [text]: [text, other] };
        const json = visibleOutput(JSON.stringify(value, null, 2));
        return (
          !RAW_CONTROL.test(json) &&
          JSON.stringify(JSON.parse(json)) === JSON.stringify(value) &&
          !RAW_CONTROL.test(visibleText(text)) &&
          !visibleText(text).includes('\n') &&
          !RAW_CONTROL.test(visibleOutput(text))
        );
      }),
    );
  });

  it('leave printable text as it is', () => {
    const text = 'arn:aws:s3:::b/* — «ü» \\n is two characters';
    expect(visibleText(text)).toBe(text);
    expect(visibleOutput(`${text}\n`)).toBe(`${text}\n`);
  });
});
