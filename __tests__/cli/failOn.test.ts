/**
 * `rolecall diff --fail-on KIND[,KIND]`: every gate fires on the change it
 * names (exit 3, the reasons on stderr, the diff still on stdout) and stays
 * quiet on a change that is harmless to it (exit 0).
 */
import { diffRepo, type DiffRepo } from '../support/diffRepo';

const BASE = `accounts:
  - name: main
    id: "123456789012"
  - name: partner
    id: "999999999999"
    external: true
providers:
  - name: github
    account: main
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
  - name: idp
    account: main
    oidc:
      url: https://idp.example.com
      audiences: [rolecall]
users:
  - name: alice
  - name: bob
  - name: carol
    requireMfa: true
  - name: dev
    allow:
      - actions: [lambda:GetFunction]
        resources: ["*"]
roles:
  - name: reader
    trust:
      - user: alice
        mfa: { maxAge: 1h }
      - user: carol
        mfa: true
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/*"]
  - name: ops
    trust:
      - user: bob
        sourceIp: [203.0.113.0/24]
        expires: 2030-01-31
    allow:
      - actions: [ec2:DescribeInstances]
        resources: ["*"]
  - name: admin
    trust:
      - user: alice
        mfa: true
    allow:
      - actions: ["*"]
        resources: ["*"]
  - name: ingest
    trust:
      - service: lambda.amazonaws.com
        sourceAccount: main
  - name: deploy
    trust:
      - github: { repo: acme/app, branch: release/1 }
  - name: mixed
    trust:
      - user: alice
        mfa: true
      - user: bob
`;

const PARTNER_ROLE = `  - name: partner-reports
    trust:
      - account: partner
        externalId: partner-2026
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/partner/*"]
`;

const ESCALATES = `    allow:
      - actions: [iam:PassRole]
        resources: ["*"]
      - actions: [lambda:CreateFunction, lambda:InvokeFunction]
        resources: ["*"]
`;

