/**
 * The trust rules (account-root-trust, service-without-source, source-ip-wide,
 * external-escalation, mfa-bypass) on the cases that must fire and the close
 * cases that must not.
 */
import { securityFindings } from '../../../src/analysers/rules';
import type { SecurityFinding } from '../../../src/analysers/rules/rule';
import { sendsSourceContext } from '../../../src/analysers/rules/serviceSourceSupport';
import { wideness } from '../../../src/analysers/rules/trustGuards';
import { compileYaml } from '../../support/compileYaml';

const PROD = `accounts:
  - name: prod
    id: "222222222222"
`;

const TWO = `accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
`;

async function findings(rule: string, yaml: string): Promise<SecurityFinding[]> {
  const result = await compileYaml({ 'org.yaml': yaml });
  if (result.configErrors.length > 0 || !result.model) throw new Error(result.configErrors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  return securityFindings(result.model, result.catalog!).filter((f) => f.rule === rule);
}

describe('account-root-trust', () => {
  const role = (guard: string) => `${PROD}users:
  - name: ops
    allow:
      - actions: [sts:AssumeRole]
        resources: ["*"]
roles:
  - name: deploy
    trust:
      - account: prod
${guard}    managedPolicies: [ReadOnlyAccess]
`;
  it('fires on a trust in the own account without a condition, at the entry, naming who gets in today', async () => {
    const found = await findings('account-root-trust', role(''));
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'account'] });
    expect(found[0]!.subject).toEqual({ kind: 'role', account: 'prod', name: 'deploy' });
    expect(found[0]!.message).toMatch(/trusts its own account prod/);
    expect(found[0]!.message).toMatch(/today: user prod\/ops/);
  });
  it('an externalId is no guard inside the account (anyone who reads the trust reads it)', async () => {
    expect(await findings('account-root-trust', role('        externalId: not-a-secret\n'))).toHaveLength(1);
  });
  it.each([
    ['mfa', '        mfa: true\n'],
    ['sourceIp', '        sourceIp: [203.0.113.0/24]\n'],
    ['expires', '        expires: 2027-06-30\n'],
  ])('stays quiet with %s', async (_name, guard) => {
    expect(await findings('account-root-trust', role(guard))).toEqual([]);
  });
  it('stays quiet on a trust in another managed account', async () => {
    expect(
      await findings(
        'account-root-trust',
        `${TWO}roles:
  - name: deploy
    account: prod
    trust:
      - account: identity
    managedPolicies: [ReadOnlyAccess]
`,
      ),
    ).toEqual([]);
  });
});

describe('service-without-source', () => {
  const service = (name: string, guard = '') => `${PROD}roles:
  - name: worker
    trust:
      - service: ${name}
${guard}    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::work-bucket/*"]
`;
  it('fires on lambda without sourceAccount or sourceArn, at the service key', async () => {
    const found = await findings('service-without-source', service('lambda.amazonaws.com'));
    expect(found).toHaveLength(1);
    expect(found[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'service'] });
    expect(found[0]!.message).toMatch(/lambda\.amazonaws\.com without sourceAccount or sourceArn/);
    expect(found[0]!.message).toMatch(/sourceAccount: prod/);
  });
  it('fires on ECS tasks too (the default: a service sends the keys)', async () => {
    expect(await findings('service-without-source', service('ecs-tasks.amazonaws.com'))).toHaveLength(1);
  });
  it('stays quiet on lambda with sourceAccount', async () => {
    expect(await findings('service-without-source', service('lambda.amazonaws.com', '        sourceAccount: prod\n'))).toEqual([]);
  });
  it('stays quiet on lambda with sourceArn', async () => {
    expect(await findings('service-without-source', service('lambda.amazonaws.com', '        sourceArn: "arn:aws:lambda:eu-west-1:222222222222:function:ingest-*"\n'))).toEqual([]);
  });
  it('stays quiet on ec2 without them: EC2 never sends them for an instance profile', async () => {
    expect(await findings('service-without-source', service('ec2.amazonaws.com'))).toEqual([]);
  });
  it('knows the exceptions in the China partition too, and nothing else', () => {
    expect(sendsSourceContext('ec2.amazonaws.com.cn')).toBe(false);
    expect(sendsSourceContext('cloudtrail.amazonaws.com')).toBe(false);
    expect(sendsSourceContext('lambda.amazonaws.com')).toBe(true);
    expect(sendsSourceContext('ec2messages.amazonaws.com')).toBe(true);
  });
});

