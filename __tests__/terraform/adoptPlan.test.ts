/**
 * `adopt: true` planned by the real terraform against a local stand-in for
 * IAM (__tests__/support/localIam.ts), which serves the adopted entities as
 * if made by hand: every adopted user, group, role, attachment, exclusive
 * resource and provider is an import and none is created; the entries
 * rolecall creates are creates; the summary counts the imports and the
 * table shows "to import".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatPlanMarkdown, formatPlanText } from '../../src/cli/plan';
import type { AccessModel } from '../../src/model/accessModel';
import { planStack, type StackPlan } from '../../src/terraform/offlinePlan';
import { ADOPTION_CONFIG } from '../stacks/adoptionConfig';
import { removeSynthesizedDirs, synthesizeToTempDir } from '../stacks/synthesized';
import { compileValid } from '../support/compileYaml';
import { startLocalIam, type IamAccountState, type LocalIam } from '../support/localIam';
import { describeSkip, findProviderMirror, findTerraform, terraformEnv } from '../support/terraform';

afterAll(removeSynthesizedDirs);

const HAND_MADE: Record<string, string> = { 'hand-made': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' };

/** The account as it is before rolecall: the adopted entries, with an inline policy made by hand on the deployer. */
function existingIam(model: AccessModel): IamAccountState {
  const arns = (p: { managedPolicies: readonly { arn: string }[] }) => p.managedPolicies.map((m) => m.arn);
  return {
    users: model.users
      .filter((u) => u.adopt)
      .map((u) => ({ name: u.name, path: u.path, arn: u.arn, tags: u.tags, ...(u.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: u.permissionsBoundaryArn } : {}), attachedPolicyArns: arns(u) })),
    groups: model.groups
      .filter((g) => g.adopt)
      .map((g) => ({ name: g.name, path: g.path, arn: g.arn, members: ['alice'], attachedPolicyArns: arns(g) })),
    roles: model.roles
      .filter((r) => r.adopt)
      .map((r) => ({
        name: r.name,
        path: r.path,
        arn: r.arn,
        tags: r.tags,
        trustPolicyJson: r.trustPolicyJson,
        ...(r.description !== undefined ? { description: r.description } : {}),
        maxSessionDuration: r.maxSessionDuration,
        attachedPolicyArns: arns(r),
        inlinePolicies: r.name === 'deployer' ? HAND_MADE : {},
      })),
    oidcProviders: model.providers
      .filter((p) => p.adopt && p.kind === 'oidc')
      .map((p) => ({ arn: p.arn, url: p.url!, clientIds: p.audiences ?? [], thumbprints: p.thumbprints ?? [] })),
  };
}

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; importing?: { id?: string } };
}

describeSkip()('plan of adopted entities against a local IAM', () => {
  let iam: LocalIam;
  let plan: StackPlan;
  let changes: Map<string, ResourceChange>;
  let imports: string[];

  beforeAll(async () => {
    const model = await compileValid(ADOPTION_CONFIG);
    const out = synthesizeToTempDir(model);
    imports = ((out.stack('identity') as unknown as { import: { to: string }[] }).import ?? []).map((b) => b.to).sort();
    iam = await startLocalIam(existingIam(model));
    const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-adopt-plan-'));
    try {
      plan = await planStack('identity', path.join(out.stackDir('identity'), 'cdk.tf.json'), workRoot, {
        terraform: findTerraform()!,
        pluginDir: findProviderMirror(),
        env: terraformEnv(workRoot),
        providerEndpoints: { iam: iam.endpoint },
      });
    } finally {
      fs.rmSync(workRoot, { recursive: true, force: true });
    }
    if (!plan.ok) throw new Error(`terraform ${plan.step} failed:\n${plan.output}`);
    const shown = plan.shown as { resource_changes: ResourceChange[] };
    changes = new Map(shown.resource_changes.map((c) => [c.address, c]));
  }, 300_000);

  afterAll(async () => {
    await iam?.close();
  });

  it('the provider asked the stand-in only what it serves', () => {
    expect(iam.unknownActions).toEqual([]);
    expect(iam.calls.length).toBeGreaterThan(0);
    if (process.env['ROLECALL_IAM_CALLS']) fs.writeFileSync(process.env['ROLECALL_IAM_CALLS'], JSON.stringify(iam.calls, null, 1));
  });

  it('every import block is an import, and none of them a create', () => {
    expect(imports.length).toBe(16);
    for (const address of imports) {
      const change = changes.get(address);
      expect({ address, importing: change?.change.importing !== undefined }).toEqual({ address, importing: true });
      expect(change?.change.actions).not.toContain('create');
    }
  });

  it('the adopted principals and provider are imported unchanged; the hand-made inline policy makes the exclusive resource an update', () => {
    for (const address of ['aws_iam_user.user_alice', 'aws_iam_group.group_engineers', 'aws_iam_role.role_deployer', 'aws_iam_role.role_ci', 'aws_iam_openid_connect_provider.provider_github']) {
      expect({ address, actions: changes.get(address)?.change.actions }).toEqual({ address, actions: ['no-op'] });
    }
    expect(changes.get('aws_iam_role_policies_exclusive.role_deployer')?.change.actions).toEqual(['update']);
  });

  it('what is not imported is created: the new user and role, rolecall\'s inline policies, the memberships', () => {
    const creates = [...changes.values()].filter((c) => c.change.importing === undefined);
    expect(creates.every((c) => c.change.actions.join() === 'create')).toBe(true);
    const created = creates.map((c) => c.address);
    expect(created).toEqual(expect.arrayContaining(['aws_iam_user.user_bob', 'aws_iam_role.role_newcomer', 'aws_iam_group_membership.group_engineers']));
    expect(created.filter((a) => /^aws_iam_(user|group|role|openid_connect_provider)\./.test(a)).sort()).toEqual(['aws_iam_role.role_newcomer', 'aws_iam_user.user_bob']);
  });

  it('the summary counts the imports, and the tables show "to import"', () => {
    if (!plan.ok) throw new Error('unreachable');
    const adds = [...changes.values()].filter((c) => c.change.actions.join() === 'create').length;
    const updates = [...changes.values()].filter((c) => c.change.actions.join() === 'update').map((c) => c.address);
    // Only exclusive resources change: they drop the hand-made policy, or list rolecall's not yet written.
    expect(updates.every((a) => /_exclusive\./.test(a) && changes.get(a)?.change.importing !== undefined)).toBe(true);
    expect(updates).toContain('aws_iam_role_policies_exclusive.role_deployer');
    expect(plan.counts).toEqual({ import: 16, add: adds, change: updates.length, destroy: 0 });
    const text = formatPlanText([plan]).split('\n');
    expect(text[0]!.split(/\s{2,}/)).toEqual(['stack', 'to import', 'to add', 'to change', 'to destroy']);
    expect(text[1]!.split(/\s+/)).toEqual(['identity', '16', String(adds), String(updates.length), '0']);
    expect(formatPlanMarkdown([plan])).toContain(`| \`identity\` | 16 | ${adds} | ${updates.length} | 0 |`);
  });
});
