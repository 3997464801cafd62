/** `accept:` against the security findings of the real pipeline: applied, marked, stale, expired, refused. */
import { compileYaml, TEST_NOW } from '../../support/compileYaml';

const RULE = 'privesc-passrole-lambda-create-function-invoke';

/** A user who can hand any role to a Lambda function it then invokes (pathfinding.cloud lambda-001), with `accept` lines. */
const developer = (accept: string, name = 'dev') => `accounts:
  - name: main
    id: "123456789012"
users:
  - name: ${name}
    allow:
      - actions: [iam:PassRole]
        resources: ["*"]
      - actions: [lambda:CreateFunction, lambda:InvokeFunction]
        resources: ["*"]
${accept}  - name: other
`;

const acceptOf = (rule: string, extra = '') => `    accept:
      - rule: ${rule}
        reason: deploys functions; the boundary caps them
${extra}`;

const at = (f: { line: number; column: number; severity: string; rule: string }) => `${f.line}:${f.column} ${f.severity} ${f.rule}`;

describe('accept: on the entity a finding is about', () => {
  it('without it: the escalation is an error at the PassRole statement', async () => {
    const result = await compileYaml({ 'org.yaml': developer('') });
    expect(result.findings.map(at)).toEqual([`7:9 error ${RULE}`]);
    expect(result.security.map((f) => f.accepted)).toEqual([undefined]);
  });

  it('accepted: still reported, as a warning that carries the reason, ticket, expiry and the accept item', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf(RULE, '        ticket: SEC-142\n        expires: 2027-06-30\n')) });
    expect(result.errors).toEqual([]);
    expect(result.findings.map(at)).toEqual([`7:9 warning ${RULE}`]);
    expect(result.findings[0]!.accepted).toEqual({
      reason: 'deploys functions; the boundary caps them',
      ticket: 'SEC-142',
      expires: '2027-06-30T00:00:00Z',
      file: 'org.yaml',
      line: 12,
      column: 9,
    });
    // The rule's own severity is kept on the finding the views read.
    expect(result.security.map((f) => [f.rule, f.severity, f.accepted?.reason])).toEqual([[RULE, 'error', 'deploys functions; the boundary caps them']]);
  });

  it('on another principal it accepts nothing: the finding stays an error, the acceptance is stale', async () => {
    const yaml = developer('').replace('  - name: other\n', `  - name: other\n${acceptOf(RULE)}`);
    const result = await compileYaml({ 'org.yaml': yaml });
    expect(result.findings.map(at)).toEqual([`7:9 error ${RULE}`, `13:9 warning stale-accept`]);
    expect(result.findings[1]!.message).toMatch(/no privesc-passrole-lambda-create-function-invoke finding is about this user; delete it \(user main\/other\)/);
  });

  it('a rule that finds nothing here: stale, at the accept item', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf(RULE) + '      - rule: privesc-create-access-key\n        reason: keys for the CI user\n') });
    expect(result.findings.map(at)).toEqual([`7:9 warning ${RULE}`, '14:9 warning stale-accept']);
  });

  it('the same rule accepted twice: the repeat is stale', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf(RULE) + `      - rule: ${RULE}\n        reason: again\n`) });
    expect(result.findings.map(at)).toEqual([`7:9 warning ${RULE}`, '14:9 warning stale-accept']);
    expect(result.findings[1]!.message).toMatch(/already accepted above/);
  });

  it('expired (the clock is compile\'s now): the finding fails again, and a warning stands at the expiry', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf(RULE, '        expires: 2026-11-01\n')) });
    expect(result.findings.map(at)).toEqual([`7:9 error ${RULE}`, '14:18 warning expired-accept']);
    expect(result.findings[1]!.message).toMatch(/expired on 2026-11-01T00:00:00Z, so its findings count again/);
  });

  it('expires at the very instant of now: expired; one second later: it still applies', async () => {
    const exactly = TEST_NOW.toISOString().replace('.000Z', 'Z');
    const later = new Date(TEST_NOW.getTime() + 1000).toISOString().replace('.000Z', 'Z');
    const atNow = await compileYaml({ 'org.yaml': developer(acceptOf(RULE, `        expires: ${exactly}\n`)) });
    expect(atNow.findings.map((f) => f.rule)).toEqual([RULE, 'expired-accept']);
    expect(atNow.errors.map((f) => f.rule)).toEqual([RULE]);
    const before = await compileYaml({ 'org.yaml': developer(acceptOf(RULE, `        expires: ${later}\n`)) });
    expect(before.errors).toEqual([]);
    expect(before.findings.map((f) => [f.rule, f.accepted?.expires])).toEqual([[RULE, later]]);
  });
});