describe('source-ip-wide', () => {
  it.each([
    ['0.0.0.0/0', 'matches every address'],
    ['::/0', 'matches every address'],
    ['10.0.0.0/7', 'wider than a /8 (IPv4)'],
    ['2000::/15', 'wider than a /16 (IPv6)'],
  ])('%s is too wide', (range, why) => {
    expect(wideness(range)).toContain(why);
  });
  it.each(['10.0.0.0/8', '203.0.113.0/24', '203.0.113.7', '2001:db8::/16', '2001:db8::/32', '2001:db8::1'])('%s is narrow enough', (range) => {
    expect(wideness(range)).toBeUndefined();
  });
  it('fires once per range of an entry, at that item, even for several users', async () => {
    const found = await findings(
      'source-ip-wide',
      `${PROD}users:
  - name: alice
  - name: bob
roles:
  - name: deploy
    trust:
      - users: [alice, bob]
        sourceIp: [203.0.113.0/24, 0.0.0.0/0]
`,
    );
    expect(found.map((f) => f.source)).toEqual([{ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'sourceIp', 1] }]);
    expect(found[0]!.message).toMatch(/sourceIp 0\.0\.0\.0\/0 on the trust of role prod\/deploy matches every address/);
  });
  it('stays quiet on an office range', async () => {
    expect(
      await findings(
        'source-ip-wide',
        `${PROD}users:
  - name: alice
roles:
  - name: deploy
    trust:
      - user: alice
        sourceIp: [10.0.0.0/8, "2001:db8::/32"]
`,
      ),
    ).toEqual([]);
  });
});

describe('external-escalation', () => {
  const VENDOR = `${PROD}  - name: vendor
    id: "333333333333"
    external: true
`;
  const vendorRole = (allow: string, more = '') => `${VENDOR}roles:
  - name: vendor-access
    trust:
      - account: vendor
        externalId: vendor-7f3a
${allow}${more}`;
  it('fires on an external account reaching a role that can rewrite its own policy, at the trust entry', async () => {
    const found = await findings('external-escalation', vendorRole('    allow:\n      - actions: [iam:PutRolePolicy]\n        resources: ["*"]\n'));
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'account'] });
    expect(found[0]!.message).toMatch(/external account vendor/);
    expect(found[0]!.message).toMatch(/can escalate \(privesc-put-role-policy\)/);
  });
  it('fires on an external account reaching a full admin', async () => {
    const found = await findings('external-escalation', vendorRole('    managedPolicies: [AdministratorAccess]\n'));
    expect(found.map((f) => f.message)).toEqual([expect.stringMatching(/is full admin/)]);
  });
  it('fires on an undeclared account id', async () => {
    const found = await findings(
      'external-escalation',
      `${PROD}roles:
  - name: vendor-access
    trust:
      - account: "444444444444"
        externalId: vendor-7f3a
    managedPolicies: [AdministratorAccess]
`,
    );
    expect(found).toHaveLength(1);
  });
  it('fires through a chain: the outsider role may assume an admin role, named in the message', async () => {
    const found = await findings(
      'external-escalation',
      vendorRole(
        '    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::reports/*"]\n',
        `  - name: admin
    trust:
      - role: vendor-access
    managedPolicies: [AdministratorAccess]
`,
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'account'] });
    expect(found[0]!.subject.name).toBe('vendor-access');
    expect(found[0]!.message).toMatch(/reaches role prod\/admin through role prod\/vendor-access → role prod\/admin, which is full admin/);
  });
  it('fires on GitHub Actions reaching an admin role', async () => {
    const found = await findings(
      'external-escalation',
      `${PROD}providers:
  - name: github
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
roles:
  - name: deploy
    trust:
      - github: { repo: acme/app, branch: main }
    managedPolicies: [AdministratorAccess]
`,
    );
    expect(found.map((f) => f.source.path)).toEqual([['roles', 0, 'trust', 0, 'github']]);
  });
  it('stays quiet when the outsider role can only read', async () => {
    expect(await findings('external-escalation', vendorRole('    allow:\n      - actions: [iam:GetRolePolicy, s3:GetObject]\n        resources: ["*"]\n'))).toEqual([]);
  });
  it('stays quiet when the outsider role reaches nothing powerful and the admin trusts someone else', async () => {
    const yaml = vendorRole(
      '    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::reports/*"]\n',
      `  - name: admin
    trust:
      - user: alice
    managedPolicies: [AdministratorAccess]
users:
  - name: alice
`,
    );
    expect(await findings('external-escalation', yaml)).toEqual([]);
  });
  it('stays quiet on a managed account and on a service reaching an admin role', async () => {
    const yaml = `${TWO}roles:
  - name: admin
    account: prod
    trust:
      - account: identity
      - service: ec2.amazonaws.com
    managedPolicies: [AdministratorAccess]
`;
    expect(await findings('external-escalation', yaml)).toEqual([]);
  });
});

