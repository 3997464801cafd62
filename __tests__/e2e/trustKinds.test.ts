/**
 * Every trust kind and every trust condition, end to end: YAML → model →
 * synthesized cdk.tf.json. Each test parses the emitted policy JSON and
 * asserts its properties: the trust statement, and the caller's side of the
 * grant where rolecall writes it.
 */
import { removeSynthesizedDirs, synthesizeToTempDir, type Synthesized } from '../stacks/synthesized';
import { compileValid, TWO_ACCOUNTS } from '../support/compileYaml';
import { terraformName } from '../../stacks/logicalId';
import type { Policy, Statement } from '../support/policyJson';


const CONFIG = `${TWO_ACCOUNTS}
providers:
  - name: github
    account: prod
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
  - name: gitlab
    account: prod
    oidc: { url: https://gitlab.example.com, audiences: [https://gitlab.example.com] }
  - name: legacy-saml
    account: prod
    existing: arn:aws:iam::222222222222:saml-provider/legacy
users:
  - name: alice
    account: identity
  - name: bob
    account: identity
    path: /people/
  - name: carol
    account: prod
roles:
  - name: source-role
    account: identity
    trust:
      - user: alice
  - name: by-user
    account: prod
    trust:
      - user: identity/alice
  - name: by-users
    account: prod
    trust:
      - users: [identity/alice, identity/bob]
  - name: by-role
    account: prod
    trust:
      - role: identity/source-role
  - name: by-roles
    account: prod
    trust:
      - roles: [identity/source-role]
  - name: by-local-user
    account: prod
    trust:
      - user: carol
  - name: by-account
    account: prod
    trust:
      - account: identity
  - name: by-partner
    account: prod
    trust:
      - account: partner
        externalId: partner-ext-1
  - name: by-undeclared-id
    account: prod
    trust:
      - account: "444444444444"
        externalId: other-ext-2
  - name: by-service
    account: prod
    trust:
      - service: ec2.amazonaws.com
  - name: by-guarded-service
    account: prod
    trust:
      - service: lambda.amazonaws.com
        sourceAccount: prod
        sourceArn: arn:aws:lambda:eu-west-1:222222222222:function:*
  - name: by-github-branch
    account: prod
    trust:
      - github: { repo: acme/app, branch: main }
  - name: by-github-environment
    account: prod
    trust:
      - github: { repo: acme/app, environment: production }
  - name: by-github-tag
    account: prod
    trust:
      - github: { repo: acme/app, tag: "v*" }
  - name: by-github-ref
    account: prod
    trust:
      - github: { repo: acme/app, ref: refs/pull/1/merge, provider: github }
  - name: by-oidc
    account: prod
    trust:
      - oidc: { provider: gitlab, audience: https://gitlab.example.com, subject: "project_path:acme/app:ref_type:branch:ref:main" }
  - name: by-cognito
    account: prod
    trust:
      - cognito: { identityPool: "eu-west-1:12345678-1234-1234-1234-123456789012" }
  - name: by-cognito-guest
    account: prod
    trust:
      - cognito: { identityPool: "eu-west-1:12345678-1234-1234-1234-123456789012", authenticated: false }
  - name: by-saml
    account: prod
    trust:
      - saml: { provider: legacy-saml }
  - name: with-mfa
    account: prod
    trust:
      - user: identity/alice
        mfa: true
  - name: with-mfa-age
    account: prod
    trust:
      - user: identity/alice
        mfa: { maxAge: 30m }
  - name: with-expiry
    account: prod
    trust:
      - user: identity/alice
        expires: 2027-01-15
  - name: with-expiry-time
    account: prod
    trust:
      - user: identity/alice
        expires: 2027-01-15T18:30:00+02:00
  - name: with-source-ip
    account: prod
    trust:
      - user: identity/alice
        sourceIp: [203.0.113.0/24, 2001:db8::/32]
  - name: with-tag-session
    account: prod
    trust:
      - user: identity/alice
        tagSession: true
      - github: { repo: acme/app, branch: main }
        tagSession: true
  - name: with-notes
    account: prod
    trust:
      - user: identity/alice
        reason: quarterly audit
        ticket: SEC-42
        owner: security@example.com
  - name: with-everything
    account: prod
    trust:
      - account: partner
        externalId: partner-ext-1
        mfa: true
        expires: 2027-01-15
        sourceIp: [198.51.100.7/32]
`;

let out: Synthesized;

beforeAll(async () => {
  const model = await compileValid({ 'org.yaml': CONFIG });
  out = synthesizeToTempDir(model);
});
afterAll(removeSynthesizedDirs);

