/**
 * Bugs that once survived the suite when planted by hand (issue 5, item 12),
 * each pinned through the public pipeline (YAML in, model and emitted policy
 * JSON out), so the pins hold whatever shape the modules behind it take.
 * (The MFA self-service pins are in requireMfaPolicy.test.ts.)
 */
import type { AccessModel } from '../../src/model/accessModel';
import { compileValid, compileYaml, TEST_NOW } from '../support/compileYaml';
import { parsePolicy, type Statement } from '../support/policyJson';

const ACCOUNT = '111111111111';
const ACCOUNTS = `
accounts:
  - name: main
    id: "${ACCOUNT}"
`;

const policyOf = (model: AccessModel, kind: 'user' | 'role', name: string, policy: string): Statement[] => {
  const principal = (kind === 'user' ? model.users : model.roles).find((p) => p.name === name)!;
  const found = principal.inlinePolicies.find((p) => p.name === policy);
  if (!found) throw new Error(`${kind} ${name} has no ${policy}; it has ${principal.inlinePolicies.map((p) => p.name).join(', ') || 'none'}`);
  return parsePolicy(found.json).Statement;
};

describe('s3ReadOnly on a whole bucket', () => {
  const compileReader = (buckets: string) =>
    compileValid({
      'config.yaml': `${ACCOUNTS}
roles:
  - name: reader
    trust: [{ service: ec2.amazonaws.com }]
    s3ReadOnly: { buckets: ${buckets} }
`,
    });

  it('lists the bucket: s3:ListBucket on the bucket ARN, without a prefix condition', async () => {
    const statements = policyOf(await compileReader('[analytics-prod]'), 'role', 'reader', 'rolecall-s3-read-only');
    const onBucket = statements.filter((s) => s.Resource?.includes('arn:aws:s3:::analytics-prod'));
    expect(onBucket).toHaveLength(1);
    expect(onBucket[0]!.Effect).toBe('Allow');
    expect(onBucket[0]!.Resource).toEqual(['arn:aws:s3:::analytics-prod']);
    expect(onBucket[0]!.Action).toEqual(expect.arrayContaining(['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketVersions']));
    expect(onBucket[0]!.Condition).toBeUndefined();
    // And reads its objects.
    const onObjects = statements.filter((s) => s.Resource?.includes('arn:aws:s3:::analytics-prod/*'));
    expect(onObjects.flatMap((s) => s.Action ?? [])).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion']));
  });

  it('lists every whole bucket of several, beside a prefix of another', async () => {
    const statements = policyOf(await compileReader('[analytics-prod, archive, logs/2026/]'), 'role', 'reader', 'rolecall-s3-read-only');
    const listing = (arn: string) =>
      statements.filter((s) => s.Resource?.includes(arn) && s.Action?.includes('s3:ListBucket')).map((s) => s.Condition ?? null);
    expect(listing('arn:aws:s3:::analytics-prod')).toEqual([null]);
    expect(listing('arn:aws:s3:::archive')).toEqual([null]);
    expect(listing('arn:aws:s3:::logs')).toEqual([{ StringLike: { 's3:prefix': ['2026/', '2026/*'] } }]);
  });
});

describe('overlapping trust entries: one principal in two entries of one role, with different conditions', () => {
  const entries = {
    mfa: `      - user: alice
        mfa: true`,
    office: `      - user: alice
        sourceIp: [203.0.113.0/24]`,
  };
  const compileRole = (first: string, second: string) =>
    compileYaml({
      'config.yaml': `${ACCOUNTS}
users:
  - name: alice
roles:
  - name: ops
    trust:
${first}
${second}
`,
    });

  const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const OPS = `arn:aws:iam::${ACCOUNT}:role/ops`;
  const MFA = { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } };
  const OFFICE = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } };

  it('the trust holds each entry as written (IAM ORs them); the caller policy too; and a warning says so', async () => {
    const result = await compileRole(entries.mfa, entries.office);
    expect(result.errors).toEqual([]);
    const role = result.model!.roles.find((r) => r.name === 'ops')!;
    const trust = parsePolicy(role.trustPolicyJson).Statement;
    expect(trust).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'], Condition: MFA },
        { Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'], Condition: OFFICE },
      ]),
    );
    expect(trust).toHaveLength(2);
    // The caller's side: alice may call AssumeRole under either set of conditions.
    expect(policyOf(result.model!, 'user', 'alice', 'rolecall-assume-roles')).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [OPS], Condition: MFA },
        { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [OPS], Condition: OFFICE },
      ]),
    );
    expect(result.model!.grants.filter((g) => g.role.name === 'ops').map((g) => g.conditionBlock)).toEqual(
      expect.arrayContaining([MFA, OFFICE]),
    );
    // mfa-bypass (a security rule) too: the entry without MFA is a way round the one with it.
    expect(result.findings.map((f) => f.rule)).toEqual(['mfa-bypass', 'overlapping-trust']);
  });

  it('a looser entry and a stricter one: both are emitted, the looser is not dropped for the stricter', async () => {
    const result = await compileRole('      - user: alice', entries.mfa);
    const trust = parsePolicy(result.model!.roles.find((r) => r.name === 'ops')!.trustPolicyJson).Statement;
    expect(trust).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'] },
        { Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'], Condition: MFA },
      ]),
    );
    expect(trust).toHaveLength(2);
    expect(policyOf(result.model!, 'user', 'alice', 'rolecall-assume-roles')).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [OPS] },
        { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [OPS], Condition: MFA },
      ]),
    );
  });

  it.each([
    ['different conditions', entries.mfa, entries.office],
    ['a looser and a stricter entry', '      - user: alice', entries.mfa],
  ])('%s: the emitted trust, caller policy and grants do not depend on the order of the entries', async (_name, a, b) => {
    const forward = (await compileRole(a, b)).model!;
    const backward = (await compileRole(b, a)).model!;
    const emitted = (model: AccessModel) => ({
      trust: model.roles.find((r) => r.name === 'ops')!.trustPolicyJson,
      caller: model.users.find((u) => u.name === 'alice')!.inlinePolicies.map((p) => p.json),
      grants: model.grants.map((g) => [g.grantee, g.actions, g.conditionBlock]),
    });
    expect(emitted(backward)).toEqual(emitted(forward));
  });
});

describe('expiry: a grant is expired from the instant it names', () => {
  const compileExpiring = (expires: string) =>
    compileYaml({
      'config.yaml': `${ACCOUNTS}
roles:
  - name: ops
    trust:
      - service: ec2.amazonaws.com
        expires: "${expires}"
`,
    });
  const at = (offsetMs: number) => new Date(TEST_NOW.getTime() + offsetMs).toISOString();

  it('expiring exactly now: expired, an error', async () => {
    const result = await compileExpiring(at(0));
    expect(result.errors.map((f) => f.rule)).toEqual(['expired-grant']);
  });

  it('one second ago: expired; in one second: valid, with a warning that it expires soon', async () => {
    expect((await compileExpiring(at(-1000))).errors.map((f) => f.rule)).toEqual(['expired-grant']);
    const later = await compileExpiring(at(1000));
    expect(later.errors).toEqual([]);
    expect(later.findings.map((f) => f.rule)).toEqual(['expires-soon']);
    const trust = parsePolicy(later.model!.roles[0]!.trustPolicyJson).Statement;
    expect(trust[0]!.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': [at(1000).replace('.000Z', 'Z')] } });
  });
});
