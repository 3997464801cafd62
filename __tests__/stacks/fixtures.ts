import type { PathSegment, SourceRef } from '../../src/diagnostics/diagnostic';
import type {
  AccessModel,
  Account,
  IdentityProvider,
  InlinePolicy,
  PolicyDocument,
  PolicyStatement,
  Role,
  User,
} from '../../src/model/accessModel';

/**
 * A hand-written AccessModel for the emitter's tests, independent of the
 * YAML front end. Two managed accounts and one external:
 * - tools: user alice (two inline policies, a managed policy, a boundary),
 *   user ci_bot.build (no policies at all), a SAML provider okta trusted by
 *   role sso-admin, an OIDC provider gitlab without thumbprints;
 * - prod: role deployer trusting alice cross-account (so prod's stack
 *   depends on tools'), role auditor trusting deployer in the same account,
 *   role github-actions trusting the OIDC provider github created in prod,
 *   role legacy-deployer trusting an `existing:` provider, role
 *   partner-support trusting the external account partner.
 */

const PROD = '111111111111';
const TOOLS = '222222222222';
const PARTNER = '333333333333';

function at(file: string, ...path: PathSegment[]): SourceRef {
  return { file, path };
}

/** Sorted keys, no white space: the shape the model promises for `json`. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function policyJson(document: PolicyDocument): string {
  return canonicalJson({
    Version: '2012-10-17',
    Statement: document.statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Action: s.actions,
      NotAction: s.notActions,
      Resource: s.resources,
      Principal: s.principals,
      Condition: s.conditions,
    })),
  });
}

function inline(name: string, source: SourceRef, statements: Omit<PolicyStatement, 'source'>[]): InlinePolicy {
  const document: PolicyDocument = { statements: statements.map((s) => ({ ...s, source })) };
  return { name, document, json: policyJson(document), source };
}

function trust(source: SourceRef, statements: Omit<PolicyStatement, 'source'>[]) {
  const trustPolicy: PolicyDocument = { statements: statements.map((s) => ({ ...s, source })) };
  return { trustPolicy, trustPolicyJson: policyJson(trustPolicy) };
}

const accounts: Account[] = [
  { name: 'partner', id: PARTNER, region: 'us-east-1', partition: 'aws', external: true, declared: true, source: at('accounts.yaml', 'accounts', 'partner') },
  { name: 'prod', id: PROD, region: 'eu-west-1', partition: 'aws', external: false, declared: true, source: at('accounts.yaml', 'accounts', 'prod') },
  { name: 'tools', id: TOOLS, region: 'us-east-1', partition: 'aws', external: false, declared: true, source: at('accounts.yaml', 'accounts', 'tools') },
];

/**
 * Shaped like an IdP's metadata; the provider rejects a document shorter
 * than 1,000 characters, which real metadata with its certificate never is.
 */
export const SAML_METADATA = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1example">',
  '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
  '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>',
  'MIIDpDCCAoygAwIBAgIGAXample'.padEnd(1024, 'A'),
  '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>',
  '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>',
  '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/app/sso/saml"/>',
  '</md:IDPSSODescriptor></md:EntityDescriptor>',
].join('\n');

const providers: IdentityProvider[] = [
  {
    name: 'github', account: 'prod', kind: 'oidc', managed: true,
    arn: `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`,
    url: 'https://token.actions.githubusercontent.com',
    conditionKeyPrefix: 'token.actions.githubusercontent.com',
    audiences: ['sts.amazonaws.com'],
    thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    source: at('providers.yaml', 'providers', 'github'),
  },
  {
    name: 'gitlab', account: 'tools', kind: 'oidc', managed: true,
    arn: `arn:aws:iam::${TOOLS}:oidc-provider/gitlab.example.com`,
    url: 'https://gitlab.example.com',
    conditionKeyPrefix: 'gitlab.example.com',
    audiences: ['https://gitlab.example.com'],
    source: at('providers.yaml', 'providers', 'gitlab'),
  },
  {
    name: 'legacy-oidc', account: 'prod', kind: 'oidc', managed: false,
    arn: `arn:aws:iam::${PROD}:oidc-provider/oidc.example.com`,
    conditionKeyPrefix: 'oidc.example.com',
    source: at('providers.yaml', 'providers', 'legacy-oidc'),
  },
  {
    name: 'okta', account: 'tools', kind: 'saml', managed: true,
    arn: `arn:aws:iam::${TOOLS}:saml-provider/okta`,
    samlMetadata: SAML_METADATA,
    source: at('providers.yaml', 'providers', 'okta'),
  },
];

