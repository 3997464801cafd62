import { diffAccess } from '../../src/analysers/accessDiff';
import { accessReport, type AccessReport } from '../../src/analysers/accessReport';
import { formatAccessMarkdown, formatAccessTable } from '../../src/analysers/formatAccess';
import { compileYaml } from '../support/compileYaml';
import { fired, findingsOf } from './rules/ruleHarness';

const MAIN = 'accounts:\n  - name: main\n    id: "123456789012"\n';

async function reportOf(yaml: string): Promise<AccessReport> {
  const result = await compileYaml({ 'org.yaml': yaml });
  if (result.configErrors.length > 0 || !result.model) throw new Error(result.configErrors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  return accessReport(result.model, result.catalog!, result.security);
}

const where = (ref: { file: string; path: readonly (string | number)[] }) => `${ref.file}#${ref.path.join('.')}`;

describe('the access report: a user with its groups', () => {
  const config = `${MAIN}users:
  - name: alice
  - name: bob
  - name: carol
groups:
  - name: engineers
    members: [alice, bob]
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::reports/*"]
      - actions: [sts:AssumeRole]
        resources: ["arn:aws:iam::123456789012:role/ops"]
roles:
  - name: reader
    trust:
      - group: engineers
        mfa: true
  - name: ops
    trust:
      - account: main
`;

  it("a group trust is each member's way in, through the group; a non-member has none", async () => {
    const report = await reportOf(config);
    const reader = report.roles.find((r) => r.role === 'main/reader')!;
    expect(reader.assumedBy.map((p) => [p.who, p.kind, p.conditions])).toEqual([
      ['user main/alice (member of group main/engineers)', 'group', ['with MFA']],
      ['user main/bob (member of group main/engineers)', 'group', ['with MFA']],
    ]);
    const alice = report.users.find((u) => u.user === 'main/alice')!;
    expect(alice.canAssume).toContainEqual({ role: 'main/reader', via: 'trust', throughGroup: 'main/engineers', conditions: ['with MFA'] });
    expect(report.users.find((u) => u.user === 'main/carol')!.canAssume).toEqual([]);
  });

  it("a group's AssumeRole statement opens a way into a role that trusts the account, for each member", async () => {
    const report = await reportOf(config);
    const ops = report.roles.find((r) => r.role === 'main/ops')!;
    expect(ops.assumedBy.filter((p) => p.via === 'identity-policy').map((p) => [p.who, where(p.allowedBy!.source)])).toEqual([
      ['user main/alice, by its own policy (rolecall-permissions)', 'org.yaml#groups.0.allow.1'],
      ['user main/bob, by its own policy (rolecall-permissions)', 'org.yaml#groups.0.allow.1'],
    ]);
    expect(report.users.find((u) => u.user === 'main/bob')!.canAssume.map((a) => [a.role, a.via])).toContainEqual(['main/ops', 'identity-policy']);
  });

  it("a member's permissions are its own plus its groups', said so in every format", async () => {
    const report = await reportOf(config);
    const alice = report.users.find((u) => u.user === 'main/alice')!;
    expect(alice.groups.map((g) => [g.group, g.permissions.statements.map((s) => s.actions.map((a) => a.pattern).join())])).toEqual([
      ['main/engineers', ['s3:GetObject', 'sts:AssumeRole']],
    ]);
    expect(report.groups.map((g) => [g.group, g.members])).toEqual([['main/engineers', ['alice', 'bob']]]);
    const table = formatAccessTable(report, where);
    expect(table).toMatch(/^ {4}- main\/reader \(through group main\/engineers\) — with MFA$/m);
    expect(table).toMatch(/^ {2}may through group main\/engineers:\n {4}- allow s3:GetObject on arn:aws:s3:::reports\/\* \[rolecall-permissions\]$/m);
    expect(table).toMatch(/^GROUP main\/engineers {2}\(arn:aws:iam::123456789012:group\/engineers, members: alice, bob\)/m);
    const markdown = formatAccessMarkdown(report, where);
    expect(markdown).toContain('- through group `main/engineers`: allow `s3:GetObject`');
    expect(markdown).toMatch(/^## Groups$/m);
  });
});

describe('the diff: joining a group is gaining what it grants', () => {
  const admins = (members: string) => `${MAIN}users:
  - name: alice
  - name: bob
groups:
  - name: admins
    members: [${members}]
    managedPolicies: [AdministratorAccess]
    allow:
      - actions: [s3:DeleteBucket]
        resources: ["*"]
`;

  it('alice added to an admin group gains its managed policy and statements, and the finding says who is in it now', async () => {
    const diff = diffAccess(await reportOf(admins('bob')), await reportOf(admins('alice, bob')));
    expect(diff.permissionChanges).toEqual([
      {
        principal: 'user main/alice',
        gained: ['through group main/admins: allow s3:DeleteBucket on *', 'through group main/admins: managed policy arn:aws:iam::aws:policy/AdministratorAccess'],
        lost: [],
        gainedItems: [
          { effect: 'Allow', action: 's3:DeleteBucket', resource: '*', conditions: [], session: 'own', group: 'main/admins' },
          { managedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess', group: 'main/admins' },
        ],
        lostItems: [],
      },
    ]);
    expect(diff.findingsAdded.map((f) => [f.rule, f.subject, f.message.slice(0, 53)])).toEqual([
      ['full-admin', 'group main/admins', 'group main/admins (members alice, bob) holds every ac'],
    ]);
  });
});

describe('the security rules through a group', () => {
  const lambdaDeployers = (aliceOwn: string, accept = '') => `${MAIN}users:
  - name: alice
${aliceOwn}  - name: bob
groups:
  - name: deployers
    members: [alice, bob]
    allow:
      - actions: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
        resources: ["*"]
${accept}`;
  const RULE = 'privesc-passrole-lambda-create-function-invoke';

  it('an escalation every member holds through the group is one finding about the group, at its statement', async () => {
    const findings = await fired(lambdaDeployers(''), RULE);
    expect(findings.map((f) => [f.subject, f.source.path])).toEqual([[{ kind: 'group', account: 'main', name: 'deployers' }, ['groups', 0, 'allow', 0]]]);
    expect(findings[0]!.message).toMatch(/^group main\/deployers \(members alice, bob\) can escalate .* Granted by rolecall-permissions of group main\/deployers\./);
  });

  it("accept: on the group takes it; nothing is left to fail validate", async () => {
    const result = await compileYaml({
      'org.yaml': lambdaDeployers('', `    accept:\n      - rule: ${RULE}\n        reason: the deploy team ships Lambda functions\n`),
    });
    expect(result.errors).toEqual([]);
    expect(result.security.map((f) => [f.rule, f.subject.kind, f.accepted?.reason])).toEqual([[RULE, 'group', 'the deploy team ships Lambda functions']]);
  });

  it('a risk that needs the member\'s own policy too stays the member\'s, even at the group statement that opens it', async () => {
    const yaml = (own: 'PassRole' | 'Lambda') => `${MAIN}users:
  - name: alice
    allow:
      - actions: [${own === 'PassRole' ? 'iam:PassRole' : 'lambda:CreateFunction, lambda:InvokeFunction'}]
        resources: ["*"]
  - name: bob
groups:
  - name: deployers
    members: [alice, bob]
    allow:
      - actions: [${own === 'PassRole' ? 'lambda:CreateFunction, lambda:InvokeFunction' : 'iam:PassRole'}]
        resources: ["*"]
`;
    // The finding stands at the PassRole statement: alice's own, or the group's.
    const ownPassRole = await fired(yaml('PassRole'), RULE);
    expect(ownPassRole.map((f) => [f.subject.kind, f.subject.name, f.source.path])).toEqual([['user', 'alice', ['users', 0, 'allow', 0]]]);
    const groupPassRole = await fired(yaml('Lambda'), RULE);
    expect(groupPassRole.map((f) => [f.subject.kind, f.subject.name, f.source.path])).toEqual([['user', 'alice', ['groups', 0, 'allow', 0]]]);
    expect(groupPassRole[0]!.message).toMatch(/^user main\/alice can escalate/);
  });

  it('full admin through a group names the group and its policy', async () => {
    const findings = await fired(`${MAIN}users:\n  - name: alice\ngroups:\n  - name: admins\n    members: [alice]\n    managedPolicies: [AdministratorAccess]\n`, 'full-admin');
    expect(findings.map((f) => [f.subject.kind, f.source.path])).toEqual([['group', ['groups', 0, 'managedPolicies', 0]]]);
    expect(findings[0]!.message).toContain('AWS managed policy AdministratorAccess of group main/admins');
  });

  it('iam:AddUserToGroup on a group of the config that grants more, and PutGroupPolicy on a group the holder is in', async () => {
    const yaml = (action: string, group: string) => `${MAIN}users:
  - name: dev
    allow:
      - actions: [${action}]
        resources: ["arn:aws:iam::123456789012:group/${group}"]
  - name: root-like
groups:
  - name: admins
    members: [root-like]
    managedPolicies: [AdministratorAccess]
  - name: devs
    members: [dev]
    allow:
      - actions: [s3:ListAllMyBuckets]
        resources: ["*"]
  - name: empty-handed
    members: []
`;
    const subjects = async (action: string, group: string, rule: string) => (await fired(yaml(action, group), rule)).map((f) => `${f.subject.name} ${f.source.path.join('.')}`);
    expect(await subjects('iam:AddUserToGroup', 'admins', 'privesc-add-user-to-group')).toEqual(['dev users.0.allow.0']);
    // Joining a group that grants nothing, or one it is in already, gains nothing.
    expect(await subjects('iam:AddUserToGroup', 'empty-handed', 'privesc-add-user-to-group')).toEqual([]);
    expect(await subjects('iam:AddUserToGroup', 'devs', 'privesc-add-user-to-group')).toEqual([]);
    expect(await subjects('iam:PutGroupPolicy', 'devs', 'privesc-put-group-policy')).toEqual(['dev users.0.allow.0']);
    expect(await subjects('iam:PutGroupPolicy', 'admins', 'privesc-put-group-policy')).toEqual([]);
  });
});

describe('notActions and notResources from YAML', () => {
  it('an Allow with notActions is allow-not-action at its statement, acceptable with accept:', async () => {
    const yaml = (accept: string) => `${MAIN}users:
  - name: alice
    allow:
      - notActions: [iam:*, organizations:*]
        resources: ["*"]
${accept}`;
    const findings = await fired(yaml(''), 'allow-not-action');
    expect(findings.map((f) => [f.subject.name, f.source.path])).toEqual([['alice', ['users', 0, 'allow', 0]]]);
    expect(findings[0]!.message).toContain('every action except iam:*, organizations:* on every resource');
    const accepted = await compileYaml({ 'org.yaml': yaml('    accept:\n      - rule: allow-not-action\n        reason: power users, reviewed quarterly\n') });
    expect(accepted.security.filter((f) => f.rule === 'allow-not-action').map((f) => f.accepted?.reason)).toEqual(['power users, reviewed quarterly']);
  });

  it('an Allow with notResources is allow-not-resource; a Deny with either fires neither', async () => {
    const findings = await findingsOf(`${MAIN}users:
  - name: alice
    allow:
      - actions: [s3:GetObject]
        notResources: ["arn:aws:s3:::secret/*"]
    deny:
      - notActions: [iam:ChangePassword]
        notResources: ["arn:aws:iam::123456789012:user/alice"]
`);
    expect(findings.map((f) => [f.rule, f.source.path.join('.')])).toEqual([['allow-not-resource', 'users.0.allow.0']]);
  });

  it('in federation.allow: federation-wildcard (broader than any wildcard), at the notActions key', async () => {
    const findings = await fired(
      `${MAIN}users:\n  - name: broker\n    federation:\n      allow:\n        - notActions: [iam:*]\n          resources: ["arn:aws:s3:::uploads/*"]\n`,
      'federation-wildcard',
    );
    expect(findings.map((f) => [f.source.path.join('.'), f.source.at])).toEqual([['users.0.federation.allow.0.notActions', 'key']]);
    expect(findings[0]!.message).toContain('hands out every action but iam:* in federation.allow');
  });

  it('through a group: about the group, at the group statement', async () => {
    const findings = await fired(`${MAIN}users:\n  - name: alice\ngroups:\n  - name: power\n    members: [alice]\n    allow:\n      - notActions: [iam:*]\n        resources: ["*"]\n`, 'allow-not-action');
    expect(findings.map((f) => [f.subject, f.source.path.join('.')])).toEqual([[{ kind: 'group', account: 'main', name: 'power' }, 'groups.0.allow.0']]);
  });
});
