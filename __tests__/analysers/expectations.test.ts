import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExpectations, EXPECTATION_FAILED } from '../../src/analysers/expectations';
import { commonWitness } from '../../src/analysers/globs';
import { run } from '../../src/cli/main';
import { toFindings, type Finding } from '../../src/cli/findings';
import { compileYaml, TEST_NOW, TWO_ACCOUNTS } from '../support/compileYaml';

const ROOT = path.resolve(__dirname, '../..');

/** The expectation findings of a config: line, column and message. */
async function failures(files: Record<string, string>, now?: Date): Promise<Finding[]> {
  const result = await compileYaml(files, now);
  return result.findings.filter((f) => f.rule === EXPECTATION_FAILED);
}

/** A config's other errors: the tests' configs must be valid but for what they test. */
async function otherErrors(files: Record<string, string>): Promise<string[]> {
  const result = await compileYaml(files);
  return result.errors.filter((f) => f.rule !== EXPECTATION_FAILED).map((f) => `${f.rule}: ${f.message}`);
}

const ORG = `${TWO_ACCOUNTS}
users:
  - name: alice
    account: identity
  - name: bob
    account: identity
roles:
  - name: reader
    account: prod
    trust:
      - user: identity/alice
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::data/*"]
  - name: partner-reports
    account: prod
    trust:
      - account: partner
        externalId: joint-2026
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::data/reports/*"]
`;

/** The 1-based line of the first line of `text` holding `fragment`. */
function lineOf(text: string, fragment: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(fragment));
  if (line === -1) throw new Error(`no "${fragment}" in the text`);
  return line + 1;
}

/** ORG and one expect list. */
const withExpect = (expect: string, org: string = ORG) => ({ 'org.yaml': org, 'expect.yaml': `expect:\n${expect}` });

const GROUP_ORG = `${ORG}groups:
  - name: readers
    account: identity
    members: [alice, bob]
  - name: nobody
    account: identity
    members: []
`;

