import type { PolicyStatement } from '../../model/accessModel';
import { actionPatternsOverlap } from '../arnFormat';
import type { EffectivePermissions } from '../effective';
import type { LabelledStatement } from '../identityPolicies';
import { holderName, policyName } from './admin';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';

const HEADER = 'accounts:\n  - name: main\n    id: "123456789012"\n';
const role = (name: string, body: string) => `${HEADER}roles:\n  - name: ${name}\n    trust:\n      - service: ec2.amazonaws.com\n${body}`;

/**
 * An Allow with NotAction grants every action but the listed ones, including
 * every service and action AWS adds later. rolecall writes none; it comes in
 * through AWS managed policies (PowerUserAccess). A boundary that lists its
 * actions (no `*`, no NotAction of its own) caps it: quiet then.
 */
export const ALLOW_NOT_ACTION: SecurityRule = {
  id: 'allow-not-action',
  severity: 'warning',
  summary: 'An Allow with NotAction: every action but a few, including those AWS adds later',
  docs: {
    why:
      'An Allow with NotAction grants everything except what it lists, on what its Resource names: PowerUserAccess allows every action but IAM, Organizations and Account ones on `*`, so its holder may also use every service AWS launches from now on, and reach IAM through them (a Lambda function, an EC2 instance or a CloudFormation stack with a more powerful role). Nobody reviewing the YAML sees what that is.',
    fires: role('developer', '    managedPolicies: [PowerUserAccess]\n'),
    quiet: role('developer', '    permissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n    managedPolicies: [PowerUserAccess]\n'),
    fix: 'attach a policy that lists the services the role needs (AWS managed job-function policies such as ReadOnlyAccess, or allow: statements), or cap it with a permissions boundary that lists its actions.',
  },
  check: ({ effective }: RuleContext) =>
    effective.all.flatMap((e) =>
      firstPerPolicy(e, (s) => s.notActions !== undefined && !boundaryListsActions(e)).map((grant) =>
        finding('allow-not-action', e, grant, `is allowed every action except ${list(grant.statement.notActions!)} on ${resourcesOf(grant.statement)}, by ${policyName(grant)} (an Allow with NotAction): that includes every service and action AWS adds later. Fix: grant a policy that lists the actions it needs, or cap it with a permissions boundary that does`),
      ),
    ),
};

/**
 * An Allow with NotResource grants its actions on every resource but the
 * listed ones, in every account the actions reach. Reachable through AWS
 * managed policies (AmazonElastiCacheFullAccess). Quiet when the boundary
 * lets none of the statement's actions through.
 */
export const ALLOW_NOT_RESOURCE: SecurityRule = {
  id: 'allow-not-resource',
  severity: 'warning',
  summary: 'An Allow with NotResource: its actions on every resource but a few',
  docs: {
    why:
      'An Allow with NotResource grants its actions on everything except what it lists: every resource of the account, of every other account the action can reach, and every resource created later. AmazonElastiCacheFullAccess allows ec2:CreateVpcEndpoint on every resource but VPC endpoints, so on every VPC, subnet and security group. What it reaches cannot be read from the YAML.',
    fires: role('cache-admin', '    managedPolicies: [AmazonElastiCacheFullAccess]\n'),
    quiet: role('cache-admin', '    permissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\n    managedPolicies: [AmazonElastiCacheFullAccess]\n'),
    fix: 'grant the actions on the resources they need (allow: statements name resources), or cap the role with a permissions boundary that leaves those actions out.',
  },
  check: ({ effective }: RuleContext) =>
    effective.all.flatMap((e) =>
      firstPerPolicy(e, (s) => s.notResources !== undefined && boundaryAdmitsSome(e, s)).map((grant) =>
        finding('allow-not-resource', e, grant, `is allowed ${list(grant.statement.actions ?? ['every action'])} on every resource except ${list(grant.statement.notResources!)}, by ${policyName(grant)} (an Allow with NotResource): on every other resource of every account it reaches, and on those created later. Fix: grant those actions on the resources it needs, or cap it with a permissions boundary`),
      ),
    ),
};

/** One finding per policy: a managed policy's statements all stand at its one managedPolicies item. */
function firstPerPolicy(e: EffectivePermissions, fires: (s: PolicyStatement) => boolean): LabelledStatement[] {
  const seen = new Set<string>();
  return e.policies.statements.filter((labelled) => {
    if (labelled.statement.effect !== 'Allow' || !fires(labelled.statement) || seen.has(labelled.policy)) return false;
    seen.add(labelled.policy);
    return true;
  });
}

/** A boundary rolecall can read whose every Allow lists its actions (no `*`, no NotAction) bounds what a NotAction reaches. */
function boundaryListsActions(e: EffectivePermissions): boolean {
  const statements = e.policies.boundary?.statements;
  if (statements === undefined) return false;
  return statements.filter((s) => s.effect === 'Allow').every((s) => s.notActions === undefined && !(s.actions ?? []).includes('*'));
}

/** Whether some action of the statement can pass the boundary (no boundary, or one rolecall cannot read: it may). */
function boundaryAdmitsSome(e: EffectivePermissions, statement: PolicyStatement): boolean {
  const boundary = e.policies.boundary;
  if (boundary?.statements === undefined) return true;
  const actions = statement.actions ?? ['*'];
  return boundary.statements.some(
    (b) => b.effect === 'Allow' && (b.notActions !== undefined || (b.actions ?? []).some((p) => actions.some((a) => actionPatternsOverlap(p, a)))),
  );
}

function finding(rule: string, e: EffectivePermissions, grant: LabelledStatement, what: string): SecurityFinding {
  return {
    rule,
    severity: 'warning',
    message: `${holderName(e)} ${what}`,
    source: grant.statement.source,
    subject: { kind: e.principal.kind, account: e.principal.account, name: e.principal.name },
  };
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

function resourcesOf(statement: PolicyStatement): string {
  if (statement.notResources) return `every resource except ${list(statement.notResources)}`;
  const resources = statement.resources ?? [];
  return resources.includes('*') ? 'every resource' : list(resources);
}