const aliceSource = at('users.yaml', 'users', 'alice');
const alice: User = {
  kind: 'user', name: 'alice', account: 'tools', accountId: TOOLS, path: '/',
  arn: `arn:aws:iam::${TOOLS}:user/alice`,
  tags: { team: 'platform' },
  permissionsBoundaryArn: `arn:aws:iam::${TOOLS}:policy/boundary`,
  inlinePolicies: [
    inline('rolecall-assume-roles', aliceSource, [
      { effect: 'Allow', actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${PROD}:role/deployer`] },
    ]),
    inline('rolecall-require-mfa', aliceSource, [
      {
        effect: 'Deny', notActions: ['iam:ListMFADevices', 'sts:GetSessionToken'], resources: ['*'],
        conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } },
      },
    ]),
  ],
  managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', source: aliceSource }],
  requireMfa: true,
  source: aliceSource,
};

const ciBot: User = {
  kind: 'user', name: 'ci_bot.build', account: 'tools', accountId: TOOLS, path: '/automation/',
  arn: `arn:aws:iam::${TOOLS}:user/automation/ci_bot.build`,
  tags: {}, inlinePolicies: [], managedPolicies: [], requireMfa: false,
  source: at('users.yaml', 'users', 'ci_bot.build'),
};

function role(fields: Omit<Role, 'kind' | 'arn' | 'accountId' | 'path' | 'tags' | 'inlinePolicies' | 'managedPolicies' | 'maxSessionDuration'> & Partial<Role>): Role {
  const accountId = fields.account === 'prod' ? PROD : TOOLS;
  const path = fields.path ?? '/';
  return {
    kind: 'role', accountId, path, tags: {}, inlinePolicies: [], managedPolicies: [], maxSessionDuration: 3600,
    arn: `arn:aws:iam::${accountId}:role${path}${fields.name}`,
    ...fields,
  };
}

const roleSource = (name: string) => at('roles.yaml', 'roles', name);

const roles: Role[] = [
  role({
    name: 'auditor', account: 'prod', source: roleSource('auditor'),
    ...trust(roleSource('auditor'), [
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: { AWS: [`arn:aws:iam::${PROD}:role/deployer`] } },
    ]),
    managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/SecurityAudit', source: roleSource('auditor') }],
    createAfter: [{ kind: 'role', account: 'prod', name: 'deployer' }],
  }),
  role({
    name: 'deployer', account: 'prod', source: roleSource('deployer'),
    description: 'Deploys releases from the tools account',
    tags: { owner: 'platform' },
    ...trust(roleSource('deployer'), [
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: { AWS: [`arn:aws:iam::${TOOLS}:user/alice`] } },
    ]),
    inlinePolicies: [
      inline('deploy', roleSource('deployer'), [
        { effect: 'Allow', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::releases/*'] },
      ]),
    ],
    managedPolicies: [
      { arn: 'arn:aws:iam::aws:policy/AWSLambda_FullAccess', source: roleSource('deployer') },
      { arn: 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess', source: roleSource('deployer') },
    ],
    createAfter: [],
  }),
  role({
    name: 'github-actions', account: 'prod', path: '/ci/', maxSessionDuration: 7200, source: roleSource('github-actions'),
    ...trust(roleSource('github-actions'), [
      {
        effect: 'Allow', actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: { Federated: [`arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`] },
        conditions: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'] },
          StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:example/app:ref:refs/heads/main'] },
        },
      },
    ]),
    inlinePolicies: [
      inline('publish', roleSource('github-actions'), [
        { effect: 'Allow', actions: ['ecr:PutImage'], resources: [`arn:aws:ecr:eu-west-1:${PROD}:repository/app`] },
      ]),
    ],
    createAfter: [{ kind: 'provider', account: 'prod', name: 'github' }],
  }),
  role({
    name: 'legacy-deployer', account: 'prod', source: roleSource('legacy-deployer'),
    ...trust(roleSource('legacy-deployer'), [
      {
        effect: 'Allow', actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: { Federated: [`arn:aws:iam::${PROD}:oidc-provider/oidc.example.com`] },
        conditions: { StringEquals: { 'oidc.example.com:aud': ['legacy'] } },
      },
    ]),
    createAfter: [],
  }),
  role({
    name: 'partner-support', account: 'prod', source: roleSource('partner-support'),
    ...trust(roleSource('partner-support'), [
      {
        effect: 'Allow', actions: ['sts:AssumeRole'], principals: { AWS: [`arn:aws:iam::${PARTNER}:root`] },
        conditions: { StringEquals: { 'sts:ExternalId': ['partner-7f3a'] } },
      },
    ]),
    managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', source: roleSource('partner-support') }],
    createAfter: [],
  }),
  role({
    name: 'sso-admin', account: 'tools', source: roleSource('sso-admin'),
    permissionsBoundaryArn: `arn:aws:iam::${TOOLS}:policy/boundary`,
    maxSessionDuration: 43200,
    ...trust(roleSource('sso-admin'), [
      {
        effect: 'Allow', actions: ['sts:AssumeRoleWithSAML'],
        principals: { Federated: [`arn:aws:iam::${TOOLS}:saml-provider/okta`] },
        conditions: { StringEquals: { 'SAML:aud': ['https://signin.aws.amazon.com/saml'] } },
      },
    ]),
    managedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', source: roleSource('sso-admin') }],
    createAfter: [{ kind: 'provider', account: 'tools', name: 'okta' }],
  }),
];

export const fixtureModel: AccessModel = {
  accounts,
  providers,
  users: [alice, ciBot],
  roles,
  // The emitter never reads grants; leaving them out keeps this fixture
  // independent of how the model describes them.
  grants: [],
  stacks: [
    { account: 'prod', accountId: PROD, region: 'eu-west-1', partition: 'aws', dependsOn: ['tools'], source: accounts[1].source },
    { account: 'tools', accountId: TOOLS, region: 'us-east-1', partition: 'aws', dependsOn: [], source: accounts[2].source },
  ],
};

export function findRole(name: string): Role {
  return roles.find((r) => r.name === name) as Role;
}

export function findUser(name: string): User {
  return fixtureModel.users.find((u) => u.name === name) as User;
}
