/** action-resource-mismatch: an action on resources of no type it acts on grants (or denies) nothing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { actionPatternsOverlap, patternFitsFormat } from '../../../src/analysers/arnFormat';
import { securityFindings } from '../../../src/analysers/rules';
import { toDiagnostic } from '../../../src/analysers/rules/rule';
import { toFindings } from '../../../src/cli/findings';
import { compareFindings, parseExpectations } from '../../corpus/corpus';
import { compileYaml } from '../../support/compileYaml';
import { fired, MAIN, role } from './ruleHarness';

const RULE = 'action-resource-mismatch';
const allow = (actions: string, resources: string, effect = 'allow') => `${MAIN}roles:\n${role('app', `    ${effect}:\n      - actions: ${actions}\n        resources: ${resources}\n`)}`;
const mismatched = async (actions: string, resources: string, effect = 'allow') => fired(allow(actions, resources, effect), RULE);

describe('action-resource-mismatch', () => {
  it('s3:GetObject on the bucket ARN: at the resource, suggesting bucket/*', async () => {
    const findings = await mismatched('[s3:GetObject]', '["arn:aws:s3:::analytics-prod"]');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'allow', 0, 'resources', 0] });
    expect(findings[0]!.message).toMatch(/^role main\/app: s3:GetObject acts on accesspointobject .*object \(arn:\$\{Partition\}:s3:::\$\{BucketName\}\/\$\{ObjectName\}\).* so this statement grants nothing for it: did you mean "arn:aws:s3:::analytics-prod\/\*"\?$/);
  });

  it('s3:ListBucket on bucket/*: suggests the bucket ARN', async () => {
    const findings = await mismatched('[s3:ListBucket]', '["arn:aws:s3:::analytics-prod/*"]');
    expect(findings.map((f) => f.message.match(/did you mean "([^"]+)"/)?.[1])).toEqual(['arn:aws:s3:::analytics-prod']);
  });

  it('a Deny so written denies nothing, and says so', async () => {
    const findings = await mismatched('[s3:DeleteObject]', '["arn:aws:s3:::analytics-prod"]', 'deny');
    expect(findings[0]!.message).toMatch(/this statement denies nothing/);
  });

  it('several resources, none fitting: at the action (or the actions, when there are several)', async () => {
    const one = await mismatched('[s3:ListBucket]', '["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]');
    expect(one.map((f) => f.source.path)).toEqual([['roles', 0, 'allow', 0, 'actions', 0]]);
    const several = await mismatched('[s3:ListBucket, s3:GetObject]', '["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]');
    expect(several.map((f) => [f.source.path, f.message.split(' ')[2]])).toEqual([[['roles', 0, 'allow', 0, 'actions'], 's3:ListBucket']]);
  });

  it('an action of no resource type on an ARN: only * applies', async () => {
    const findings = await mismatched('[s3:ListAllMyBuckets]', '["arn:aws:s3:::analytics-prod"]');
    expect(findings[0]!.message).toMatch(/s3:ListAllMyBuckets takes no resource ARN \(IAM matches it only on "\*"\)/);
    expect(await mismatched('[s3:ListAllMyBuckets]', '["*"]')).toEqual([]);
  });

  it('iam:PassRole on a bucket fires; on a role path it fits', async () => {
    expect(await mismatched('[iam:PassRole]', '["arn:aws:s3:::analytics-prod"]')).toHaveLength(1);
    expect(await mismatched('[iam:PassRole]', '["arn:aws:iam::123456789012:role/app/*"]')).toEqual([]);
  });

  it.each([
    ['object action on objects', '[s3:GetObject]', '["arn:aws:s3:::analytics-prod/*"]'],
    ['anything on *', '[s3:GetObject, s3:ListBucket, s3:ListAllMyBuckets]', '["*"]'],
    ['one resource of several fits', '[s3:GetObject]', '["arn:aws:s3:::a", "arn:aws:s3:::a/*"]'],
    ['a pattern that may be an object', '[s3:GetObject]', '["arn:aws:s3:::analytics-*"]'],
    ['a wildcard action some of whose actions act on buckets', '["s3:Get*"]', '["arn:aws:s3:::analytics-prod"]'],
    ['a policy variable', '[s3:GetObject]', '["arn:aws:s3:::home/${aws:username}/*"]'],
    ['an access point object', '[s3:GetObject]', '["arn:aws:s3:eu-west-1:123456789012:accesspoint/reports/object/*"]'],
    ['sts:AssumeRole on a role', '[sts:AssumeRole]', '["arn:aws:iam::123456789012:role/deploy"]'],
    ['every action', '["*"]', '["arn:aws:s3:::analytics-prod"]'],
  ])('quiet: %s', async (_name, actions, resources) => {
    expect(await mismatched(actions, resources)).toEqual([]);
  });

  it("rolecall's own statements always fit: requireMfa, federation, AssumeRole callers, s3ReadOnly with prefixes", async () => {
    const yaml = `${MAIN}users:
  - name: alice
    requireMfa: true
  - name: broker
    federation:
      allow:
        - actions: [s3:GetObject]
          resources: ["arn:aws:s3:::reports/*"]
roles:
  - name: reader
    trust:
      - user: alice
        mfa: true
    s3ReadOnly:
      buckets: [reports, logs/app/, logs/web/]
  - name: chained
    trust:
      - role: reader
`;
    const result = await compileYaml({ 'org.yaml': yaml });
    expect(result.errors).toEqual([]);
    expect(securityFindings(result.model!, result.catalog!).filter((f) => f.rule === RULE)).toEqual([]);
  });

  it('the case once pending in the corpus: exactly its stated finding, at its line and column', async () => {
    const file = path.join(__dirname, 'cases', 'object-action-on-bucket-arn.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const result = await compileYaml({ 'org.yaml': text });
    expect(result.errors).toEqual([]);
    const actual = toFindings(securityFindings(result.model!, result.catalog!).map(toDiagnostic), result.sources);
    const { expected, malformed } = parseExpectations('org.yaml', text);
    expect(malformed).toEqual([]);
    expect(expected).toHaveLength(1);
    expect(compareFindings(expected, actual)).toEqual({ missing: [], unexpected: [] });
  });
});

describe('ARN patterns against documented formats', () => {
  const BUCKET = 'arn:${Partition}:s3:::${BucketName}';
  const OBJECT = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  const ROLE = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';

  it.each([
    ['arn:aws:s3:::b', BUCKET, true],
    ['arn:aws:s3:::b', OBJECT, false],
    ['arn:aws:s3:::b/', OBJECT, false],
    ['arn:aws:s3:::b/*', OBJECT, true],
    ['arn:aws:s3:::b/*', BUCKET, false],
    ['arn:aws:s3:::b*', BUCKET, true],
    ['arn:aws:s3:::b*', OBJECT, true],
    ['arn:aws:s3:::b?', BUCKET, true],
    ['arn:aws:s3:::?', OBJECT, false],
    ['arn:aws:iam::123456789012:role/a/b', ROLE, true],
    ['arn:aws:iam::123456789012:user/a', ROLE, false],
    ['arn:aws:iam::*', ROLE, true],
    ['arn:aws:iam:eu-west-1:123456789012:role/a', ROLE, false],
    ['arn:aws:s3:::${aws:username}', OBJECT, true],
    ['arn:aws:s3:::${*}', OBJECT, false],
    ['*', OBJECT, true],
  ])('%s fits %s: %s', (pattern, format, fits) => {
    expect(patternFitsFormat(pattern, format)).toBe(fits);
  });

  // A concrete ARN (no wildcard) fits a format exactly when the format, read as a regular expression, matches it.
  it('on concrete ARNs, agrees with the format read as a regular expression', () => {
    const formats = [BUCKET, OBJECT, ROLE, 'arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}'];
    // Variables are values of one character or more; a bucket name (and partition, region, account) holds no slash.
    const variable = (name: string, inLastPart: boolean) => (['BucketName', 'Partition', 'Region', 'Account'].includes(name) ? (inLastPart ? '[^/]+' : '[^:/]+') : inLastPart ? '.+' : '[^:]+');
    const regexOf = (format: string) => {
      const parts = format.split(':');
      const first = parts.slice(0, 5).map((p) => p.replace(/\$\{([^}]+)\}/g, (_m, name: string) => variable(name, false)));
      const last = parts.slice(5).join(':').replace(/\$\{([^}]+)\}/g, (_m, name: string) => variable(name, true));
      return new RegExp(`^${[...first, last].join(':')}$`, 'i');
    };
    const piece = fc.stringMatching(/^[a-z0-9/-]{0,6}$/);
    const arn = fc.tuple(fc.constantFrom('aws', 'aws-cn', ''), fc.constantFrom('s3', 'iam', 'kms'), fc.constantFrom('', 'eu-west-1'), fc.constantFrom('', '123456789012'), piece, piece).map(([p, s, r, a, x, y]) => `arn:${p}:${s}:${r}:${a}:${x}${y}`);
    fc.assert(
      fc.property(arn, fc.constantFrom(...formats), (candidate, format) => patternFitsFormat(candidate, format) === regexOf(format).test(candidate)),
      { numRuns: 2000 },
    );
  });

  it('action patterns overlap when one action can match both', () => {
    expect(actionPatternsOverlap('ec2:Create*', 'ec2:*Endpoint')).toBe(true);
    expect(actionPatternsOverlap('ec2:CreateVpcEndpoint', 'EC2:createvpcendpoint')).toBe(true);
    expect(actionPatternsOverlap('s3:Get*', 'ec2:CreateVpcEndpoint')).toBe(false);
    expect(actionPatternsOverlap('ec2:Describe*', 'ec2:Create*')).toBe(false);
    expect(actionPatternsOverlap('*', 'ec2:CreateVpcEndpoint')).toBe(true);
  });
});