describe('accept: on a provider', () => {
  it('is read and matched like a principal\'s (no rule finds anything about this one: stale, at its item)', async () => {
    const result = await compileYaml({
      'org.yaml': `accounts:
  - name: main
    id: "123456789012"
providers:
  - name: ci
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
    accept:
      - rule: full-admin
        reason: none
`,
    });
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`)).toEqual([
      '8:9 stale-accept: stale acceptance: no full-admin finding is about this provider; delete it (provider main/ci)',
    ]);
    expect(result.model!.providers[0]!.accepts!.map((a) => [a.rule, a.source.path.join('.')])).toEqual([['full-admin', 'providers.0.accept.0']]);
  });
});

describe('accept: only security rules', () => {
  it('another rule id is an error at it, with the nearest security rule', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf('privesc-passrole-lambda-creat-function-invoke')) });
    expect(result.findings.map(at)).toEqual([`7:9 error ${RULE}`, '12:15 error accept-rule']);
    expect(result.findings[1]!.message).toMatch(/is no security rule: only the security rules of docs\/rules\.md can be accepted.*did you mean "privesc-passrole-lambda-create-function-invoke"\?/);
  });

  it('a rule of the compiler (unknown-action) cannot be accepted: fix it instead', async () => {
    const result = await compileYaml({ 'org.yaml': developer(acceptOf('unknown-action')) });
    expect(result.findings.find((f) => f.rule === 'accept-rule')?.message).toMatch(/^"unknown-action" is no security rule.*fixed in the config/);
  });
});

describe('accept: its shape', () => {
  it.each([
    ['no reason', '    accept:\n      - rule: full-admin\n', 'missing-key', '12:9', /missing required key "reason": why this risk is taken on purpose/],
    ['a blank reason', '    accept:\n      - rule: full-admin\n        reason: "  "\n', 'invalid-value', '13:17', /cannot be blank/],
    ['a rule id that is no id', '    accept:\n      - rule: Full Admin\n        reason: x\n', 'invalid-value', '12:15', /kebab-case/],
    ['an unknown key', '    accept:\n      - rule: full-admin\n        reason: x\n        expiry: 2027-01-01\n', 'unknown-key', '14:9', /did you mean "expires"\?/],
    ['a date that is no day', '    accept:\n      - rule: full-admin\n        reason: x\n        expires: 2027-02-30\n', 'invalid-value', '14:18', /February 2027 has 28 days/],
  ])('%s: a finding at it, and the rest of the user is still checked', async (_what, accept, rule, where, message) => {
    const result = await compileYaml({ 'org.yaml': developer(accept) });
    const finding = result.findings.find((f) => f.rule === rule);
    expect(finding && `${finding.line}:${finding.column}`).toBe(where);
    expect(finding!.message).toMatch(message);
    // The broken acceptance is left out, not the user: its escalation is still found.
    expect(result.findings.map((f) => f.rule)).toContain(RULE);
  });

  it('a mapping where the list goes: said so, at the key', async () => {
    const result = await compileYaml({ 'org.yaml': developer('    accept:\n      rule: full-admin\n') });
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`)).toEqual(['11:5 invalid-type: accept is a list: start each acceptance with "- rule:"']);
  });
});
