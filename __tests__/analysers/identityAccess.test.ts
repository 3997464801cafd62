/**
 * Issue 5 item 3: access through identity policies. A principal whose own
 * policy allows sts:AssumeRole reaches every role that trusts its account;
 * the access report and the diff must say so, and agree with an
 * independent IAM evaluator (@cloud-copilot/iam-simulate, tests only).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { diffAccess } from '../../src/analysers/accessDiff';
import { accessReport, type AccessReport } from '../../src/analysers/accessReport';
import { decide } from '../../src/analysers/policyEvaluation';
import type { AccessModel, PolicyStatement } from '../../src/model/accessModel';
import { compileYaml } from '../support/compileYaml';

const ACCOUNTS = `
accounts:
  - name: identity
    id: "111111111111"
  - name: prod
    id: "222222222222"
`;

const BREAK_GLASS = `
roles:
  - name: break-glass
    account: prod
    trust:
      - account: identity
    managedPolicies: [AdministratorAccess]
`;

function mallory(statements: string): string {
  return `
users:
  - name: mallory
    account: identity
${statements}`;
}

async function reportFor(yaml: string): Promise<{ report: AccessReport; model: AccessModel }> {
  const result = await compileYaml({ 'org.yaml': yaml });
  if (result.configErrors.length > 0 || !result.model) throw new Error(result.configErrors.map((e) => `${e.line}:${e.column} ${e.rule}: ${e.message}`).join('\n'));
  return { report: accessReport(result.model, result.catalog!), model: result.model };
}

const whoAssumes = (report: AccessReport, role: string) => report.roles.find((r) => r.role === role)!.assumedBy;
const canAssume = (report: AccessReport, user: string) => report.users.find((u) => u.user === user)!.canAssume.map((a) => `${a.role} ${a.via}`);

describe('a principal that holds sts:AssumeRole reaches the roles that trust its account', () => {
  it('the break-glass case: access and diff both show the way in', async () => {
    const before = await reportFor(ACCOUNTS + BREAK_GLASS + mallory(''));
    const after = await reportFor(ACCOUNTS + BREAK_GLASS + mallory(`    allow:\n      - actions: [sts:AssumeRole]\n        resources: ["*"]\n`));
    expect(canAssume(before.report, 'identity/mallory')).toEqual([]);
    expect(canAssume(after.report, 'identity/mallory')).toEqual(['prod/break-glass identity-policy']);
    const way = whoAssumes(after.report, 'prod/break-glass').find((p) => p.via === 'identity-policy')!;
    expect(way.who).toBe('user identity/mallory, by its own policy (rolecall-permissions)');
    expect(way.certainty).toBe('sure');
    // The allow that opens the way points at its YAML statement, the way itself at the trust entry.
    expect(way.allowedBy).toEqual({ policy: 'rolecall-permissions', source: { file: 'org.yaml', path: ['users', 0, 'allow', 0] } });
    expect(way.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'trust', 0, 'account'] });

    const diff = diffAccess(before.report, after.report);
    expect(diff.trustAdded.map(({ role, who, conditions }) => ({ role, who, conditions }))).toEqual([{ role: 'prod/break-glass', who: 'user identity/mallory, by its own policy (rolecall-permissions)', conditions: [] }]);
    expect(diffAccess(after.report, before.report).trustRemoved.map((t) => t.who)).toEqual(['user identity/mallory, by its own policy (rolecall-permissions)']);
  });

  it.each([
    ['sts:AssumeRole on *', '[sts:AssumeRole]', '"*"', true],
    ['sts:* on *', '["sts:*"]', '"*"', true],
    ['* on *', '["*"]', '"*"', true],
    ['sts:Assume* on the role', '["sts:Assume*"]', '"arn:aws:iam::222222222222:role/break-glass"', true],
    ['lower case sts:assumerole', '[sts:assumerole]', '"*"', true],
    ['on every role of prod', '[sts:AssumeRole]', '"arn:aws:iam::222222222222:role/*"', true],
    ['on break-* of any account', '[sts:AssumeRole]', '"arn:aws:iam::*:role/break-*"', true],
    ['on another role', '[sts:AssumeRole]', '"arn:aws:iam::222222222222:role/other"', false],
    ['on roles of another account', '[sts:AssumeRole]', '"arn:aws:iam::333333333333:role/*"', false],
    ['another sts action', '[sts:GetCallerIdentity]', '"*"', false],
    ['s3 only', '["s3:*"]', '"*"', false],
  ])('%s: %s', async (_name, actions, resource, reaches) => {
    const { report } = await reportFor(ACCOUNTS + BREAK_GLASS + mallory(`    allow:\n      - actions: ${actions}\n        resources: [${resource}]\n`));
    expect(canAssume(report, 'identity/mallory')).toEqual(reaches ? ['prod/break-glass identity-policy'] : []);
  });

  it('a Deny of its own closes the way; a conditional allow carries its conditions', async () => {
    const denied = await reportFor(
      ACCOUNTS + BREAK_GLASS + mallory(`    allow:\n      - actions: ["*"]\n        resources: ["*"]\n    deny:\n      - actions: ["sts:*"]\n        resources: ["*"]\n`),
    );
    expect(canAssume(denied.report, 'identity/mallory')).toEqual([]);
    const conditional = await reportFor(
      ACCOUNTS +
        BREAK_GLASS +
        mallory(`    allow:\n      - actions: [sts:AssumeRole]\n        resources: ["*"]\n        conditions:\n          Bool: { aws:MultiFactorAuthPresent: true }\n`),
    );
    expect(whoAssumes(conditional.report, 'prod/break-glass').find((p) => p.via === 'identity-policy')!.conditions).toEqual(['with MFA']);
  });

  it('an AWS managed policy counts for what it grants: a role with AdministratorAccess reaches break-glass, and who assumes that role reaches it through the chain', async () => {
    const { report } = await reportFor(`${ACCOUNTS}${BREAK_GLASS}
  - name: ops
    account: identity
    trust:
      - user: identity/alice
    managedPolicies: [AdministratorAccess]
users:
  - name: alice
    account: identity
`);
    const way = whoAssumes(report, 'prod/break-glass').find((p) => p.via === 'identity-policy')!;
    expect(way.who).toBe('role identity/ops, by its own policy (AdministratorAccess)');
    expect(report.roles.find((r) => r.role === 'prod/break-glass')!.reachedThrough.map(({ who, through, conditions }) => ({ who, through, conditions }))).toEqual([
      { who: 'user identity/alice', through: ['identity/ops'], conditions: [] },
    ]);
    expect(report.users.find((u) => u.user === 'identity/alice')!.reaches).toEqual([{ role: 'prod/break-glass', through: ['identity/ops'], conditions: [] }]);
  });

  it('a customer managed policy rolecall cannot read makes the way possible, and says which policy decides', async () => {
    const { report } = await reportFor(`${ACCOUNTS}${BREAK_GLASS}
  - name: ops
    account: identity
    trust:
      - service: ec2.amazonaws.com
    managedPolicies: ["arn:aws:iam::111111111111:policy/ops-extra"]
`);
    const way = whoAssumes(report, 'prod/break-glass').find((p) => p.via === 'identity-policy')!;
    expect(way.certainty).toBe('possible');
    expect(way.who).toBe('role identity/ops, if arn:aws:iam::111111111111:policy/ops-extra allows it');
  });

  it('a trust naming a user directly is closed by that user\'s own Deny, and the diff says the way is lost', async () => {
    const open = `${ACCOUNTS}
users:
  - name: bob
    account: identity
roles:
  - name: reader
    account: prod
    trust:
      - user: identity/bob
`;
    const closed = open.replace('    account: identity\n', '    account: identity\n    deny:\n      - actions: [sts:AssumeRole]\n        resources: ["*"]\n');
    const before = await reportFor(open);
    const after = await reportFor(closed);
    const path = whoAssumes(after.report, 'prod/reader')[0]!;
    expect(path.blockedBy?.policy).toBe('rolecall-permissions');
    expect(canAssume(after.report, 'identity/bob')).toEqual([]);
    expect(diffAccess(before.report, after.report).trustRemoved.map((t) => t.who)).toEqual(['user identity/bob']);
  });
});

/** An unconditional statement on sts:AssumeRole, in rolecall's model and as IAM JSON. */
const actionPatterns = fc.constantFrom('sts:AssumeRole', 'sts:*', '*', 'sts:Assume*', 'sts:AssumeRole?', 'sts:GetCallerIdentity', 's3:*', 'STS:ASSUMEROLE');
const resourcePatterns = fc.constantFrom(
  '*',
  'arn:aws:iam::222222222222:role/break-glass',
  'arn:aws:iam::222222222222:role/*',
  'arn:aws:iam::*:role/break-*',
  'arn:aws:iam::222222222222:role/break-glas?',
  'arn:aws:iam::222222222222:role/ops/*',
  'arn:aws:iam::333333333333:role/*',
  'arn:aws:iam::222222222222:user/*',
  'arn:aws:iam::222222222222:*',
  'arn:aws:iam:*:*:role/break-glass',
  // Short: the missing parts stand for `*`. (A five-part ARN whose padding shifts the
  // role into the account part is left out: the evaluator does not invert it under NotResource.)
  'arn:aws:*',
);
const statement = fc.record({
  effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
  not: fc.boolean(),
  actions: fc.uniqueArray(actionPatterns, { minLength: 1, maxLength: 3 }),
  notResource: fc.boolean(),
  resources: fc.uniqueArray(resourcePatterns, { minLength: 1, maxLength: 2 }),
});
const targets = ['arn:aws:iam::222222222222:role/break-glass', 'arn:aws:iam::222222222222:role/ops/break-glass', 'arn:aws:iam::333333333333:role/x'];

