/** allow-not-action and allow-not-resource: reachable through AWS managed documents, at the attachment. */
import { fired, MAIN, role } from './ruleHarness';

const roles = (...entries: string[]) => `${MAIN}roles:\n${entries.join('')}`;
const boundary = (name: string) => `    permissionsBoundary: arn:aws:iam::aws:policy/${name}\n`;

describe('allow-not-action', () => {
  it('PowerUserAccess: at its managedPolicies item, naming it and what it leaves out', async () => {
    const findings = await fired(roles(role('dev', '    managedPolicies: [ReadOnlyAccess, PowerUserAccess]\n')), 'allow-not-action');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'managedPolicies', 1] });
    expect(findings[0]!.message).toBe(
      'role main/dev is allowed every action except account:*, iam:*, organizations:* on every resource, by AWS managed policy PowerUserAccess (an Allow with NotAction): that includes every service and action AWS adds later. Fix: grant a policy that lists the actions it needs, or cap it with a permissions boundary that does',
    );
  });

  it('under a boundary that lists its actions: capped, quiet', async () => {
    expect(await fired(roles(role('dev', `${boundary('AmazonS3ReadOnlyAccess')}    managedPolicies: [PowerUserAccess]\n`)), 'allow-not-action')).toEqual([]);
  });

  it('under a boundary of * (or one rolecall cannot read): still fires', async () => {
    expect(await fired(roles(role('dev', `${boundary('AdministratorAccess')}    managedPolicies: [PowerUserAccess]\n`)), 'allow-not-action')).toHaveLength(1);
    expect(await fired(roles(role('dev', '    permissionsBoundary: team-boundary\n    managedPolicies: [PowerUserAccess]\n')), 'allow-not-action')).toHaveLength(1);
  });

  it('policies that list their actions do not fire it, wildcards or not', async () => {
    expect(await fired(roles(role('dev', '    managedPolicies: [ReadOnlyAccess, AmazonS3FullAccess]\n    allow:\n      - actions: ["ec2:*"]\n        resources: ["*"]\n')), 'allow-not-action')).toEqual([]);
  });
});

describe('allow-not-resource', () => {
  it('AmazonElastiCacheFullAccess: ec2:CreateVpcEndpoint on every resource but endpoints, at its item', async () => {
    const findings = await fired(roles(role('cache', '    managedPolicies: [AmazonElastiCacheFullAccess]\n')), 'allow-not-resource');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.source).toEqual({ file: 'org.yaml', path: ['roles', 0, 'managedPolicies', 0] });
    expect(findings[0]!.message).toMatch(/^role main\/cache is allowed ec2:CreateVpcEndpoint on every resource except arn:aws:ec2:\*:\*:vpc-endpoint\/\*, by AWS managed policy AmazonElastiCacheFullAccess/);
  });

  it('one finding per policy, each at its own managedPolicies item', async () => {
    const findings = await fired(roles(role('ml', '    managedPolicies: [AmazonElastiCacheFullAccess, AmazonSageMakerFullAccess]\n')), 'allow-not-resource');
    expect(findings.map((f) => [f.source.path[3], f.message.match(/by AWS managed policy (\w+)/)![1]])).toEqual([
      [0, 'AmazonElastiCacheFullAccess'],
      [1, 'AmazonSageMakerFullAccess'],
    ]);
  });

  it('a boundary that lets none of its actions through: quiet; one that lets ec2 through: fires', async () => {
    expect(await fired(roles(role('cache', `${boundary('AmazonS3ReadOnlyAccess')}    managedPolicies: [AmazonElastiCacheFullAccess]\n`)), 'allow-not-resource')).toEqual([]);
    expect(await fired(roles(role('cache', `${boundary('AmazonEC2FullAccess')}    managedPolicies: [AmazonElastiCacheFullAccess]\n`)), 'allow-not-resource')).toHaveLength(1);
  });

  it('the same service without NotResource (AmazonElastiCacheReadOnlyAccess): quiet', async () => {
    expect(await fired(roles(role('cache', '    managedPolicies: [AmazonElastiCacheReadOnlyAccess]\n')), 'allow-not-resource')).toEqual([]);
  });
});