/** The base with `from` replaced by `to` (which must be there: a test that changes nothing proves nothing). */
function edit(...pairs: [string, string][]): string {
  return pairs.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the config: ${from}`);
    return text.replace(from, to);
  }, BASE);
}

const addRole = (role: string) => `${BASE}${role}`;

let repo: DiffRepo;
beforeAll(async () => {
  repo = await diffRepo({ 'org.yaml': BASE });
});
afterAll(async () => {
  await repo.remove();
});

async function gate(config: string, kinds: string, format = 'json') {
  await repo.write({ 'org.yaml': config });
  return repo.rolecall(['diff', '--base', 'base', '--format', format, '--fail-on', kinds]);
}

/** [kind, because] of every change that fired the gate, from the json. */
function fired(stdout: string, kind: string): [string, string[]][] {
  const diff = JSON.parse(stdout) as { changes: { kind: string }[]; gates: { kind: string; changes: { index: number; because: string[] }[] }[] };
  return diff.gates.find((g) => g.kind === kind)!.changes.map((c) => [diff.changes[c.index]!.kind, c.because]);
}

describe.each<[string, string, string, [string, string[]][]]>([
  // [gate, what changes, config, what fires it (empty: exit 0)]
  ['external-access', 'a role for a partner account', addRole(PARTNER_ROLE), [['way-in-added', ['outside-way-in']]]],
  ['external-access', 'a service that may assume a new role', addRole(`  - name: batch\n    trust:\n      - service: batch.amazonaws.com\n        sourceAccount: main\n`), [['way-in-added', ['outside-way-in']]]],
  ['external-access', 'a GitHub environment', edit(['branch: release/1 }\n', 'branch: release/1 }\n      - github: { repo: acme/app, environment: prod }\n']), [['way-in-added', ['outside-way-in']]]],
  ['external-access', 'harmless: a user of the organisation gains a way in', edit(['      - user: carol\n        mfa: true\n', '      - user: carol\n        mfa: true\n      - user: bob\n        mfa: true\n']), []],
  ['external-access', 'harmless: a partner loses nothing, a role gains actions', edit(['[s3:GetObject]', '[s3:GetObject, s3:GetObjectVersion]']), []],
  ['escalation', 'a user that can escalate', edit([`    allow:\n      - actions: [lambda:GetFunction]\n        resources: ["*"]\n`, ESCALATES]), [['finding-added', ['new-finding']]]],
  ['escalation', 'harmless: another read action', edit(['[lambda:GetFunction]', '[lambda:GetFunction, lambda:ListFunctions]']), []],
  ['lost-mfa', 'a way in drops its mfa', edit(['      - user: alice\n        mfa: { maxAge: 1h }\n', '      - user: alice\n']), [['conditions-changed', ['mfa-removed']]]],
  ['lost-mfa', 'a new way in without MFA to a role every way of which needed it', edit(['      - user: carol\n        mfa: true\n', '      - user: carol\n        mfa: true\n      - user: bob\n']), [['way-in-added', ['way-in-without-mfa']]]],
  ['lost-mfa', "harmless: carol's own policy still demands MFA (requireMfa)", edit(['      - user: carol\n        mfa: true\n', '      - user: carol\n']), []],
  ['lost-mfa', 'harmless: a new way in to a role that never asked for MFA', edit(['      - user: bob\n        sourceIp', '      - user: alice\n      - user: bob\n        sourceIp']), []],
  ['lost-mfa', 'harmless: a new way in without MFA to a role that already had one', edit(['        mfa: true\n      - user: bob\n', '        mfa: true\n      - user: bob\n      - user: dev\n']), []],
  ['wider-trust', 'an older MFA sign-in is enough', edit(['mfa: { maxAge: 1h }', 'mfa: { maxAge: 2h }']), [['conditions-changed', ['mfa-age-longer']]]],
  ['wider-trust', 'a later expiry', edit(['expires: 2030-01-31', 'expires: 2031-01-31']), [['conditions-changed', ['expiry-later']]]],
  ['wider-trust', 'no expiry and another address range', edit(['        expires: 2030-01-31\n', ''], ['[203.0.113.0/24]', '[203.0.113.0/24, 198.51.100.0/24]']), [['conditions-changed', ['expiry-removed', 'source-ip-widened']]]],
  ['wider-trust', 'a service on behalf of anyone', edit(['        sourceAccount: main\n', '']), [['conditions-changed', ['source-account-widened']]]],
  ['wider-trust', 'a branch pattern that covers the branch', edit(['branch: release/1 }', 'branch: "release/*" }']), [['way-in-added', ['broader-principal']]]],
  ['wider-trust', 'every principal of the account instead of one user', edit(['      - user: alice\n        mfa: { maxAge: 1h }\n', '      - account: main\n        mfa: { maxAge: 1h }\n']), [['way-in-added', ['broader-principal']]]],
  ['wider-trust', 'harmless to it: a partner account where one of our users was trusted', edit(['      - user: bob\n        sourceIp', '      - account: partner\n        externalId: partner-ops\n      - user: bob\n        sourceIp']), []],
  ['wider-trust', 'harmless: mfa added, an earlier expiry, a narrower range', edit(['        expires: 2030-01-31\n', '        expires: 2029-01-31\n        mfa: true\n'], ['[203.0.113.0/24]', '[203.0.113.0/25]']), []],
  ['new-admin', 'a role with every action', edit(['[ec2:DescribeInstances]\n        resources: ["*"]', '["*"]\n        resources: ["*"]']), [['finding-added', ['new-admin']]]],
  ['new-admin', 'a new way into the admin role', edit(['      - user: alice\n        mfa: true\n    allow:\n      - actions: ["*"]', '      - user: alice\n        mfa: true\n      - user: bob\n        mfa: true\n    allow:\n      - actions: ["*"]']), [['way-in-added', ['admin-reached']]]],
  ['new-admin', 'harmless: the admin role loses its admin rights', edit(['      - actions: ["*"]\n', '      - actions: [s3:GetObject]\n']), []],
  ['any', 'any change', edit(['[s3:GetObject]', '[s3:GetObject, s3:GetObjectVersion]']), [['actions-gained', ['change']]]],
  ['any', 'no change', BASE, []],
])('--fail-on %s: %s', (kind, _what, config, expected) => {
  it(expected.length > 0 ? 'exits 3, names the changes on stderr, prints the diff' : 'exits 0, quietly', async () => {
    const result = await gate(config, kind);
    expect(fired(result.stdout, kind)).toEqual(expected);
    expect(result.code).toBe(expected.length > 0 ? 3 : 0);
    if (expected.length === 0) {
      expect(result.stderr).toBe('');
      return;
    }
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`rolecall: --fail-on ${kind}: ${expected.length} ${expected.length === 1 ? 'change' : 'changes'}`);
    expect(lines.slice(1, -1)).toEqual(expected.map(([change, because]) => expect.stringMatching(new RegExp(`^  ${change}: .* \\[${because.join(', ')}\\]$`))));
    expect(lines[lines.length - 1]).toBe(`rolecall: the diff fails --fail-on ${kind}: a security review is needed`);
  });
});

describe('--fail-on', () => {
  it('the partner story: names who, which role and where, after the markdown diff on stdout', async () => {
    const result = await gate(addRole(PARTNER_ROLE), 'lost-mfa,external-access', 'markdown');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^## Access changes compared with `base`$/m);
    expect(result.stdout).toContain('partner-reports');
    const line = BASE.split('\n').length + 2;
    expect(result.stderr).toBe(
      [
        'rolecall: --fail-on external-access: 1 change',
        `  way-in-added: external account partner (999999999999) → main/partner-reports (at config/org.yaml:${line}:18) [outside-way-in]`,
        // Only the gates that fired are named.
        'rolecall: the diff fails --fail-on external-access: a security review is needed',
        '',
      ].join('\n'),
    );
  });

  it('several gates: each that fires, in the order given, a change under every gate it fires', async () => {
    const config = edit(['      - user: alice\n        mfa: { maxAge: 1h }\n', '      - user: alice\n']) + PARTNER_ROLE;
    const result = await gate(config, 'wider-trust,external-access,lost-mfa,escalation');
    expect(result.code).toBe(3);
    const heads = result.stderr.split('\n').filter((l) => l.startsWith('rolecall:'));
    expect(heads).toEqual([
      'rolecall: --fail-on wider-trust: 1 change',
      'rolecall: --fail-on external-access: 1 change',
      'rolecall: --fail-on lost-mfa: 1 change',
      'rolecall: the diff fails --fail-on wider-trust,external-access,lost-mfa: a security review is needed',
    ]);
  });

  it('a value of the config in a reason is shown escaped, never raw on the terminal', async () => {
    const hostile = addRole(`  - name: federated\n    trust:\n      - oidc: { provider: idp, audience: rolecall, subject: "team\\u001b[2J\\u202eevil" }\n`);
    const result = await gate(hostile, 'external-access');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('subject team\\x1b[2J\\u202eevil → main/federated');
    expect(result.stderr).not.toMatch(/[\u001b\u202e]/);
  });

  it.each([
    ['external-acces', 'unknown --fail-on kind "external-acces": '],
    ['any,,escalation', 'an empty --fail-on kind: '],
    ['mfa,Any', 'unknown --fail-on kinds "mfa", "Any": '],
  ])('refuses --fail-on %s with the kinds there are (exit 2, no diff)', async (kinds, message) => {
    const result = await gate(BASE, kinds);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`rolecall: ${message}--fail-on takes a comma-separated list of external-access, escalation, lost-mfa, wider-trust, new-admin, any\n`);
  });

  it('--fail-on without a value is a usage error', async () => {
    const result = await repo.rolecall(['diff', '--base', 'base', '--fail-on']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fail-on needs a value/);
  });
});