describe('mfa-bypass', () => {
  it('fires when a second entry admits the same user without MFA, pointing at both', async () => {
    const found = await findings(
      'mfa-bypass',
      `${PROD}users:
  - name: alice
  - name: bob
roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - users: [bob, alice]
    managedPolicies: [ReadOnlyAccess]
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'user'] });
    expect(found[0]!.related).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 1, 'users', 1] });
    expect(found[0]!.message).toMatch(/user prod\/alice also gets in without MFA, into role prod\/admin through its trust in user prod\/alice \(no mfa\)/);
  });
  it('fires when the user’s own policy uses a trust in its account without MFA, naming the policy', async () => {
    const found = await findings(
      'mfa-bypass',
      `${PROD}users:
  - name: alice
    allow:
      - actions: [sts:AssumeRole]
        resources: ["*"]
roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - account: prod
    managedPolicies: [ReadOnlyAccess]
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/through its trust in account prod \(no mfa\), allowed by its own policy rolecall-permissions/);
  });
  it('stays quiet when the only statement that uses the account trust is the MFA one rolecall writes', async () => {
    const yaml = `${PROD}users:
  - name: alice
roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - account: prod
    managedPolicies: [ReadOnlyAccess]
`;
    expect(await findings('mfa-bypass', yaml)).toEqual([]);
  });
  it('fires through a chain of roles without MFA, naming the chain', async () => {
    const found = await findings(
      'mfa-bypass',
      `${PROD}users:
  - name: alice
roles:
  - name: jump
    trust:
      - user: alice
  - name: admin
    trust:
      - user: alice
        mfa: true
      - role: jump
    managedPolicies: [ReadOnlyAccess]
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.subject.name).toBe('admin');
    // The way into this role that asks for no MFA: the last step of the chain.
    expect(found[0]!.related).toEqual({ file: 'org.yaml', path: ['roles', 1, 'trust', 1, 'role'] });
    expect(found[0]!.message).toMatch(/into role prod\/jump through its trust in user prod\/alice \(no mfa\), then into role prod\/admin through its trust in role prod\/jump/);
  });
  it('fires on an account grant with MFA when one of its principals has a direct way without it', async () => {
    const found = await findings(
      'mfa-bypass',
      `${TWO}users:
  - name: alice
    account: identity
roles:
  - name: admin
    account: prod
    trust:
      - account: identity
        mfa: true
      - user: identity/alice
    managedPolicies: [ReadOnlyAccess]
`,
    );
    expect(found.map((f) => f.source.path)).toEqual([['roles', 0, 'trust', 0, 'account']]);
    expect(found[0]!.message).toMatch(/user identity\/alice also gets in without MFA/);
  });
  it('stays quiet when the other way is closed to a user who must sign in with MFA (requireMfa)', async () => {
    const yaml = `${PROD}users:
  - name: alice
    requireMfa: true
roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - role: jump
  - name: jump
    trust:
      - user: alice
`;
    expect(await findings('mfa-bypass', yaml)).toEqual([]);
  });
  it('ends on a cycle of roles that may assume each other, and stays quiet when none leads in', async () => {
    const yaml = `${PROD}users:
  - name: alice
roles:
  - name: a
    trust:
      - user: alice
      - account: prod
    allow:
      - actions: [sts:AssumeRole]
        resources: ["arn:aws:iam::222222222222:role/b"]
  - name: b
    trust:
      - account: prod
    allow:
      - actions: [sts:AssumeRole]
        resources: ["arn:aws:iam::222222222222:role/a"]
  - name: admin
    trust:
      - user: alice
        mfa: true
    managedPolicies: [ReadOnlyAccess]
`;
    expect(await findings('mfa-bypass', yaml)).toEqual([]);
  });
  it('stays quiet when the only way in requires MFA, and when another principal’s way does not', async () => {
    const yaml = `${PROD}users:
  - name: alice
  - name: bob
roles:
  - name: admin
    trust:
      - user: alice
        mfa: true
      - user: bob
    managedPolicies: [ReadOnlyAccess]
`;
    expect(await findings('mfa-bypass', yaml)).toEqual([]);
  });
});
