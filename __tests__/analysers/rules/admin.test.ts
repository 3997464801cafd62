/** full-admin and service-admin: `*` on `*`, and all of IAM, STS, KMS or Organizations on `*`, boundaries intersected. */
import { fired, findingsOf, MAIN, role } from './ruleHarness';

const roles = (...entries: string[]) => `${MAIN}roles:\n${entries.join('')}`;
const S3_BOUNDARY = '    permissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n';

describe('full-admin', () => {
  it('AdministratorAccess: at the managedPolicies item, naming the policy', async () => {
    const findings = await fired(roles(role('ops', '    managedPolicies: [ReadOnlyAccess, AdministratorAccess]\n')), 'full-admin');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'managedPolicies', 1] });
    expect(findings[0]!.message).toMatch(/^role main\/ops holds every action on every resource \(\* on \*\), granted by AWS managed policy AdministratorAccess/);
    expect(findings[0]!.subject).toEqual({ kind: 'role', account: 'main', name: 'ops' });
  });

  it('inline * on *: at the statement', async () => {
    const findings = await fired(roles(role('ops', '    allow:\n      - actions: [s3:GetObject]\n        resources: ["*"]\n      - actions: ["*"]\n        resources: ["*"]\n')), 'full-admin');
    expect(findings.map((f) => f.source.path)).toEqual([['roles', 0, 'allow', 1]]);
  });

  it('a full admin gets this one finding, not one per escalation path', async () => {
    const rules = (await findingsOf(roles(role('ops', '    managedPolicies: [AdministratorAccess]\n')))).map((f) => f.rule);
    expect(rules).toEqual(['full-admin']);
  });

  it('a user with * on * and requireMfa: the MFA deny only says when, so still admin, once', async () => {
    const rules = (await findingsOf(`${MAIN}users:\n  - name: root-like\n    requireMfa: true\n    allow:\n      - actions: ["*"]\n        resources: ["*"]\n`)).map((f) => f.rule);
    expect(rules).toEqual(['full-admin']);
  });

  it('under a narrow AWS managed boundary: not full admin (nor service admin)', async () => {
    const findings = await findingsOf(roles(role('ops', `${S3_BOUNDARY}    managedPolicies: [AdministratorAccess]\n`)));
    expect(findings.filter((f) => f.rule === 'full-admin' || f.rule === 'service-admin')).toEqual([]);
  });

  it('behind a customer managed boundary rolecall cannot read: one full-admin finding naming the boundary, no escalation path', async () => {
    const findings = await findingsOf(roles(role('ops', '    permissionsBoundary: delegated-admin-boundary\n    managedPolicies: [AdministratorAccess]\n')));
    expect(findings.map((f) => f.rule)).toEqual(['full-admin']);
    expect(findings[0]!.message).toMatch(/under the permissions boundary arn:aws:iam::\d{12}:policy\/delegated-admin-boundary, which rolecall cannot read: it is full admin .* unless that boundary narrows it/);
  });

  it('under a boundary that lets everything through: still full admin', async () => {
    const findings = await fired(roles(role('ops', '    permissionsBoundary: arn:aws:iam::aws:policy/AdministratorAccess\n    managedPolicies: [AdministratorAccess]\n')), 'full-admin');
    expect(findings).toHaveLength(1);
  });

  it('a Deny that always applies takes something away: not * on * (the escalation rules judge it)', async () => {
    const yaml = roles(role('ops', '    managedPolicies: [AdministratorAccess]\n    deny:\n      - actions: [s3:DeleteBucket]\n        resources: ["*"]\n'));
    expect(await fired(yaml, 'full-admin')).toEqual([]);
  });

  it('* on one bucket, or every s3 action on *: not full admin', async () => {
    expect(await fired(roles(role('a', '    allow:\n      - actions: ["*"]\n        resources: ["arn:aws:s3:::data/*"]\n')), 'full-admin')).toEqual([]);
    expect(await fired(roles(role('b', '    allow:\n      - actions: ["s3:*"]\n        resources: ["*"]\n')), 'full-admin')).toEqual([]);
  });
});

describe('service-admin', () => {
  it('IAMFullAccess: iam:* on *, at the managedPolicies item, naming the policy', async () => {
    const findings = await fired(roles(role('iam-operator', '    managedPolicies: [IAMFullAccess]\n')), 'service-admin');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'managedPolicies', 0] });
    expect(findings[0]!.message).toMatch(/holds every iam action on every resource \(iam:\* on \*\), granted by AWS managed policy IAMFullAccess: it can create users/);
  });

  it('one finding per service held whole, at its statement', async () => {
    const yaml = roles(
      role('keys', '    allow:\n      - actions: ["kms:*"]\n        resources: ["*"]\n      - actions: ["sts:*", "organizations:*"]\n        resources: ["*"]\n      - actions: ["s3:*"]\n        resources: ["*"]\n'),
    );
    const findings = await fired(yaml, 'service-admin');
    expect(findings.map((f) => `${f.message.match(/every (\w+) action/)![1]} ${f.source.path.join('.')}`)).toEqual([
      'sts roles.0.allow.1',
      'kms roles.0.allow.0',
      'organizations roles.0.allow.1',
    ]);
  });

  it('* cut by an IAMFullAccess boundary: not full admin, but all of IAM, granted by the * policy', async () => {
    const yaml = roles(role('a', '    permissionsBoundary: arn:aws:iam::aws:policy/IAMFullAccess\n    managedPolicies: [AdministratorAccess]\n'));
    expect(await fired(yaml, 'full-admin')).toEqual([]);
    const findings = await fired(yaml, 'service-admin');
    expect(findings.map((f) => f.message.match(/every (\w+) action.*granted by ([^:]+):/)!.slice(1))).toEqual([['iam', 'AWS managed policy AdministratorAccess']]);
  });

  it('close cases: iam:* on a role path, iam:Get* on *, IAMFullAccess under a narrow boundary', async () => {
    expect(await fired(roles(role('a', '    allow:\n      - actions: ["iam:*"]\n        resources: ["arn:aws:iam::123456789012:role/app/*"]\n')), 'service-admin')).toEqual([]);
    expect(await fired(roles(role('b', '    allow:\n      - actions: ["iam:Get*", "iam:List*"]\n        resources: ["*"]\n')), 'service-admin')).toEqual([]);
    expect(await fired(roles(role('c', `${S3_BOUNDARY}    managedPolicies: [IAMFullAccess]\n`)), 'service-admin')).toEqual([]);
  });

  it('kms:* on one key beside PowerUserAccess: the whole of kms comes from the NotAction (allow-not-action says it), not from the key grant', async () => {
    const yaml = roles(role('dev', '    managedPolicies: [PowerUserAccess]\n    allow:\n      - actions: ["kms:*"]\n        resources: ["arn:aws:kms:eu-west-1:123456789012:key/abc"]\n'));
    expect(await fired(yaml, 'service-admin')).toEqual([]);
    expect(await fired(yaml, 'allow-not-action')).toHaveLength(1);
  });

  it('quiet for a full admin (full-admin says it once) and for a NotAction grant (allow-not-action says it)', async () => {
    expect(await fired(roles(role('a', '    managedPolicies: [AdministratorAccess, IAMFullAccess]\n')), 'service-admin')).toEqual([]);
    expect(await fired(roles(role('b', '    managedPolicies: [PowerUserAccess]\n')), 'service-admin')).toEqual([]);
  });
});