describe('policy evaluation agrees with an independent evaluator (iam-simulate)', () => {
  it('on generated identity policies, for sts:AssumeRole on generated role ARNs', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom(...targets), async (generated, target) => {
        const model: PolicyStatement[] = generated.map((s) => ({
          effect: s.effect,
          ...(s.not ? { notActions: s.actions } : { actions: s.actions }),
          ...(s.notResource ? { notResources: s.resources } : { resources: s.resources }),
          source: { file: 'x', path: [] },
        }));
        const json = generated.map((s) => ({
          Effect: s.effect,
          [s.not ? 'NotAction' : 'Action']: s.actions,
          [s.notResource ? 'NotResource' : 'Resource']: s.resources,
        }));
        const targetAccount = target.split(':')[4]!;
        const simulated = await runSimulation(
          {
            identityPolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: json } }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            // A trust naming the caller's account: the identity policy decides.
            resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] },
            request: {
              action: 'sts:AssumeRole',
              principal: 'arn:aws:iam::111111111111:user/mallory',
              resource: { accountId: targetAccount, resource: target },
              contextVariables: {},
            },
          },
          {},
        );
        if (simulated.resultType !== 'single') throw new Error(JSON.stringify(simulated));
        compared++;
        const ours = decide(model, 'sts:AssumeRole', target).outcome === 'allowed';
        expect({ statements: json, target, allowed: ours }).toEqual({ statements: json, target, allowed: simulated.overallResult === 'Allowed' });
      }),
      { numRuns: 300, seed: 20261201 },
    );
    expect(compared).toBe(300);
  });
});