describe('expect: who is a group', () => {
  it('can holds only when every member can; the failure names the member that cannot', async () => {
    // alice is trusted by the reader, bob is not.
    const [failure, ...rest] = await failures(withExpect('  - who: { group: identity/readers }\n    can: { assume: prod/reader }\n', GROUP_ORG));
    expect(rest).toEqual([]);
    expect(failure!.line).toBe(2);
    expect(failure!.message).toContain('expected "group identity/readers can assume prod/reader"');
    expect(failure!.message).toContain('(member identity/bob)');
    const trusted = GROUP_ORG.replace('      - user: identity/alice\n', '      - group: identity/readers\n');
    expect(await otherErrors({ 'org.yaml': trusted })).toEqual([]);
    expect(await failures(withExpect('  - who: { group: identity/readers }\n    can: { assume: prod/reader }\n', trusted))).toEqual([]);
  });

  it('cannot holds only when no member can: one member reaching it fails with the path', async () => {
    const [failure] = await failures(withExpect('  - who: { group: identity/readers }\n    cannot: { assume: prod/reader }\n', GROUP_ORG));
    expect(failure!.message).toContain('identity/alice → prod/reader');
    const noAlice = GROUP_ORG.replace('      - user: identity/alice\n', '      - user: identity/bob\n').replace('members: [alice, bob]', 'members: [alice]');
    expect(await failures(withExpect('  - who: { group: identity/readers }\n    cannot: { assume: prod/reader }\n', noAlice))).toEqual([]);
  });

  it('a group\'s own policy counts for its members', async () => {
    const granting = GROUP_ORG.replace('    members: [alice, bob]\n', '    members: [alice, bob]\n    allow:\n      - actions: [s3:PutObject]\n        resources: ["arn:aws:s3:::drop/*"]\n');
    expect(await failures(withExpect('  - who: { group: identity/readers }\n    can: { do: s3:PutObject, on: "arn:aws:s3:::drop/a" }\n', granting))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { user: identity/bob }\n    cannot: { do: s3:PutObject, on: "arn:aws:s3:::drop/a" }\n', granting));
    expect(failure!.message).toContain('allow s3:PutObject');
  });

  it('a group with no members can do nothing', async () => {
    const [failure] = await failures(withExpect('  - who: { group: identity/nobody }\n    can: { assume: prod/reader }\n', GROUP_ORG));
    expect(failure!.message).toContain('the group has no members');
  });
});

describe('expect: who forms, can and cannot, both ways', () => {
  it('the organisation itself is valid', async () => {
    expect(await otherErrors({ 'org.yaml': ORG })).toEqual([]);
  });

  it('user can assume: holds when the trust admits the user, fails with the missing step when not', async () => {
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    can: { assume: prod/reader }\n'))).toEqual([]);
    const [failure, ...rest] = await failures(withExpect('  - who: { user: identity/bob }\n    can: { assume: prod/reader }\n'));
    expect(rest).toEqual([]);
    expect(failure).toMatchObject({ file: 'expect.yaml', line: 2, column: 5, severity: 'error' });
    expect(failure!.message).toContain('expected "identity/bob can assume prod/reader", but no chain of trust leads from identity/bob to prod/reader: its trust admits user identity/alice');
  });

  it('user cannot assume: fails with the path, ending at the trust entry', async () => {
    expect(await failures(withExpect('  - who: { user: identity/bob }\n    cannot: { assume: prod/reader }\n'))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { assume: prod/reader }\n    reason: alice left\n'));
    expect(failure!.message).toBe(`expected "identity/alice cannot assume prod/reader" (alice left), but identity/alice → prod/reader at org.yaml:${lineOf(ORG, '- user: identity/alice')}:15`);
  });

  it('user can / cannot do: through the role it reaches', async () => {
    const can = '  - who: { user: identity/alice }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/x.csv" }\n';
    expect(await failures(withExpect(can))).toEqual([]);
    const cannot = '  - who: { user: identity/alice }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/x.csv" }\n';
    const [failure] = await failures(withExpect(cannot));
    expect(failure!.message).toBe(
      `expected "identity/alice cannot do s3:GetObject on arn:aws:s3:::data/x.csv", but identity/alice → prod/reader → allow s3:GetObject at org.yaml:${lineOf(ORG, '- actions: [s3:GetObject]')}:9`,
    );
    const canWrite = '  - who: { user: identity/alice }\n    can: { do: s3:PutObject, on: "arn:aws:s3:::data/x.csv" }\n';
    const [missing] = await failures(withExpect(canWrite));
    expect(missing!.message).toContain('but no policy of identity/alice, prod/reader allows s3:PutObject on arn:aws:s3:::data/x.csv');
  });

  it('role: its own policies, and the roles it reaches', async () => {
    expect(await failures(withExpect('  - who: { role: prod/reader }\n    cannot: { do: "s3:Put*", on: "*" }\n'))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { role: prod/reader }\n    cannot: { do: "s3:Get*", on: "*" }\n'));
    expect(failure!.message).toContain(`but prod/reader → allow s3:GetObject on arn:aws:s3:::data/* at org.yaml:${lineOf(ORG, '- actions: [s3:GetObject]')}:9`);
  });

  it('account (external): reaches a role through its external id; a wildcard ARN in cannot covers each resource it matches', async () => {
    const can = '  - who: { account: partner }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/reports/q3.csv" }\n';
    expect(await failures(withExpect(can))).toEqual([]);
    const elsewhere = '  - who: { account: partner }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/private/*" }\n';
    expect(await failures(withExpect(elsewhere))).toEqual([]);
    const anywhere = '  - who: { account: partner }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/*" }\n';
    const [failure] = await failures(withExpect(anywhere));
    expect(failure!.message).toBe(
      `expected "partner cannot do s3:GetObject on arn:aws:s3:::data/*", but partner → prod/partner-reports (external id) → allow s3:GetObject on arn:aws:s3:::data/reports/* at org.yaml:${lineOf(ORG, 'data/reports/*') - 1}:9`,
    );
  });

  it('account (managed): its declared principals, and account trust its admins decide', async () => {
    const org = `${ORG}
  - name: ops
    account: prod
    trust:
      - account: identity
`;
    // Nobody in identity has a policy for it, but identity's admins can grant one: the account reaches ops.
    expect(await failures(withExpect('  - who: { account: identity }\n    can: { assume: prod/ops }\n', org))).toEqual([]);
    // alice's own policies do not allow sts:AssumeRole on ops: she, one principal, does not.
    const [failure] = await failures(withExpect('  - who: { user: identity/alice }\n    can: { assume: prod/ops }\n', org));
    expect(failure!.message).toContain('no chain of trust leads from identity/alice to prod/ops');
    expect(await failures(withExpect('  - who: { account: identity }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/a" }\n', org))).toEqual([]);
  });

  it('service: the ways its trust gives', async () => {
    const org = `${ORG}
  - name: fn
    account: prod
    trust:
      - service: lambda.amazonaws.com
`;
    expect(await failures(withExpect('  - who: { service: lambda.amazonaws.com }\n    can: { assume: prod/fn }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { service: ec2.amazonaws.com }\n    cannot: { assume: prod/fn }\n', org))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { service: ec2.amazonaws.com }\n    can: { assume: prod/fn }\n', org));
    expect(failure!.message).toContain('its trust admits service lambda.amazonaws.com');
  });

  const GITHUB = ORG.replace('roles:\n', `providers:
  - name: github
    account: prod
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
  - name: okta
    account: identity
    existing: arn:aws:iam::111111111111:saml-provider/okta
  - name: corp
    account: prod
    oidc:
      url: https://sso.example.com
      audiences: [rolecall]
  - name: okta-identity
    account: identity
    existing: arn:aws:iam::111111111111:saml-provider/okta-identity
roles:
`);

  it('github: the right repository and branch can, another branch or a release pattern cannot', async () => {
    const org = `${GITHUB}
  - name: deploy
    account: prod
    trust:
      - github: { repo: acme/app, branch: main }
  - name: release
    account: prod
    trust:
      - github: { repo: acme/app, tag: "v*" }
`;
    expect(await otherErrors({ 'org.yaml': org })).toEqual([]);
    expect(await failures(withExpect('  - who: { github: { repo: acme/app, branch: main } }\n    can: { assume: prod/deploy }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { github: { repo: acme/app, branch: feature } }\n    cannot: { assume: prod/deploy }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { github: { repo: acme/other, branch: main } }\n    cannot: { assume: prod/deploy }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { github: { repo: acme/app, tag: v1.2.0 } }\n    can: { assume: prod/release }\n', org))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { github: { repo: acme/app, branch: feature } }\n    can: { assume: prod/deploy }\n', org));
    expect(failure!.message).toContain('expected "GitHub Actions acme/app on branch feature can assume prod/deploy"');
    expect(failure!.message).toContain('its trust admits GitHub Actions acme/app on branch main');
  });

  it('oidc: provider, audience and subject must all match', async () => {
    const org = `${GITHUB}
  - name: app
    account: prod
    trust:
      - oidc: { provider: corp, audience: rolecall, subject: "team:data:*" }
`;
    expect(await otherErrors({ 'org.yaml': org })).toEqual([]);
    expect(await failures(withExpect('  - who: { oidc: { provider: corp, audience: rolecall, subject: "team:data:ann" } }\n    can: { assume: prod/app }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { oidc: { provider: corp, audience: rolecall, subject: "team:web:ann" } }\n    cannot: { assume: prod/app }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { oidc: { provider: corp, audience: other, subject: "team:data:ann" } }\n    cannot: { assume: prod/app }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { oidc: { provider: corp, audience: rolecall, subject: "team:data:ann" } }\n    cannot: { assume: prod/app }\n', org))).toHaveLength(1);
  });

  it('saml and chains: sign-ins reach a role through another; MFA that SAML never carries stops the chain', async () => {
    const org = `${GITHUB}
  - name: console
    account: identity
    trust:
      - saml: { provider: okta }
  - name: analyst
    account: prod
    trust:
      - role: identity/console
  - name: warehouse
    account: prod
    trust:
      - role: prod/analyst
  - name: admin
    account: prod
    trust:
      - role: prod/analyst
        mfa: true
      - user: identity/bob
        mfa: true
`;
    expect(await failures(withExpect('  - who: { saml: { provider: okta } }\n    can: { assume: prod/warehouse }\n', org))).toEqual([]);
    const [chain] = await failures(withExpect('  - who: { saml: { provider: okta } }\n    cannot: { assume: prod/warehouse }\n', org));
    expect(chain!.message).toContain('but people signing in through SAML provider okta → identity/console → prod/analyst → prod/warehouse at org.yaml:');
    // The admin trust asks for MFA: never present in sessions that began with SAML.
    expect(await failures(withExpect('  - who: { saml: { provider: okta } }\n    cannot: { assume: prod/admin }\n', org))).toEqual([]);
    const [mfa] = await failures(withExpect('  - who: { saml: { provider: okta } }\n    can: { assume: prod/admin }\n', org));
    expect(mfa!.message).toContain('the way from role prod/analyst is closed (needs MFA, which sessions from people signing in through SAML provider okta never carry)');
    // The console role's sessions all began with SAML: as who, it carries no MFA either.
    expect(await failures(withExpect('  - who: { role: identity/console }\n    cannot: { assume: prod/admin }\n', org))).toEqual([]);
    // A user can sign in with MFA: bob reaches admin.
    expect(await failures(withExpect('  - who: { user: identity/bob }\n    can: { assume: prod/admin }\n', org))).toEqual([]);
    // Another SAML provider reaches nothing.
    expect(await failures(withExpect('  - who: { saml: { provider: okta-identity } }\n    cannot: { assume: prod/warehouse }\n', org))).toEqual([]);
  });

  it('several starts: a role reached first by a session without MFA is still followed from one with MFA', async () => {
    // SAML is the first start (it trusts aaa, the first role), and reaches console before the partner does.
    const org = `${GITHUB}
  - name: aaa
    account: identity
    trust:
      - saml: { provider: okta }
  - name: console
    account: identity
    trust:
      - saml: { provider: okta }
      - account: partner
        externalId: joint-console
  - name: admin
    account: prod
    trust:
      - role: identity/console
        mfa: true
`;
    expect(await otherErrors({ 'org.yaml': org })).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { outside: [identity, prod] }\n    cannot: { assume: prod/admin }\n', org));
    expect(failure!.message).toContain('but partner → identity/console (external id) → prod/admin (MFA) at org.yaml:');
    expect(await failures(withExpect('  - who: { saml: { provider: okta } }\n    cannot: { assume: prod/admin }\n', org))).toEqual([]);
  });

  it('cognito: authenticated identities of the pool, not guests', async () => {
    const org = `${ORG}
  - name: mobile
    account: prod
    trust:
      - cognito: { identityPool: "us-east-1:12345678-1234-1234-1234-123456789012" }
`;
    const pool = 'identityPool: "us-east-1:12345678-1234-1234-1234-123456789012"';
    expect(await failures(withExpect(`  - who: { cognito: { ${pool} } }\n    can: { assume: prod/mobile }\n`, org))).toEqual([]);
    expect(await failures(withExpect(`  - who: { cognito: { ${pool}, authenticated: false } }\n    cannot: { assume: prod/mobile }\n`, org))).toEqual([]);
    expect(await failures(withExpect(`  - who: { cognito: { ${pool}, authenticated: false } }\n    can: { assume: prod/mobile }\n`, org))).toHaveLength(1);
  });

  it('outside: every principal whose home is not listed, external accounts and services included', async () => {
    const org = `${ORG}
  - name: fn
    account: prod
    trust:
      - service: lambda.amazonaws.com
`;
    expect(await failures(withExpect('  - who: { outside: [identity] }\n    cannot: { assume: prod/reader }\n', org))).toEqual([]);
    // An account's own admins are inside it: a trust of account identity is no way in from outside identity.
    const ops = `${org}  - name: ops\n    account: prod\n    trust:\n      - account: identity\n`;
    expect(await failures(withExpect('  - who: { outside: [identity] }\n    cannot: { assume: prod/ops }\n', ops))).toEqual([]);
    expect(await failures(withExpect('  - who: { outside: [prod] }\n    cannot: { assume: prod/ops }\n', ops))).toHaveLength(1);
    const [partner] = await failures(withExpect('  - who: { outside: [identity, prod] }\n    cannot: { assume: prod/partner-reports }\n', org));
    expect(partner!.message).toContain('but partner → prod/partner-reports (external id)');
    const [service] = await failures(withExpect('  - who: { outside: [identity, prod, partner] }\n    cannot: { do: "s3:*", on: "*" }\n', org.replace('      - service: lambda.amazonaws.com', '      - service: lambda.amazonaws.com\n    allow:\n      - actions: [s3:PutObject]\n        resources: ["*"]')));
    expect(service!.message).toContain('but service lambda.amazonaws.com → prod/fn → allow s3:PutObject');
    // A principal of the model outside the list acts with its own policies.
    const [own] = await failures(withExpect('  - who: { outside: [identity] }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/a" }\n', org));
    expect(own!.message).toContain('but prod/reader → allow s3:GetObject');
  });
});

describe('expect: conditions, expiry, deny, boundaries, managed policies', () => {
  it('an expired grant is no way in (checked against the clock it is given)', async () => {
    const org = ORG.replace('      - user: identity/alice', '      - user: identity/alice\n        expires: 2026-12-31');
    const files = withExpect('  - who: { user: identity/alice }\n    can: { assume: prod/reader }\n', org);
    const result = await compileYaml(files);
    expect(result.findings.filter((f) => f.rule === EXPECTATION_FAILED)).toEqual([]);
    // The same model a year on: the grant has lapsed.
    const later = checkExpectations(result.model!, new Date('2027-06-01T00:00:00Z'));
    const [finding] = toFindings(later, result.sources);
    expect(finding).toMatchObject({ rule: EXPECTATION_FAILED, file: 'expect.yaml', line: 2 });
    expect(finding!.message).toContain('the way from user identity/alice is closed (expired 2026-12-31)');
  });

  it('a Deny without conditions closes what an Allow opens; a Deny under conditions does not', async () => {
    const denied = ORG.replace(
      '        resources: ["arn:aws:s3:::data/*"]\n',
      '        resources: ["arn:aws:s3:::data/*"]\n    deny:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::data/secret/*"]\n',
    );
    const can = '  - who: { user: identity/alice }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/secret/k" }\n';
    const [failure] = await failures(withExpect(can, denied));
    expect(failure!.message).toContain(`but prod/reader is denied s3:GetObject on arn:aws:s3:::data/secret/k by rolecall-permissions at org.yaml:${lineOf(denied, 'deny:') + 1}:9`);
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/secret/k" }\n', denied))).toEqual([]);
    // requireMfa denies everything without MFA: alice signs in with MFA, so she still can.
    const mfa = ORG.replace('  - name: alice\n    account: identity\n', '  - name: alice\n    account: identity\n    requireMfa: true\n');
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/a" }\n', mfa))).toEqual([]);
  });

  it('an AWS managed policy counts for what it grants (ReadOnlyAccess: s3:GetObject, not s3:PutObject)', async () => {
    const org = ORG.replace('    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::data/*"]\n', '    managedPolicies: [ReadOnlyAccess]\n');
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::any-bucket/k" }\n', org))).toEqual([]);
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { do: [s3:PutObject, s3:DeleteObject], on: "*" }\n', org))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { do: "s3:Get*", on: "arn:aws:s3:::data/*" }\n', org));
    expect(failure!.message).toMatch(/→ allow s3:Get\w+ \(arn:aws:iam::aws:policy\/ReadOnlyAccess\) at org\.yaml:\d+:\d+$/);
  }, 60_000);

  it('an AWS managed permissions boundary cuts what the role is allowed', async () => {
    const org = ORG.replace('  - name: partner-reports\n', '  - name: bounded\n    account: prod\n    permissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n    trust:\n      - user: identity/alice\n    allow:\n      - actions: ["s3:*"]\n        resources: ["*"]\n  - name: partner-reports\n');
    expect(await failures(withExpect('  - who: { role: prod/bounded }\n    cannot: { do: s3:PutObject, on: "*" }\n  - who: { role: prod/bounded }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::b/k" }\n', org))).toEqual([]);
  }, 60_000);

  it('a customer managed policy given by ARN: cannot be proven, naming it', async () => {
    const org = ORG.replace('  - name: partner-reports\n', '  - name: custom\n    account: prod\n    managedPolicies: ["arn:aws:iam::222222222222:policy/data-writer"]\n    trust:\n      - user: identity/bob\n  - name: partner-reports\n');
    const [cannot] = await failures(withExpect('  - who: { user: identity/bob }\n    cannot: { do: s3:PutObject, on: "arn:aws:s3:::data/a" }\n', org));
    expect(cannot!.message).toMatch(/^cannot be proven: "identity\/bob cannot do s3:PutObject on arn:aws:s3:::data\/a" depends on arn:aws:iam::222222222222:policy\/data-writer, which rolecall cannot see/);
    const [can] = await failures(withExpect('  - who: { user: identity/bob }\n    can: { do: s3:PutObject, on: "arn:aws:s3:::data/a" }\n', org));
    expect(can!.message).toContain('cannot be proven');
    // An answer that does not turn on it is still given: bob reaches custom, whatever the policy says.
    expect(await failures(withExpect('  - who: { user: identity/bob }\n    can: { assume: prod/custom }\n', org))).toEqual([]);
  });

  it('a Deny on the caller closes its way in', async () => {
    const org = ORG.replace('  - name: alice\n    account: identity\n', '  - name: alice\n    account: identity\n    deny:\n      - actions: [sts:AssumeRole]\n        resources: ["*"]\n');
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { assume: prod/reader }\n', org))).toEqual([]);
    const [failure] = await failures(withExpect('  - who: { user: identity/alice }\n    can: { assume: prod/reader }\n', org));
    expect(failure!.message).toContain('the way from user identity/alice is closed (denied by rolecall-permissions of identity/alice)');
  });

  it('a seen Allow beside an unseen policy: can cannot be proven (it may deny), cannot fails (it cannot allow less than nothing)', async () => {
    const org = ORG.replace('  - name: reader\n    account: prod\n', '  - name: reader\n    account: prod\n    managedPolicies: ["arn:aws:iam::222222222222:policy/extra"]\n');
    const [can] = await failures(withExpect('  - who: { role: prod/reader }\n    can: { do: s3:GetObject, on: "arn:aws:s3:::data/a" }\n', org));
    expect(can!.message).toMatch(/^cannot be proven: .* depends on arn:aws:iam::222222222222:policy\/extra,/);
    const [cannot] = await failures(withExpect('  - who: { role: prod/reader }\n    cannot: { do: s3:GetObject, on: "arn:aws:s3:::data/a" }\n', org));
    expect(cannot!.message).toContain('but prod/reader → allow s3:GetObject');
  });

  it('an account trust opened only by a policy rolecall cannot see: cannot be proven either way', async () => {
    const org = `${ORG}  - name: jump\n    account: identity\n    managedPolicies: ["arn:aws:iam::111111111111:policy/assume-ops"]\n    trust:\n      - user: identity/bob\n  - name: ops\n    account: prod\n    trust:\n      - account: identity\n`;
    for (const who of ['role: identity/jump', 'user: identity/bob']) {
      for (const must of ['can', 'cannot']) {
        const [finding] = await failures(withExpect(`  - who: { ${who} }\n    ${must}: { assume: prod/ops }\n`, org));
        expect(finding!.message).toMatch(/^cannot be proven: .* depends on arn:aws:iam::111111111111:policy\/assume-ops,/);
      }
    }
    // jump may not write itself, but might reach ops, which may: that too cannot be proven.
    const writer = org.replace('      - account: identity\n', '      - account: identity\n    allow:\n      - actions: [s3:PutObject]\n        resources: ["*"]\n')
      .replace('  - name: jump\n    account: identity\n', '  - name: jump\n    account: identity\n    deny:\n      - actions: [s3:PutObject]\n        resources: ["*"]\n');
    const [write] = await failures(withExpect('  - who: { role: identity/jump }\n    cannot: { do: s3:PutObject, on: "arn:aws:s3:::data/a" }\n', writer));
    expect(write!.message).toMatch(/^cannot be proven: .* depends on arn:aws:iam::111111111111:policy\/assume-ops,/);
    // alice has no policy that could: she surely cannot.
    expect(await failures(withExpect('  - who: { user: identity/alice }\n    cannot: { assume: prod/ops }\n', org))).toEqual([]);
  });

  it('wildcard actions: cannot means none of the matching actions, can means every one', async () => {
    const [failure] = await failures(withExpect('  - who: { role: prod/reader }\n    cannot: { do: "s3:*Object", on: "arn:aws:s3:::data/k" }\n'));
    expect(failure!.message).toContain('allow s3:GetObject');
    const [every] = await failures(withExpect('  - who: { role: prod/reader }\n    can: { do: "s3:Get*", on: "arn:aws:s3:::data/k" }\n'));
    expect(every!.message).toMatch(/no policy of prod\/reader allows s3:Get(?!Object )\w+ on/);
  });
});

describe('expect: references and the example organisation', () => {
  it('unknown users, roles, accounts and providers are errors at the value', async () => {
    const result = await compileYaml(
      withExpect(
        [
          '  - who: { user: identity/alcie }',
          '    can: { assume: prod/reader }',
          '  - who: { account: partnr }',
          '    cannot: { assume: prod/raeder }',
          '  - who: { saml: { provider: nope } }',
          '    cannot: { assume: prod/reader }',
          '  - who: { outside: [identity, prd] }',
          '    cannot: { do: s3:GetObjekt, on: "*" }',
          '  - who: { group: identity/admins }',
          '    cannot: { assume: prod/reader }',
          '',
        ].join('\n'),
      ),
    );
    const found = result.errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
    expect(found).toEqual([
      'expect.yaml:2:18 unknown-reference: no user "alcie" in account identity; did you mean "identity/alice"?',
      'expect.yaml:4:21 unknown-reference: no account named "partnr"; did you mean "partner"?',
      'expect.yaml:5:23 unknown-reference: no role "raeder" in account prod; did you mean "prod/reader"?',
      'expect.yaml:6:30 unknown-reference: no provider named "nope"',
      'expect.yaml:8:32 unknown-reference: no account named "prd"; did you mean "prod"?',
      'expect.yaml:9:19 unknown-action: "s3:GetObjekt" matches no s3 action; did you mean "s3:GetObject"?',
      'expect.yaml:10:19 unknown-reference: no group named "identity/admins"',
    ]);
  });

  it('config/ tells its stories as expectations, and they hold (validate --strict is clean)', async () => {
    const text = await fs.readFile(path.join(ROOT, 'config/expectations.yaml'), 'utf8');
    expect((text.match(/^ {2}- who:/gm) ?? []).length).toBeGreaterThanOrEqual(12);
    let stdout = '';
    const code = await run(['validate', '--strict', '--config', 'config'], { stdout: (t) => (stdout += t), stderr: () => {}, cwd: ROOT, env: {} });
    expect(stdout).toBe('no problems found\n');
    expect(code).toBe(0);
  }, 60_000);

  describe('a change to config/ that breaks a story', () => {
    let work: string;
    beforeEach(async () => {
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-expect-'));
      await fs.cp(path.join(ROOT, 'config'), path.join(work, 'config'), { recursive: true });
    });
    afterEach(async () => {
      await fs.rm(work, { recursive: true, force: true });
    });

    async function validateIn(): Promise<{ code: number; stdout: string; stderr: string }> {
      let stdout = '';
      let stderr = '';
      const code = await run(['validate'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: work, env: {} });
      return { code, stdout, stderr };
    }

    async function edit(file: string, from: string, to: string): Promise<void> {
      const full = path.join(work, 'config', file);
      const text = await fs.readFile(full, 'utf8');
      expect(text).toContain(from);
      await fs.writeFile(full, text.replace(from, to));
    }

    /** The line of `config/expectations.yaml` that starts the expectation holding `marker`. */
    async function expectationLine(marker: string): Promise<number> {
      const lines = (await fs.readFile(path.join(work, 'config/expectations.yaml'), 'utf8')).split('\n');
      const at = lines.findIndex((l) => l.includes(marker));
      let line = at;
      while (!lines[line]!.startsWith('  - who:')) line -= 1;
      return line + 1;
    }

    it('the partner role given s3:PutObject: fails at the expectation, with the path to the statement', async () => {
      await edit(
        'data-prod/roles.yaml',
        '      buckets: [analytics-prod/reports/]\n',
        '      buckets: [analytics-prod/reports/]\n    allow:\n      - actions: [s3:PutObject]\n        resources: ["arn:aws:s3:::analytics-prod/reports/*"]\n',
      );
      const { code, stdout } = await validateIn();
      expect(code).toBe(1);
      const line = await expectationLine('the partner reads the shared reports and never writes');
      expect(stdout).toContain(
        `config/expectations.yaml:${line}:5: error expectation-failed: expected "partner-acme cannot do s3:Put*, s3:Delete* on arn:aws:s3:::analytics-prod/*" (the partner reads the shared reports and never writes), but partner-acme → data-prod/partner-acme-reports (external id, until 2029-12-31) → allow s3:PutObject on arn:aws:s3:::analytics-prod/reports/* at config/data-prod/roles.yaml:35:9\n`,
      );
      expect(stdout).toContain('1 error, 0 warnings');
    }, 60_000);

    it('data-admin trusting the partner: "nobody outside identity" fails with the way in', async () => {
      await edit('data-prod/roles.yaml', '        reason: on-call data platform engineers\n', '        reason: on-call data platform engineers\n      - account: partner-acme\n        externalId: acme-admin-2026\n');
      const { code, stdout } = await validateIn();
      expect(code).toBe(1);
      const line = await expectationLine('admins come only through the identity account');
      expect(stdout).toMatch(new RegExp(`config/expectations.yaml:${line}:5: error expectation-failed: .*but partner-acme → data-prod/data-admin \\(external id\\) at config/data-prod/roles.yaml:58:\\d+`));
    }, 60_000);

    it('the deploy role opened to every branch: the other-branch expectation fails, and synth refuses', async () => {
      await edit('data-prod/roles.yaml', 'branch: main }', 'branch: "*/*" }');
      const { code, stdout } = await validateIn();
      expect(code).toBe(1);
      expect(stdout).toContain('cannot assume data-prod/analytics-deploy", but GitHub Actions acme/analytics-pipeline on branch feature/try-this → data-prod/analytics-deploy at config/data-prod/roles.yaml:40:9');
      let stderr = '';
      const synth = await run(['synth', '--out', 'out'], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: work, env: {} });
      expect(synth).toBe(1);
      expect(stderr).toContain('synth refused');
      await expect(fs.access(path.join(work, 'out'))).rejects.toThrow();
      // access still shows the access the expectation is about.
      const access = await run(['access'], { stdout: () => {}, stderr: () => {}, cwd: work, env: {} });
      expect(access).toBe(0);
    }, 60_000);
  });
});

describe('commonWitness', () => {
  it.each([
    ['arn:aws:s3:::data/*', 'arn:aws:s3:::data/reports/*', 'arn:aws:s3:::data/reports/'],
    ['*', 'arn:aws:s3:::b/?', 'arn:aws:s3:::b/x'],
    ['a*c', 'ab*', 'abc'],
    ['a?c', 'a*', 'axc'],
  ])('%s and %s share %s', (a, b, witness) => {
    expect(commonWitness(a, b)).toBe(witness);
  });

  it.each([
    ['arn:aws:s3:::data/*', 'arn:aws:s3:::other/*'],
    ['a?', 'abc'],
  ])('%s and %s share nothing', (a, b) => {
    expect(commonWitness(a, b)).toBeUndefined();
  });
});

it('TEST_NOW is before the expiry the tests use', () => {
  expect(TEST_NOW.getTime()).toBeLessThan(Date.parse('2026-12-31'));
});