function trustOf(role: string, account = 'prod'): Policy {
  const resource = out.resource(account, 'aws_iam_role', terraformName('role', role));
  return JSON.parse(resource['assume_role_policy'] as string) as Policy;
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** The caller's inline AssumeRole policy (user or role), or undefined when rolecall writes none. */
function callerPolicy(kind: 'user' | 'role', account: string, name: string): Policy | undefined {
  const type = kind === 'user' ? 'aws_iam_user_policy' : 'aws_iam_role_policy';
  const found = out.stack(account).resource[type]?.[terraformName(kind, name, 'rolecall-assume-roles')];
  if (!found) return undefined;
  expect(found['name']).toBe('rolecall-assume-roles');
  return JSON.parse(found['policy'] as string) as Policy;
}

function statementsOn(policy: Policy | undefined, roleArn: string): Statement[] {
  return (policy?.Statement ?? []).filter((s) => s.Resource?.includes(roleArn));
}

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/people/bob';
const prodRole = (name: string) => `arn:aws:iam::222222222222:role/${name}`;

describe('user and role trust: both sides of the grant', () => {
  it('user: the trust names the user ARN, the user may assume the role', () => {
    const statement = only(trustOf('by-user').Statement);
    expect(statement).toEqual({ Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['sts:AssumeRole'] });
    const caller = only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('by-user')));
    expect(caller.Action).toEqual(['sts:AssumeRole']);
    expect(caller.Effect).toBe('Allow');
    expect(caller.Condition).toBeUndefined();
  });

  it('users: one statement names every user (with its path); each user gets its own side', () => {
    const statement = only(trustOf('by-users').Statement);
    expect(statement.Principal).toEqual({ AWS: [ALICE, BOB] });
    expect(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('by-users'))).toHaveLength(1);
    expect(statementsOn(callerPolicy('user', 'identity', 'bob'), prodRole('by-users'))).toHaveLength(1);
  });

  it('role / roles: role chaining writes the source role its AssumeRole policy', () => {
    for (const role of ['by-role', 'by-roles']) {
      const statement = only(trustOf(role).Statement);
      expect(statement.Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:role/source-role'] });
      expect(statement.Action).toEqual(['sts:AssumeRole']);
      expect(statementsOn(callerPolicy('role', 'identity', 'source-role'), prodRole(role))).toHaveLength(1);
    }
  });

  it('a bare name means the role\'s own account, and the role is created after the user', () => {
    const statement = only(trustOf('by-local-user').Statement);
    expect(statement.Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:user/carol'] });
    const role = out.resource('prod', 'aws_iam_role', terraformName('role', 'by-local-user'));
    expect(role['depends_on']).toEqual([`aws_iam_user.${terraformName('user', 'carol')}`]);
  });
});

describe('account and service trust', () => {
  it('account: the account root, nothing on the other side', () => {
    const statement = only(trustOf('by-account').Statement);
    expect(statement).toEqual({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: ['sts:AssumeRole'] });
  });

  it('an external account requires its external id as sts:ExternalId', () => {
    const statement = only(trustOf('by-partner').Statement);
    expect(statement.Principal).toEqual({ AWS: ['arn:aws:iam::333333333333:root'] });
    expect(statement.Condition).toEqual({ StringEquals: { 'sts:ExternalId': ['partner-ext-1'] } });
  });

  it('an undeclared 12-digit id is external too', () => {
    const statement = only(trustOf('by-undeclared-id').Statement);
    expect(statement.Principal).toEqual({ AWS: ['arn:aws:iam::444444444444:root'] });
    expect(statement.Condition).toEqual({ StringEquals: { 'sts:ExternalId': ['other-ext-2'] } });
  });

  it('service: the service principal; sourceAccount and sourceArn guard the confused deputy', () => {
    expect(only(trustOf('by-service').Statement)).toEqual({
      Effect: 'Allow',
      Principal: { Service: ['ec2.amazonaws.com'] },
      Action: ['sts:AssumeRole'],
    });
    const guarded = only(trustOf('by-guarded-service').Statement);
    expect(guarded.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ['222222222222'] },
      ArnLike: { 'aws:SourceArn': ['arn:aws:lambda:eu-west-1:222222222222:function:*'] },
    });
  });
});

