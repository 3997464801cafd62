/**
 * mfa on a role chain: refused when the source role's sessions can never
 * carry aws:MultiFactorAuthPresent (reached only through SAML, OIDC, GitHub,
 * Cognito or a service), however many roles down the chain.
 */
import type { Grant, Grantee } from '../../../src/model/accessModel';
import { mfaCapableRoles } from '../../../src/model/trust/mfaReach';
import { compileValid, compileYaml } from '../../support/compileYaml';

const ACCOUNTS_AND_OKTA = `accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
providers:
  - name: okta
    account: identity
    existing: arn:aws:iam::111111111111:saml-provider/okta
`;
const HEAD = `${ACCOUNTS_AND_OKTA}users:
  - name: alice
    account: identity
`;

describe('mfa through a chain of roles', () => {
  it('stays clean when the source role is also trusted by a user', async () => {
    const model = await compileValid({
      'org.yaml': `${HEAD}roles:
  - name: staff
    account: identity
    trust:
      - saml: { provider: okta }
      - user: alice
  - name: ops
    account: prod
    trust:
      - role: identity/staff
        mfa: true
`,
    });
    expect(model.grants.filter((g) => g.role.name === 'ops').map((g) => g.conditions.mfa)).toEqual([{}]);
  });

  it('stays clean two steps down when the chain starts at an account principal', async () => {
    await compileValid({
      'org.yaml': `${HEAD}roles:
  - name: staff
    account: identity
    trust:
      - account: prod
  - name: ops
    account: identity
    trust:
      - role: staff
  - name: admin
    account: prod
    trust:
      - roles: [identity/ops]
        mfa: { maxAge: 1h }
`,
    });
  });

  it('is refused across accounts, naming every way into the source role', async () => {
    const result = await compileYaml({
      'org.yaml': `${ACCOUNTS_AND_OKTA}  - name: github
    account: identity
    oidc: { url: https://token.actions.githubusercontent.com, audiences: [sts.amazonaws.com] }
roles:
  - name: staff
    account: identity
    trust:
      - saml: { provider: okta }
      - github: { repo: acme/deploy, branch: main }
      - service: ec2.amazonaws.com
  - name: ops
    account: prod
    trust:
      - role: identity/staff
        mfa: true
`,
    });
    // The value of ops's mfa: line 24 of the file.
    expect(result.errors.map((f) => [f.rule, f.line, f.column])).toEqual([['mfa-not-applicable', 24, 14]]);
    expect(result.errors[0]!.message).toContain(
      'identity/staff is reached only through GitHub Actions (OIDC provider github) and SAML provider okta and service ec2.amazonaws.com, whose sessions never carry aws:MultiFactorAuthPresent',
    );
  });

  it('a role without mfa down the same chain is fine', async () => {
    await compileValid({
      'org.yaml': `${HEAD}roles:
  - name: staff
    account: identity
    trust:
      - saml: { provider: okta }
  - name: ops
    account: identity
    trust:
      - role: staff
`,
    });
  });
});

describe('mfaCapableRoles: the fixpoint', () => {
  const role = (account: string, name: string): Grantee => ({ kind: 'role', account, name, arn: `arn:aws:iam::1:role/${name}` });
  const grant = (into: string, grantee: Grantee): Grant =>
    ({ role: { account: 'a', name: into, arn: `arn:aws:iam::1:role/${into}` }, grantee }) as Grant;
  const saml: Grantee = { kind: 'saml', provider: 'okta', providerArn: 'arn' };
  const user: Grantee = { kind: 'user', account: 'a', name: 'alice', arn: 'arn' };

  it('follows chains in any order of grants, and never out of a cycle no MFA enters', () => {
    const grants = [
      grant('c', role('a', 'b')),
      grant('b', role('a', 'a')),
      grant('a', user),
      grant('x', saml),
      grant('y', role('a', 'x')),
      grant('p', role('a', 'q')),
      grant('q', role('a', 'p')),
    ];
    expect([...mfaCapableRoles(grants)].sort()).toEqual(['a/a', 'a/b', 'a/c']);
    expect([...mfaCapableRoles([...grants].reverse())].sort()).toEqual(['a/a', 'a/b', 'a/c']);
  });

  it('an account principal carries MFA like a user; web identity and services never do', () => {
    const account: Grantee = { kind: 'account', account: 'b', accountId: '2', external: true, arn: 'arn' };
    const web: Grantee = { kind: 'web-identity', provider: 'p', providerArn: 'arn', subjects: [], audiences: [] };
    const service: Grantee = { kind: 'service', service: 'ec2.amazonaws.com' };
    expect([...mfaCapableRoles([grant('r', account), grant('s', web), grant('t', service)])]).toEqual(['a/r']);
  });
});
