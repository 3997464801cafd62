import type { z } from 'zod';
import {
  accountId,
  accountName,
  actionPattern,
  bucketScope,
  cidr,
  date,
  duration,
  externalId,
  httpsUrl,
  iamName,
  iamPath,
  policyName,
  providerArn,
  region,
  resourcePattern,
  servicePrincipal,
  tags,
  bucketNameProblem,
} from '../../src/schema/primitives';
import { trustKindSchemas } from '../../src/schema/trustSchema';

/** Each primitive: values it must accept, values it must refuse. */
const table: [string, z.ZodType, unknown[], unknown[]][] = [
  ['accountName', accountName, ['identity', 'data-prod', 'a', 'x1'], ['Data', 'data_prod', '-x', 'x-', '', 'a'.repeat(51)]],
  ['accountId', accountId, ['111111111111', '012345678901'], ['11111111111', '1111111111111', '11111111111a', 111111111111]],
  ['region', region, ['us-east-1', 'eu-west-2', 'us-gov-west-1', 'ap-southeast-4', 'cn-north-1'], ['US-EAST-1', 'useast1', 'us-east', '']],
  ['iamName', iamName, ['alice', 'ci+bot=1,a.b@c-d_e', 'a'.repeat(64)], ['', 'a'.repeat(65), 'has space', 'slash/name', 'ümlaut']],
  ['iamPath', iamPath, ['/', '/people/', '/a/b/'], ['people', '/people', 'people/', '//x/ /', `/${'a'.repeat(511)}/`]],
  ['duration', duration, [3600, '15m', '1h', '12h', '1h30m', '90s'], ['1d', 'h', '', '-1h', 0, 1.5, '1 h']],
  ['date', date, ['2026-12-06', '2026-12-06T18:00:00Z', '2026-12-06T18:00:00+02:00', '2028-02-29'], ['2026-02-30', '2027-02-29', '06/12/2026', '2026-12-6', 'tomorrow', 20261206]],
  ['externalId', externalId, ['ab', 'acme-joint-2026', 'a:b/c=d,e@f+g.h_i', 'x'.repeat(1224)], ['a', 'x'.repeat(1225), 'has space', 'semi;colon']],
  ['cidr', cidr, ['203.0.113.0/24', '198.51.100.7', '10.0.0.0/8', '2001:db8::/32', '::1/128'], ['203.0.113.0/33', '256.1.1.1/24', 'example.com', '203.0.113/24', '']],
  ['servicePrincipal', servicePrincipal, ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ec2.amazonaws.com.cn'], ['ec2', 'EC2.amazonaws.com', 'ec2.example.com', '*.amazonaws.com']],
  ['actionPattern', actionPattern, ['s3:GetObject', 's3:Get*', 'ec2:Describe?nstances', '*', 'sts:AssumeRole'], ['s3', 's3:', ':GetObject', 's3:Get Object', '*:GetObject', 's3:Get-Object']],
  ['resourcePattern', resourcePattern, ['*', 'arn:aws:s3:::bucket/*', 'arn:aws:iam::111111111111:role/x', 'arn:aws:ec2:*:*:instance/*'], ['bucket', 'arn:aws:s3', 's3://bucket', '']],
  ['policyName', policyName, ['AmazonS3ReadOnlyAccess', 'service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::111111111111:policy/team/Boundary'], ['arn:aws:iam::111:policy/X', 'has space', 'arn:aws:s3:::bucket']],
  ['httpsUrl', httpsUrl, ['https://token.actions.githubusercontent.com', 'https://gitlab.example.com/path'], ['http://insecure.example.com', 'https://example.com/?q=1', 'token.actions.githubusercontent.com']],
  ['providerArn', providerArn, ['arn:aws:iam::111111111111:saml-provider/legacy', 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'], ['arn:aws:iam::111111111111:role/x', 'legacy', 'arn:aws:iam::1111:saml-provider/x']],
  ['tags', tags, [{}, { team: 'data', 'cost center': 'a b', owner: 'x@example.com' }], [{ team: 1 }, { 'aws:x': 'y' }, { 'bad#key': 'v' }, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))]],
  ['bucketScope', bucketScope, ['analytics-prod', 'analytics-prod/reports/', 'a.b-c/x/y/'], ['Analytics', 'ab', 'analytics-prod/reports', 'analytics-prod/rep*/', '-bucket', 'bucket..name', '192.168.1.1', 'xn--bucket', 'bucket-s3alias']],
];

describe.each(table)('%s', (_name, schema, good, bad) => {
  it.each(good.map((v) => [JSON.stringify(v).slice(0, 60), v]))('accepts %s', (_label, value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });
  it.each(bad.map((v) => [JSON.stringify(v).slice(0, 60), v]))('refuses %s', (_label, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});

describe('bucket name rules say what is wrong', () => {
  it.each([
    ['Analytics', 'lowercase'],
    ['ab', '3 to 63'],
    ['bucket..name', '".."'],
    ['192.168.1.1', 'IP address'],
    ['sthree-bucket', 'may not start'],
    ['bucket--ol-s3', 'may not end'],
    ['-bucket', 'begins and ends'],
  ])('%s: %s', (name, fragment) => {
    expect(bucketNameProblem(name)).toContain(fragment);
  });
});

describe('trust kinds: the guard conditions are part of each schema', () => {
  const ok = (kind: keyof typeof trustKindSchemas, value: unknown) => trustKindSchemas[kind].safeParse(value).success;

  it('github needs a repo and exactly one of branch, environment, tag, ref; never a whole owner', () => {
    expect(ok('github', { github: { repo: 'acme/app', branch: 'main' } })).toBe(true);
    expect(ok('github', { github: { repo: 'acme/app', environment: 'prod' } })).toBe(true);
    expect(ok('github', { github: { repo: 'acme/app' } })).toBe(false);
    expect(ok('github', { github: { branch: 'main' } })).toBe(false);
    expect(ok('github', { github: { repo: 'acme/app', branch: 'main', tag: 'v1' } })).toBe(false);
    expect(ok('github', { github: { repo: 'acme/*', branch: 'main' } })).toBe(false);
    expect(ok('github', { github: { repo: 'acme/app', branch: '*' } })).toBe(false);
  });

  it('oidc needs audience and subject; a subject of "*" or of a whole owner is refused', () => {
    expect(ok('oidc', { oidc: { provider: 'p', audience: 'a', subject: 'repo:acme/app:ref:refs/heads/main' } })).toBe(true);
    expect(ok('oidc', { oidc: { provider: 'p', audience: 'a' } })).toBe(false);
    expect(ok('oidc', { oidc: { provider: 'p', subject: 's' } })).toBe(false);
    expect(ok('oidc', { oidc: { provider: 'p', audience: 'a', subject: '*' } })).toBe(false);
    expect(ok('oidc', { oidc: { provider: 'p', audience: 'a', subject: 'repo:acme/*' } })).toBe(false);
  });

  it('account is never a wildcard', () => {
    expect(ok('account', { account: 'partner', externalId: 'xx' })).toBe(true);
    expect(ok('account', { account: '*' })).toBe(false);
    expect(ok('account', { account: '1111*' })).toBe(false);
  });

  it('cognito needs a REGION:UUID identity pool', () => {
    expect(ok('cognito', { cognito: { identityPool: 'us-east-1:12345678-1234-1234-1234-123456789012' } })).toBe(true);
    expect(ok('cognito', { cognito: { identityPool: '12345678-1234-1234-1234-123456789012' } })).toBe(false);
  });

  it('guards belong to the entry, not to the kind value', () => {
    expect(ok('user', { user: 'alice', mfa: { maxAge: '1h' }, expires: '2027-01-01', sourceIp: ['203.0.113.0/24'], tagSession: true })).toBe(true);
    expect(ok('user', { user: 'alice', mfa: 'yes' })).toBe(false);
    expect(ok('user', { user: 'alice', externalId: 'xx' })).toBe(false);
  });
});

describe('wildcards that let in identities nobody named are refused', () => {
  const oidc = (subject: string) => trustKindSchemas.oidc.safeParse({ oidc: { provider: 'p', audience: 'a', subject } }).success;
  const github = (field: string, value: string) =>
    trustKindSchemas.github.safeParse({ github: { repo: 'acme/app', [field]: value } }).success;

  it.each(['*', '*:*', '**', '?*', '*:acme', 'repo:acme/**', 'repo:acme/*?', 'repo:acme/app*:ref:x', 'repo:*'])('oidc subject %s', (subject) => {
    expect(oidc(subject)).toBe(false);
  });

  it.each(['repo:acme/app:ref:refs/heads/main', 'repo:acme/app:ref:refs/heads/release/*', 'project_path:acme/app:ref_type:branch:ref:main'])(
    'oidc subject %s is fine',
    (subject) => {
      expect(oidc(subject)).toBe(true);
    },
  );

  it.each([
    ['branch', '**'],
    ['branch', '?*'],
    ['environment', '*'],
    ['tag', '*'],
    ['ref', 'refs/*'],
    ['ref', 'refs/heads/*'],
  ])('github %s: %s', (field, value) => {
    expect(github(field, value)).toBe(false);
  });

  it.each([
    ['branch', 'release/*'],
    ['tag', 'v*'],
    ['ref', 'refs/pull/1/merge'],
  ])('github %s: %s is fine', (field, value) => {
    expect(github(field, value)).toBe(true);
  });
});