describe('web identity and SAML trust', () => {
  const GITHUB = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';

  it.each([
    ['by-github-branch', 'StringEquals', 'repo:acme/app:ref:refs/heads/main'],
    ['by-github-environment', 'StringEquals', 'repo:acme/app:environment:production'],
    ['by-github-tag', 'StringLike', 'repo:acme/app:ref:refs/tags/v*'],
    ['by-github-ref', 'StringEquals', 'repo:acme/app:ref:refs/pull/1/merge'],
  ])('github %s: web identity with aud and a %s sub of %s', (role, operator, subject) => {
    const statement = only(trustOf(role).Statement);
    expect(statement.Principal).toEqual({ Federated: [GITHUB] });
    expect(statement.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.Condition?.['StringEquals']?.['token.actions.githubusercontent.com:aud']).toEqual(['sts.amazonaws.com']);
    expect(statement.Condition?.[operator]?.['token.actions.githubusercontent.com:sub']).toEqual([subject]);
    const resource = out.resource('prod', 'aws_iam_role', terraformName('role', role));
    expect(resource['depends_on']).toEqual([`aws_iam_openid_connect_provider.${terraformName('provider', 'github')}`]);
  });

  it('oidc: the provider ARN, its aud and sub keys', () => {
    const statement = only(trustOf('by-oidc').Statement);
    expect(statement.Principal).toEqual({ Federated: ['arn:aws:iam::222222222222:oidc-provider/gitlab.example.com'] });
    expect(statement.Condition).toEqual({
      StringEquals: {
        'gitlab.example.com:aud': ['https://gitlab.example.com'],
        'gitlab.example.com:sub': ['project_path:acme/app:ref_type:branch:ref:main'],
      },
    });
  });

  it('cognito: the identity pool as aud, amr authenticated (or unauthenticated)', () => {
    const statement = only(trustOf('by-cognito').Statement);
    expect(statement.Principal).toEqual({ Federated: ['cognito-identity.amazonaws.com'] });
    expect(statement.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.Condition).toEqual({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': ['eu-west-1:12345678-1234-1234-1234-123456789012'] },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['authenticated'] },
    });
    const guest = only(trustOf('by-cognito-guest').Statement);
    expect(guest.Condition?.['ForAnyValue:StringLike']).toEqual({ 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] });
  });

  it('saml: AssumeRoleWithSAML with SAML:aud; an existing provider is referenced, not created', () => {
    const statement = only(trustOf('by-saml').Statement);
    expect(statement).toEqual({
      Effect: 'Allow',
      Principal: { Federated: ['arn:aws:iam::222222222222:saml-provider/legacy'] },
      Action: ['sts:AssumeRoleWithSAML'],
      Condition: { StringEquals: { 'SAML:aud': ['https://signin.aws.amazon.com/saml'] } },
    });
    expect(out.stack('prod').resource['aws_iam_saml_provider']).toBeUndefined();
  });
});

describe('trust conditions, written into the trust and mirrored on the caller side', () => {
  it('mfa: true → Bool aws:MultiFactorAuthPresent, both sides', () => {
    const expected = { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } };
    expect(only(trustOf('with-mfa').Statement).Condition).toEqual(expected);
    expect(only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('with-mfa'))).Condition).toEqual(expected);
  });

  it('mfa.maxAge → NumericLessThan aws:MultiFactorAuthAge in seconds, both sides', () => {
    const expected = {
      Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
      NumericLessThan: { 'aws:MultiFactorAuthAge': ['1800'] },
    };
    expect(only(trustOf('with-mfa-age').Statement).Condition).toEqual(expected);
    expect(only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('with-mfa-age'))).Condition).toEqual(expected);
  });

  it('expires: a date is 00:00 UTC; a timestamp is taken as it is (in UTC), both sides', () => {
    expect(only(trustOf('with-expiry').Statement).Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': ['2027-01-15T00:00:00Z'] } });
    const timed = { DateLessThan: { 'aws:CurrentTime': ['2027-01-15T16:30:00Z'] } };
    expect(only(trustOf('with-expiry-time').Statement).Condition).toEqual(timed);
    expect(only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('with-expiry-time'))).Condition).toEqual(timed);
  });

  it('sourceIp → IpAddress aws:SourceIp, IPv4 and IPv6, both sides', () => {
    const expected = { IpAddress: { 'aws:SourceIp': ['2001:db8::/32', '203.0.113.0/24'] } };
    expect(only(trustOf('with-source-ip').Statement).Condition).toEqual(expected);
    expect(only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('with-source-ip'))).Condition).toEqual(expected);
  });

  it('tagSession adds sts:TagSession to the trust action, for AWS and web identity alike, and to the caller', () => {
    const statements = trustOf('with-tag-session').Statement;
    expect(statements).toHaveLength(2);
    for (const statement of statements) expect(statement.Action).toContain('sts:TagSession');
    expect(statements.map((s) => s.Action).sort()).toEqual([
      ['sts:AssumeRole', 'sts:TagSession'],
      ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
    ]);
    expect(only(statementsOn(callerPolicy('user', 'identity', 'alice'), prodRole('with-tag-session'))).Action).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
  });

  it('reason, ticket and owner are not emitted', () => {
    const json = out.resource('prod', 'aws_iam_role', terraformName('role', 'with-notes'))['assume_role_policy'] as string;
    expect(json).not.toMatch(/quarterly|SEC-42|security@/);
  });

  it('conditions combine: external id, MFA, expiry and source IP in one statement', () => {
    expect(only(trustOf('with-everything').Statement).Condition).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
      DateLessThan: { 'aws:CurrentTime': ['2027-01-15T00:00:00Z'] },
      IpAddress: { 'aws:SourceIp': ['198.51.100.7/32'] },
      StringEquals: { 'sts:ExternalId': ['partner-ext-1'] },
    });
  });
});

describe('policy documents are well formed', () => {
  it('every trust document: version 2012-10-17, a principal, no Resource', () => {
    const roles = out.stack('prod').resource['aws_iam_role'] ?? {};
    expect(Object.keys(roles).length).toBeGreaterThan(20);
    for (const role of Object.values(roles)) {
      const policy = JSON.parse(role['assume_role_policy'] as string) as Policy;
      expect(policy.Version).toBe('2012-10-17');
      for (const statement of policy.Statement) {
        expect(statement.Principal).toBeDefined();
        expect(statement.Resource).toBeUndefined();
        expect(JSON.stringify(statement.Principal)).not.toMatch(/"\*"/);
      }
    }
  });
});
