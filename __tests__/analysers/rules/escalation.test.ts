/** The escalation rules on the close cases the published paths draw: resource scope and power decide. */
import { securityFindings } from '../../../src/analysers/rules';
import { compileYaml } from '../../support/compileYaml';

const ACCOUNTS = `accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
`;

async function rulesFired(yaml: string): Promise<string[]> {
  const result = await compileYaml({ 'org.yaml': ACCOUNTS + yaml });
  const errors = result.errors.filter((e) => !e.rule.startsWith('privesc-'));
  if (errors.length > 0 || !result.model) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  // The escalation rules only: other rules (full-admin, action-resource-mismatch) have their own tests.
  return securityFindings(result.model, result.catalog!).filter((f) => f.rule.startsWith('privesc-')).map((f) => `${f.subject.name} ${f.severity} ${f.rule}`);
}

const lambdaRole = (name: string, allow: string) => `
  - name: ${name}
    account: identity
    trust:
      - service: lambda.amazonaws.com
        sourceAccount: identity
    allow:
${allow}`;

const developer = (passRoleOn: string) => `users:
  - name: dev
    account: identity
    allow:
      - actions: [iam:PassRole]
        resources: ["${passRoleOn}"]
      - actions: [lambda:CreateFunction, lambda:InvokeFunction]
        resources: ["*"]
`;

describe('iam:PassRole with lambda:CreateFunction and InvokeFunction', () => {
  it('limited to a role that holds nothing dangerous: no escalation', async () => {
    const fired = await rulesFired(developer('arn:aws:iam::111111111111:role/logs-only') + 'roles:' + lambdaRole('logs-only', '      - actions: [logs:PutLogEvents]\n        resources: ["*"]\n'));
    expect(fired.filter((f) => f.startsWith('dev '))).toEqual([]);
  });
  it('on a role that can rewrite IAM: an escalation, found at the PassRole statement', async () => {
    const result = await compileYaml({
      'org.yaml': ACCOUNTS + developer('arn:aws:iam::111111111111:role/iam-admin') + 'roles:' + lambdaRole('iam-admin', '      - actions: ["iam:*"]\n        resources: ["*"]\n'),
    });
    const findings = securityFindings(result.model!, result.catalog!).filter((f) => f.subject.name === 'dev');
    expect(findings.map((f) => f.rule)).toEqual(['privesc-passrole-lambda-create-function-invoke']);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['users', 0, 'allow', 0] });
    expect(findings[0]!.message).toMatch(/role identity\/iam-admin/);
  });
  it('on a pattern that matches no role of the config but may match others (*): an escalation', async () => {
    expect(await rulesFired(developer('*'))).toContain('dev error privesc-passrole-lambda-create-function-invoke');
  });
  it('on a role of another account: PassRole never crosses accounts', async () => {
    const fired = await rulesFired(developer('arn:aws:iam::222222222222:role/*'));
    expect(fired.filter((f) => f.startsWith('dev '))).toEqual([]);
  });
});

describe('sts:AssumeRole', () => {
  it('on * with a break-glass role trusting the account: an escalation into it', async () => {
    const fired = await rulesFired(`users:
  - name: mallory
    account: identity
    allow:
      - actions: [sts:AssumeRole]
        resources: ["*"]
roles:
  - name: break-glass
    account: prod
    trust:
      - account: identity
    managedPolicies: [AdministratorAccess]
`);
    expect(fired).toContain('mallory error privesc-assume-role');
  });
  it('a role the YAML grants by name is intended access, not an escalation', async () => {
    const fired = await rulesFired(`users:
  - name: alice
    account: identity
roles:
  - name: admin
    account: prod
    trust:
      - user: identity/alice
    managedPolicies: [AdministratorAccess]
`);
    expect(fired.filter((f) => f.startsWith('alice '))).toEqual([]);
  });
});

describe('self-escalation', () => {
  it('iam:PutUserPolicy on its own user escalates; on a role holder it cannot', async () => {
    expect(await rulesFired(`users:
  - name: selfedit
    account: identity
    allow:
      - actions: [iam:PutUserPolicy]
        resources: ["arn:aws:iam::111111111111:user/selfedit"]
`)).toEqual(['selfedit error privesc-put-user-policy']);
    const fired = await rulesFired(`roles:
  - name: r
    account: identity
    trust:
      - service: ec2.amazonaws.com
    allow:
      - actions: [iam:PutUserPolicy]
        resources: ["arn:aws:iam::111111111111:role/r"]
`);
    expect(fired).toEqual([]);
  });
  it('a full admin is not reported path by path', async () => {
    const fired = await rulesFired(`roles:
  - name: admin
    account: identity
    trust:
      - service: ec2.amazonaws.com
    managedPolicies: [AdministratorAccess]
`);
    expect(fired).toEqual([]);
  });
});
