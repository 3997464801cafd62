/**
 * The published AWS IAM privilege-escalation paths, as data for the escalation rules.
 *
 * Written by us from the public research (the facts: which actions, on what), with the ids
 * each source gives the path so findings can cite them:
 * - DataDog pathfinding.cloud (`iam-001`, `lambda-003`, ...): ids as of repository commit
 *   84dd65c (December 2025) plus the later additions found in newer versions;
 * - Rhino Security Labs, "AWS IAM Privilege Escalation Methods" (Spencer Gietzen, 2018): 1-21;
 * - BishopFox iam-vulnerable: the name of the Terraform module file that builds the path.
 * docs/escalation-sources.md maps every entry to its sources and says what was merged and why.
 *
 * One entry is one minimal set of requirements. A published path whose requirements are a
 * strict superset of another entry's, on the same targets and with the same outcome, is not
 * an entry of its own: its id is listed on the smaller entry (whoever holds the larger set
 * holds the smaller one, so the rule fires on the smaller one anyway).
 */

/**
 * What a requirement's action must be allowed on. Every target but 'any' refers to the
 * entry's one victim: the holder itself for self-escalation entries, otherwise the other
 * user or role named by the entry's other-user / other-role requirement.
 */
export type Target =
  /** Some resource the holder can choose or create ('*' or any pattern the action allows). */
  | 'any'
  /** The holder itself (its own user or role ARN). */
  | 'self'
  /** Another IAM user. */
  | 'other-user'
  /** Another IAM role. */
  | 'other-role'
  /** iam:PassRole on a role that trusts one of `services`. */
  | 'passable-role'
  /** A customer managed policy attached to the victim (directly, or through a group of the victim). */
  | 'managed-policy'
  /** An IAM group: one the victim is in (Attach/PutGroupPolicy) or one to join (AddUserToGroup). */
  | 'group'
  /** An existing resource of another service that runs with a role (function, instance, stack, project, ...). */
  | 'service-resource';

export interface Requirement {
  readonly action: string;
  readonly target: Target;
  /** For 'passable-role': the service principals the passed role may trust (any one of them). */
  readonly services?: readonly string[];
}

/**
 * What the holder ends up with:
 * - 'arbitrary': it writes a policy of its choice onto itself or a principal it controls (admin);
 * - 'target-permissions': it gets what the target (user, role, group, passed role, the role a
 *   resource runs with, an older policy version) already has: an escalation only when that is
 *   more than the holder has.
 */
export type Outcome = 'arbitrary' | 'target-permissions';

export interface EscalationPath {
  /** Stable kebab-case rule id. */
  readonly id: string;
  /** The actions, as the research names the path. */
  readonly title: string;
  /** All of these are needed. */
  readonly requires: readonly Requirement[];
  readonly outcome: Outcome;
  /** One sentence: what the holder can then do. */
  readonly impact: string;
  /** One sentence: how to close it. */
  readonly fix: string;
  /** A precondition outside IAM that the config cannot show (the rule cannot check it). */
  readonly precondition?: string;
  readonly sources: {
    readonly pathfinding?: readonly string[];
    readonly rhino?: readonly number[];
    readonly iamVulnerable?: readonly string[];
  };
}

function need(action: string, target: Target): Requirement {
  return { action, target };
}

function passRole(...services: string[]): Requirement {
  return { action: 'iam:PassRole', target: 'passable-role', services };
}

const LAMBDA = 'lambda.amazonaws.com';
const EC2 = 'ec2.amazonaws.com';
const GLUE = 'glue.amazonaws.com';
const CLOUDFORMATION = 'cloudformation.amazonaws.com';
const CODEBUILD = 'codebuild.amazonaws.com';
const SAGEMAKER = 'sagemaker.amazonaws.com';
const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const AGENTCORE = 'bedrock-agentcore.amazonaws.com';

const PASS_FIX = 'Limit iam:PassRole to the roles this principal must pass (and iam:PassedToService to the service), and keep powerful roles out of reach.';
const RESOURCE_FIX = 'Scope the action to resources whose role is no more powerful than the holder, or drop it.';

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  // ---- IAM: rewriting the holder's own permissions -------------------------------------------
  {
    id: 'privesc-create-policy-version',
    title: 'iam:CreatePolicyVersion',
    requires: [need('iam:CreatePolicyVersion', 'managed-policy')],
    outcome: 'arbitrary',
    impact: 'Can publish a new default version of a managed policy attached to itself that grants anything, including full admin.',
    fix: 'Deny iam:CreatePolicyVersion on policies attached to the holder; grant it only to the pipeline that owns the policies.',
    sources: { pathfinding: ['iam-001'], rhino: [1], iamVulnerable: ['privesc1-CreateNewPolicyVersion'] },
  },
  {
    id: 'privesc-set-default-policy-version',
    title: 'iam:SetDefaultPolicyVersion',
    requires: [need('iam:SetDefaultPolicyVersion', 'managed-policy')],
    outcome: 'target-permissions',
    impact: 'Can make an older, broader version of a managed policy attached to itself the default again.',
    fix: 'Remove iam:SetDefaultPolicyVersion and delete non-default policy versions that grant more than the current one.',
    sources: { rhino: [2], iamVulnerable: ['privesc2-SetExistingDefaultPolicyVersion'] },
  },
  {
    id: 'privesc-attach-user-policy',
    title: 'iam:AttachUserPolicy',
    requires: [need('iam:AttachUserPolicy', 'self')],
    outcome: 'arbitrary',
    impact: 'Can attach any managed policy, such as AdministratorAccess, to its own user.',
    fix: 'Do not allow iam:AttachUserPolicy on the holder itself; scope it to other users and to a permissions boundary.',
    sources: { pathfinding: ['iam-008'], rhino: [7], iamVulnerable: ['privesc7-AttachUserPolicy'] },
  },
  {
    id: 'privesc-attach-group-policy',
    title: 'iam:AttachGroupPolicy',
    requires: [need('iam:AttachGroupPolicy', 'group')],
    outcome: 'arbitrary',
    impact: 'Can attach any managed policy to a group it belongs to, and so to itself.',
    fix: 'Do not allow iam:AttachGroupPolicy on groups the holder is a member of.',
    sources: { pathfinding: ['iam-010'], rhino: [8], iamVulnerable: ['privesc8-AttachGroupPolicy'] },
  },
  {
    id: 'privesc-attach-role-policy',
    title: 'iam:AttachRolePolicy',
    requires: [need('iam:AttachRolePolicy', 'self')],
    outcome: 'arbitrary',
    impact: 'Can attach any managed policy, such as AdministratorAccess, to its own role.',
    fix: 'Do not allow iam:AttachRolePolicy on the holder\'s own role; require a permissions boundary on roles it may change.',
    sources: { pathfinding: ['iam-009'], rhino: [9], iamVulnerable: ['privesc9-AttachRolePolicy'] },
  },
  {
    id: 'privesc-put-user-policy',
    title: 'iam:PutUserPolicy',
    requires: [need('iam:PutUserPolicy', 'self')],
    outcome: 'arbitrary',
    impact: 'Can write an inline policy granting anything onto its own user.',
    fix: 'Do not allow iam:PutUserPolicy on the holder itself.',
    sources: { pathfinding: ['iam-007'], rhino: [10], iamVulnerable: ['privesc10-PutUserPolicy'] },
  },
  {
    id: 'privesc-put-group-policy',
    title: 'iam:PutGroupPolicy',
    requires: [need('iam:PutGroupPolicy', 'group')],
    outcome: 'arbitrary',
    impact: 'Can write an inline policy granting anything onto a group it belongs to.',
    fix: 'Do not allow iam:PutGroupPolicy on groups the holder is a member of.',
    sources: { pathfinding: ['iam-011'], rhino: [11], iamVulnerable: ['privesc11-PutGroupPolicy'] },
  },
  {
    id: 'privesc-put-role-policy',
    title: 'iam:PutRolePolicy',
    requires: [need('iam:PutRolePolicy', 'self')],
    outcome: 'arbitrary',
    impact: 'Can write an inline policy granting anything onto its own role.',
    fix: 'Do not allow iam:PutRolePolicy on the holder\'s own role.',
    sources: { pathfinding: ['iam-005'], rhino: [12], iamVulnerable: ['privesc12-PutRolePolicy'] },
  },
  {
    id: 'privesc-add-user-to-group',
    title: 'iam:AddUserToGroup',
    requires: [need('iam:AddUserToGroup', 'group')],
    outcome: 'target-permissions',
    impact: 'Can add itself to a group and take on everything that group grants.',
    fix: 'Scope iam:AddUserToGroup to groups no more powerful than the holder, or remove it.',
    sources: { pathfinding: ['iam-013'], rhino: [13], iamVulnerable: ['privesc13-AddUserToGroup'] },
  },

  // ---- IAM: becoming another principal --------------------------------------------------------
  {
    id: 'privesc-create-access-key',
    title: 'iam:CreateAccessKey',
    requires: [need('iam:CreateAccessKey', 'other-user')],
    outcome: 'target-permissions',
    impact: 'Can mint access keys for another user and act as that user.',
    fix: 'Scope iam:CreateAccessKey to the holder\'s own user (aws:username) or remove it.',
    sources: { pathfinding: ['iam-002', 'iam-003'], rhino: [4], iamVulnerable: ['privesc4-CreateAccessKey'] },
  },
  {
    id: 'privesc-create-login-profile',
    title: 'iam:CreateLoginProfile',
    requires: [need('iam:CreateLoginProfile', 'other-user')],
    outcome: 'target-permissions',
    impact: 'Can set a console password for another user that has none and sign in as that user.',
    fix: 'Scope iam:CreateLoginProfile to the holder\'s own user or remove it.',
    sources: { pathfinding: ['iam-004'], rhino: [5], iamVulnerable: ['privesc5-CreateLoginProfile'] },
  },
  {
    id: 'privesc-update-login-profile',
    title: 'iam:UpdateLoginProfile',
    requires: [need('iam:UpdateLoginProfile', 'other-user')],
    outcome: 'target-permissions',
    impact: 'Can reset another user\'s console password and sign in as that user.',
    fix: 'Scope iam:UpdateLoginProfile to the holder\'s own user or remove it.',
    sources: { pathfinding: ['iam-006'], rhino: [6], iamVulnerable: ['privesc6-UpdateLoginProfile'] },
  },
  {
    id: 'privesc-update-assume-role-policy',
    title: 'iam:UpdateAssumeRolePolicy',
    requires: [need('iam:UpdateAssumeRolePolicy', 'other-role')],
    outcome: 'target-permissions',
    impact: 'Can rewrite another role\'s trust policy to trust itself and then assume that role.',
    fix: 'Scope iam:UpdateAssumeRolePolicy to roles no more powerful than the holder, or remove it.',
    sources: { pathfinding: ['iam-012'], rhino: [14], iamVulnerable: ['privesc14-UpdatingAssumeRolePolicy'] },
  },
  {
    id: 'privesc-assume-role',
    title: 'sts:AssumeRole',
    requires: [need('sts:AssumeRole', 'other-role')],
    outcome: 'target-permissions',
    impact: 'Can assume a role whose trust policy lets it in and use that role\'s permissions.',
    fix: 'Narrow the role\'s trust policy or the holder\'s sts:AssumeRole to roles no more powerful than the holder.',
    sources: { pathfinding: ['sts-001'], iamVulnerable: ['privesc-AssumeRole'] },
  },
  {
    id: 'privesc-attach-user-policy-create-access-key',
    title: 'iam:AttachUserPolicy + iam:CreateAccessKey',
    requires: [need('iam:AttachUserPolicy', 'other-user'), need('iam:CreateAccessKey', 'other-user')],
    outcome: 'arbitrary',
    impact: 'Can attach an admin policy to another user, mint keys for that user and act as it.',
    fix: 'Do not grant both iam:AttachUserPolicy and iam:CreateAccessKey on the same users.',
    sources: { pathfinding: ['iam-015'] },
  },
  {
    id: 'privesc-put-user-policy-create-access-key',
    title: 'iam:PutUserPolicy + iam:CreateAccessKey',
    requires: [need('iam:PutUserPolicy', 'other-user'), need('iam:CreateAccessKey', 'other-user')],
    outcome: 'arbitrary',
    impact: 'Can write an admin inline policy onto another user, mint keys for that user and act as it.',
    fix: 'Do not grant both iam:PutUserPolicy and iam:CreateAccessKey on the same users.',
    sources: { pathfinding: ['iam-018'] },
  },
  {
    id: 'privesc-attach-role-policy-assume-role',
    title: 'iam:AttachRolePolicy + sts:AssumeRole',
    requires: [need('iam:AttachRolePolicy', 'other-role'), need('sts:AssumeRole', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can attach an admin policy to a role it may assume, then assume it.',
    fix: 'Do not allow iam:AttachRolePolicy on roles the holder can assume.',
    sources: { pathfinding: ['iam-014'] },
  },
  {
    id: 'privesc-put-role-policy-assume-role',
    title: 'iam:PutRolePolicy + sts:AssumeRole',
    requires: [need('iam:PutRolePolicy', 'other-role'), need('sts:AssumeRole', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can write an admin inline policy onto a role it may assume, then assume it.',
    fix: 'Do not allow iam:PutRolePolicy on roles the holder can assume.',
    sources: { pathfinding: ['iam-017'] },
  },
  {
    id: 'privesc-create-policy-version-assume-role',
    title: 'iam:CreatePolicyVersion + sts:AssumeRole',
    requires: [need('iam:CreatePolicyVersion', 'managed-policy'), need('sts:AssumeRole', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can rewrite a managed policy attached to a role it may assume, then assume that role.',
    fix: 'Do not allow iam:CreatePolicyVersion on policies attached to roles the holder can assume.',
    sources: { pathfinding: ['iam-016'] },
  },
  {
    id: 'privesc-attach-role-policy-update-assume-role-policy',
    title: 'iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy',
    requires: [need('iam:AttachRolePolicy', 'other-role'), need('iam:UpdateAssumeRolePolicy', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can attach an admin policy to any other role and rewrite its trust to let itself in.',
    fix: 'Do not grant iam:AttachRolePolicy and iam:UpdateAssumeRolePolicy on the same roles.',
    sources: { pathfinding: ['iam-019'] },
  },
  {
    id: 'privesc-put-role-policy-update-assume-role-policy',
    title: 'iam:PutRolePolicy + iam:UpdateAssumeRolePolicy',
    requires: [need('iam:PutRolePolicy', 'other-role'), need('iam:UpdateAssumeRolePolicy', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can write an admin inline policy onto any other role and rewrite its trust to let itself in.',
    fix: 'Do not grant iam:PutRolePolicy and iam:UpdateAssumeRolePolicy on the same roles.',
    sources: { pathfinding: ['iam-021'] },
  },
  {
    id: 'privesc-create-policy-version-update-assume-role-policy',
    title: 'iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy',
    requires: [need('iam:CreatePolicyVersion', 'managed-policy'), need('iam:UpdateAssumeRolePolicy', 'other-role')],
    outcome: 'arbitrary',
    impact: 'Can rewrite a managed policy attached to another role and rewrite that role\'s trust to let itself in.',
    fix: 'Do not grant iam:CreatePolicyVersion and iam:UpdateAssumeRolePolicy over the same role.',
    sources: { pathfinding: ['iam-020'] },
  },

  // ---- EC2 and Systems Manager ----------------------------------------------------------------
  {
    id: 'privesc-passrole-ec2-run-instances',
    title: 'iam:PassRole + ec2:RunInstances',
    requires: [passRole(EC2), need('ec2:RunInstances', 'any')],
    outcome: 'target-permissions',
    impact: 'Can launch an instance with a powerful instance profile and run its own code with that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ec2-001'], rhino: [3], iamVulnerable: ['privesc3-CreateEC2WithExistingIP'] },
  },
  {
    id: 'privesc-passrole-ec2-request-spot-instances',
    title: 'iam:PassRole + ec2:RequestSpotInstances',
    requires: [passRole(EC2), need('ec2:RequestSpotInstances', 'any')],
    outcome: 'target-permissions',
    impact: 'Can request a spot instance with a powerful instance profile and run its own code with that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ec2-003'] },
  },
  {
    id: 'privesc-ec2-modify-instance-user-data',
    title: 'ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances',
    requires: [
      need('ec2:ModifyInstanceAttribute', 'service-resource'),
      need('ec2:StopInstances', 'service-resource'),
      need('ec2:StartInstances', 'service-resource'),
    ],
    outcome: 'target-permissions',
    impact: 'Can replace the user data of an instance that has a role and restart it so its code runs with that role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['ec2-002'] },
  },
  {
    id: 'privesc-ec2-launch-template-version',
    title: 'ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate',
    requires: [need('ec2:CreateLaunchTemplateVersion', 'service-resource'), need('ec2:ModifyLaunchTemplate', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can make its own user data the default of a launch template that carries a role, so the next instance runs its code with that role.',
    fix: RESOURCE_FIX,
    precondition: 'something (an Auto Scaling group, a fleet, a person) launches instances from the template',
    sources: { pathfinding: ['ec2-004', 'ec2-005'] },
  },
  {
    id: 'privesc-ec2-instance-connect-send-ssh-public-key',
    title: 'ec2-instance-connect:SendSSHPublicKey',
    requires: [need('ec2-instance-connect:SendSSHPublicKey', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can push an SSH key to an instance that has a role, log in and use the role\'s credentials.',
    fix: RESOURCE_FIX,
    precondition: 'the instance runs EC2 Instance Connect and is reachable over SSH',
    sources: { pathfinding: ['ec2instanceconnect-003'], iamVulnerable: ['privesc-ec2InstanceConnect'] },
  },
  {
    id: 'privesc-ssm-start-session',
    title: 'ssm:StartSession',
    requires: [need('ssm:StartSession', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can open a shell on a managed instance that has a role and use the role\'s credentials.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['ssm-001'], iamVulnerable: ['privesc-ssmStartSession'] },
  },
  {
    id: 'privesc-ssm-send-command',
    title: 'ssm:SendCommand',
    requires: [need('ssm:SendCommand', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can run commands on a managed instance that has a role, with the role\'s credentials.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['ssm-002'], iamVulnerable: ['privesc-ssmSendCommand'] },
  },
  {
    id: 'privesc-passrole-ssm-automation',
    title: 'iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution',
    requires: [passRole('ssm.amazonaws.com'), need('ssm:CreateDocument', 'any'), need('ssm:StartAutomationExecution', 'any')],
    outcome: 'target-permissions',
    impact: 'Can run a script of its own in an SSM Automation that assumes a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ssm-003'] },
  },

  // ---- Lambda ---------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-lambda-create-function-invoke',
    title: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
    requires: [passRole(LAMBDA), need('lambda:CreateFunction', 'any'), need('lambda:InvokeFunction', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a function with a powerful role and invoke it to run its own code as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['lambda-001'], rhino: [15], iamVulnerable: ['privesc15-PassExistingRoleToNewLambdaThenInvoke'] },
  },
  {
    id: 'privesc-passrole-lambda-create-function-event-source-mapping',
    title: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping',
    requires: [passRole(LAMBDA), need('lambda:CreateFunction', 'any'), need('lambda:CreateEventSourceMapping', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a function with a powerful role and have an event source (a stream or queue) trigger it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['lambda-002'], rhino: [16], iamVulnerable: ['privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo'] },
  },
  {
    id: 'privesc-passrole-lambda-create-function-add-permission',
    title: 'iam:PassRole + lambda:CreateFunction + lambda:AddPermission',
    requires: [passRole(LAMBDA), need('lambda:CreateFunction', 'any'), need('lambda:AddPermission', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a function with a powerful role and open its resource policy so it can be invoked.',
    fix: PASS_FIX,
    sources: { pathfinding: ['lambda-006'] },
  },
  {
    id: 'privesc-lambda-update-function-code',
    title: 'lambda:UpdateFunctionCode',
    requires: [need('lambda:UpdateFunctionCode', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can replace the code of a function that runs with a role and so act as that role when it next runs.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['lambda-003', 'lambda-004', 'lambda-005'], rhino: [17], iamVulnerable: ['privesc17-EditExistingLambdaFunctionWithRole'] },
  },

  // ---- Glue -----------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-glue-create-dev-endpoint',
    title: 'iam:PassRole + glue:CreateDevEndpoint',
    requires: [passRole(GLUE), need('glue:CreateDevEndpoint', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a Glue development endpoint with a powerful role, log in and use the role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-001'], rhino: [18], iamVulnerable: ['privesc18-PassExistingRoleToNewGlueDevEndpoint'] },
  },
  {
    id: 'privesc-glue-update-dev-endpoint',
    title: 'glue:UpdateDevEndpoint',
    requires: [need('glue:UpdateDevEndpoint', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can add its SSH key to a development endpoint that has a role, log in and use the role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['glue-002'], rhino: [19], iamVulnerable: ['privesc19-UpdateExistingGlueDevEndpoint'] },
  },
  {
    id: 'privesc-passrole-glue-create-job-start-job-run',
    title: 'iam:PassRole + glue:CreateJob + glue:StartJobRun',
    requires: [passRole(GLUE), need('glue:CreateJob', 'any'), need('glue:StartJobRun', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a Glue job with a powerful role and run its own script as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-003'] },
  },
  {
    id: 'privesc-passrole-glue-create-job-create-trigger',
    title: 'iam:PassRole + glue:CreateJob + glue:CreateTrigger',
    requires: [passRole(GLUE), need('glue:CreateJob', 'any'), need('glue:CreateTrigger', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a Glue job with a powerful role and a trigger that starts it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-004'] },
  },
  {
    id: 'privesc-passrole-glue-update-job-start-job-run',
    title: 'iam:PassRole + glue:UpdateJob + glue:StartJobRun',
    requires: [passRole(GLUE), need('glue:UpdateJob', 'any'), need('glue:StartJobRun', 'any')],
    outcome: 'target-permissions',
    impact: 'Can point an existing Glue job at a powerful role and its own script, then run it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-005'] },
  },
  {
    id: 'privesc-passrole-glue-update-job-create-trigger',
    title: 'iam:PassRole + glue:UpdateJob + glue:CreateTrigger',
    requires: [passRole(GLUE), need('glue:UpdateJob', 'any'), need('glue:CreateTrigger', 'any')],
    outcome: 'target-permissions',
    impact: 'Can point an existing Glue job at a powerful role and its own script, then trigger it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-006'] },
  },
  {
    id: 'privesc-passrole-glue-create-session-run-statement',
    title: 'iam:PassRole + glue:CreateSession + glue:RunStatement',
    requires: [passRole(GLUE), need('glue:CreateSession', 'any'), need('glue:RunStatement', 'any')],
    outcome: 'target-permissions',
    impact: 'Can open a Glue interactive session with a powerful role and run its own code in it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['glue-007'] },
  },

  // ---- CloudFormation -------------------------------------------------------------------------
  {
    id: 'privesc-passrole-cloudformation-create-stack',
    title: 'iam:PassRole + cloudformation:CreateStack',
    requires: [passRole(CLOUDFORMATION), need('cloudformation:CreateStack', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a stack that runs with a powerful service role and so create anything that role can.',
    fix: PASS_FIX,
    sources: { pathfinding: ['cloudformation-001'], rhino: [20], iamVulnerable: ['privesc20-PassExistingRoleToCloudFormation'] },
  },
  {
    id: 'privesc-cloudformation-update-stack',
    title: 'cloudformation:UpdateStack',
    requires: [need('cloudformation:UpdateStack', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can change the template of a stack that has a service role and have that role deploy what it asks.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['cloudformation-002'], iamVulnerable: ['privesc-cloudFormationUpdateStack'] },
  },
  {
    id: 'privesc-passrole-cloudformation-create-stack-set',
    title: 'iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances',
    requires: [passRole(CLOUDFORMATION), need('cloudformation:CreateStackSet', 'any'), need('cloudformation:CreateStackInstances', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a stack set with a powerful administration role and deploy it into accounts.',
    fix: PASS_FIX,
    sources: { pathfinding: ['cloudformation-003'] },
  },
  {
    id: 'privesc-passrole-cloudformation-update-stack-set',
    title: 'iam:PassRole + cloudformation:UpdateStackSet',
    requires: [passRole(CLOUDFORMATION), need('cloudformation:UpdateStackSet', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can change an existing stack set to run with a powerful administration role and deploy its own template.',
    fix: PASS_FIX,
    sources: { pathfinding: ['cloudformation-004'] },
  },
  {
    id: 'privesc-cloudformation-change-set',
    title: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet',
    requires: [need('cloudformation:CreateChangeSet', 'service-resource'), need('cloudformation:ExecuteChangeSet', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can push a change set into a stack that has a service role and have that role deploy it.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['cloudformation-005'] },
  },

  // ---- Data Pipeline --------------------------------------------------------------------------
  {
    id: 'privesc-passrole-datapipeline',
    title: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline',
    requires: [
      passRole('datapipeline.amazonaws.com', EC2),
      need('datapipeline:CreatePipeline', 'any'),
      need('datapipeline:PutPipelineDefinition', 'any'),
      need('datapipeline:ActivatePipeline', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can create and activate a pipeline whose activity runs its own commands with a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['datapipeline-001'], rhino: [21], iamVulnerable: ['privesc21-PassExistingRoleToNewDataPipeline'] },
  },

  // ---- CodeBuild ------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-codebuild-create-project-start-build',
    title: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuild',
    requires: [passRole(CODEBUILD), need('codebuild:CreateProject', 'any'), need('codebuild:StartBuild', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a build project with a powerful role and run its own build commands as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['codebuild-001'], iamVulnerable: ['privesc-codeBuildCreateProjectPassRole'] },
  },
  {
    id: 'privesc-passrole-codebuild-create-project-start-build-batch',
    title: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch',
    requires: [passRole(CODEBUILD), need('codebuild:CreateProject', 'any'), need('codebuild:StartBuildBatch', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a build project with a powerful role and run its own batch build as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['codebuild-004'], iamVulnerable: ['privesc-codeBuildCreateProjectPassRole'] },
  },
  {
    id: 'privesc-codebuild-start-build',
    title: 'codebuild:StartBuild',
    requires: [need('codebuild:StartBuild', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can start a build of an existing project with its own buildspec, running as the project\'s role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['codebuild-002'] },
  },
  {
    id: 'privesc-codebuild-start-build-batch',
    title: 'codebuild:StartBuildBatch',
    requires: [need('codebuild:StartBuildBatch', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can start a batch build of an existing project with its own buildspec, running as the project\'s role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['codebuild-003'] },
  },

  // ---- SageMaker ------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-sagemaker-create-notebook-instance',
    title: 'iam:PassRole + sagemaker:CreateNotebookInstance',
    requires: [passRole(SAGEMAKER), need('sagemaker:CreateNotebookInstance', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create a notebook instance with a powerful role and use the role from inside it.',
    fix: PASS_FIX,
    sources: { pathfinding: ['sagemaker-001'], iamVulnerable: ['privesc-sageMakerCreateNotebookPassRole'] },
  },
  {
    id: 'privesc-passrole-sagemaker-create-training-job',
    title: 'iam:PassRole + sagemaker:CreateTrainingJob',
    requires: [passRole(SAGEMAKER), need('sagemaker:CreateTrainingJob', 'any')],
    outcome: 'target-permissions',
    impact: 'Can start a training job whose container of its choice runs with a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['sagemaker-002'], iamVulnerable: ['privesc-sageMakerCreateTrainingJob'] },
  },
  {
    id: 'privesc-passrole-sagemaker-create-processing-job',
    title: 'iam:PassRole + sagemaker:CreateProcessingJob',
    requires: [passRole(SAGEMAKER), need('sagemaker:CreateProcessingJob', 'any')],
    outcome: 'target-permissions',
    impact: 'Can start a processing job whose container of its choice runs with a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['sagemaker-003'], iamVulnerable: ['privesc-sageMakerCreateProcessingJob'] },
  },
  {
    id: 'privesc-sagemaker-create-presigned-notebook-url',
    title: 'sagemaker:CreatePresignedNotebookInstanceUrl',
    requires: [need('sagemaker:CreatePresignedNotebookInstanceUrl', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can open an existing notebook instance that has a role and use the role from its terminal.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['sagemaker-004'], iamVulnerable: ['privesc-sageMakerCreatePresignedNotebookURL'] },
  },
  {
    id: 'privesc-sagemaker-notebook-lifecycle-config',
    title: 'sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance',
    requires: [
      need('sagemaker:CreateNotebookInstanceLifecycleConfig', 'any'),
      need('sagemaker:StopNotebookInstance', 'service-resource'),
      need('sagemaker:UpdateNotebookInstance', 'service-resource'),
      need('sagemaker:StartNotebookInstance', 'service-resource'),
    ],
    outcome: 'target-permissions',
    impact: 'Can give an existing notebook instance a start-up script of its own, which runs with the notebook\'s role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['sagemaker-005'] },
  },

  // ---- ECS ------------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-ecs-register-task-definition-create-service',
    title: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService',
    requires: [passRole(ECS_TASKS), need('ecs:RegisterTaskDefinition', 'any'), need('ecs:CreateService', 'any')],
    outcome: 'target-permissions',
    impact: 'Can register a task definition with a powerful task role and run it as a service.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ecs-003', 'ecs-001'] },
  },
  {
    id: 'privesc-passrole-ecs-run-task',
    title: 'iam:PassRole + ecs:RunTask',
    requires: [passRole(ECS_TASKS), need('ecs:RunTask', 'any')],
    outcome: 'target-permissions',
    impact: 'Can run a task whose task role and command it overrides, so its own command runs with a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ecs-008', 'ecs-004', 'ecs-002'] },
  },
  {
    id: 'privesc-passrole-ecs-start-task',
    title: 'iam:PassRole + ecs:StartTask',
    requires: [passRole(ECS_TASKS), need('ecs:StartTask', 'any')],
    outcome: 'target-permissions',
    impact: 'Can start a task on a container instance with an overridden task role and command, running as a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['ecs-009', 'ecs-005', 'ecs-007'] },
  },
  {
    id: 'privesc-ecs-execute-command',
    title: 'ecs:ExecuteCommand + ecs:DescribeTasks',
    requires: [need('ecs:ExecuteCommand', 'service-resource'), need('ecs:DescribeTasks', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can open a shell in a running task and use its task role\'s credentials.',
    fix: RESOURCE_FIX,
    precondition: 'ECS Exec is enabled on the service or task',
    sources: { pathfinding: ['ecs-006'] },
  },

  // ---- App Runner -----------------------------------------------------------------------------
  {
    id: 'privesc-passrole-apprunner-create-service',
    title: 'iam:PassRole + apprunner:CreateService',
    requires: [passRole('tasks.apprunner.amazonaws.com'), need('apprunner:CreateService', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create an App Runner service with a powerful instance role and run its own code as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['apprunner-001'] },
  },
  {
    id: 'privesc-apprunner-update-service',
    title: 'apprunner:UpdateService',
    requires: [need('apprunner:UpdateService', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can change the image or start command of a service that has an instance role and run its code as that role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['apprunner-002'] },
  },

  // ---- Bedrock AgentCore ----------------------------------------------------------------------
  {
    id: 'privesc-passrole-bedrock-code-interpreter',
    title: 'iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    requires: [
      passRole(AGENTCORE),
      need('bedrock-agentcore:CreateCodeInterpreter', 'any'),
      need('bedrock-agentcore:StartCodeInterpreterSession', 'any'),
      need('bedrock-agentcore:InvokeCodeInterpreter', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can create a code interpreter with a powerful role and run its own code in it as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['bedrock-001'] },
  },
  {
    id: 'privesc-bedrock-code-interpreter-session',
    title: 'bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    requires: [
      need('bedrock-agentcore:StartCodeInterpreterSession', 'service-resource'),
      need('bedrock-agentcore:InvokeCodeInterpreter', 'service-resource'),
    ],
    outcome: 'target-permissions',
    impact: 'Can run its own code in an existing code interpreter and use the interpreter\'s role.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['bedrock-002'] },
  },
  {
    id: 'privesc-passrole-bedrock-agent-runtime',
    title: 'iam:PassRole + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:InvokeAgentRuntimeCommand',
    requires: [
      passRole(AGENTCORE),
      need('bedrock-agentcore:CreateAgentRuntime', 'any'),
      need('bedrock-agentcore:CreateAgentRuntimeEndpoint', 'any'),
      need('bedrock-agentcore:CreateWorkloadIdentity', 'any'),
      need('bedrock-agentcore:InvokeAgentRuntimeCommand', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can create an agent runtime (or harness) with a powerful role and run shell commands in it as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['bedrock-003', 'bedrock-005'] },
  },
  {
    id: 'privesc-bedrock-invoke-agent-runtime-command',
    title: 'bedrock-agentcore:InvokeAgentRuntimeCommand',
    requires: [need('bedrock-agentcore:InvokeAgentRuntimeCommand', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can run shell commands in an existing agent runtime or harness and use its execution role.',
    fix: RESOURCE_FIX,
    precondition: 'the runtime accepts IAM (not JWT) inbound authentication',
    sources: { pathfinding: ['bedrock-004'] },
  },
  {
    id: 'privesc-passrole-bedrock-browser',
    title: 'iam:PassRole + bedrock-agentcore:CreateBrowser + bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream',
    requires: [
      passRole(AGENTCORE),
      need('bedrock-agentcore:CreateBrowser', 'any'),
      need('bedrock-agentcore:StartBrowserSession', 'any'),
      need('bedrock-agentcore:ConnectBrowserAutomationStream', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can create a browser with a powerful role, drive it and read the role\'s credentials from its metadata service.',
    fix: PASS_FIX,
    sources: { pathfinding: ['bedrock-006'] },
  },
  {
    id: 'privesc-bedrock-browser-session',
    title: 'bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream',
    requires: [
      need('bedrock-agentcore:StartBrowserSession', 'service-resource'),
      need('bedrock-agentcore:ConnectBrowserAutomationStream', 'service-resource'),
    ],
    outcome: 'target-permissions',
    impact: 'Can drive an existing browser that has a role and read the role\'s credentials.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['bedrock-007'] },
  },

  // ---- Batch ----------------------------------------------------------------------------------
  {
    id: 'privesc-passrole-batch-register-job-definition-submit-job',
    title: 'iam:PassRole + batch:RegisterJobDefinition + batch:SubmitJob',
    requires: [passRole(ECS_TASKS, 'batch.amazonaws.com'), need('batch:RegisterJobDefinition', 'any'), need('batch:SubmitJob', 'any')],
    outcome: 'target-permissions',
    impact: 'Can register a job definition with a powerful job role and submit it to run its own command as that role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['batch-001', 'batch-003'] },
  },
  {
    id: 'privesc-batch-submit-job',
    title: 'batch:SubmitJob',
    requires: [need('batch:SubmitJob', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can submit an existing job definition that has a job role with its own command override.',
    fix: RESOURCE_FIX,
    sources: { pathfinding: ['batch-002'] },
  },

  // ---- Other services that run code with a passed role ----------------------------------------
  {
    id: 'privesc-passrole-braket-create-job',
    title: 'iam:PassRole + braket:CreateJob',
    requires: [passRole('braket.amazonaws.com'), need('braket:CreateJob', 'any')],
    outcome: 'target-permissions',
    impact: 'Can start a Braket hybrid job whose script of its choice runs with a powerful role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['braket-001'] },
  },
  {
    id: 'privesc-codedeploy-create-deployment',
    title: 'codedeploy:CreateDeployment + codedeploy:RegisterApplicationRevision + codedeploy:GetDeploymentConfig',
    requires: [
      need('codedeploy:CreateDeployment', 'service-resource'),
      need('codedeploy:RegisterApplicationRevision', 'service-resource'),
      need('codedeploy:GetDeploymentConfig', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can deploy its own revision to instances that have a role, whose hook scripts run with that role.',
    fix: RESOURCE_FIX,
    precondition: 'the deployment group targets instances with an instance profile and the CodeDeploy agent',
    sources: { pathfinding: ['codedeploy-001'] },
  },
  {
    id: 'privesc-passrole-cognito-set-identity-pool-roles',
    title: 'iam:PassRole + cognito-identity:SetIdentityPoolRoles',
    requires: [passRole('cognito-identity.amazonaws.com'), need('cognito-identity:SetIdentityPoolRoles', 'service-resource')],
    outcome: 'target-permissions',
    impact: 'Can bind a powerful role to an identity pool\'s unauthenticated identities and fetch its credentials anonymously.',
    fix: PASS_FIX,
    precondition: 'the identity pool allows unauthenticated identities',
    sources: { pathfinding: ['cognitoidentity-001'] },
  },
  {
    id: 'privesc-passrole-emr-run-job-flow',
    title: 'iam:PassRole + elasticmapreduce:RunJobFlow',
    requires: [passRole(EC2), need('elasticmapreduce:RunJobFlow', 'any')],
    outcome: 'target-permissions',
    impact: 'Can create an EMR cluster whose instances carry a powerful role and run its own step on them.',
    fix: PASS_FIX,
    sources: { pathfinding: ['emr-001'] },
  },
  {
    id: 'privesc-passrole-emr-serverless',
    title: 'iam:PassRole + emr-serverless:CreateApplication + emr-serverless:StartJobRun',
    requires: [passRole('emr-serverless.amazonaws.com'), need('emr-serverless:CreateApplication', 'any'), need('emr-serverless:StartJobRun', 'any')],
    outcome: 'target-permissions',
    impact: 'Can run a Spark job of its own with a powerful execution role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['emrserverless-001'] },
  },
  {
    id: 'privesc-passrole-gamelift-create-fleet',
    title: 'iam:PassRole + gamelift:CreateBuild + gamelift:CreateFleet',
    requires: [
      passRole('gamelift.amazonaws.com', EC2),
      need('gamelift:CreateBuild', 'any'),
      need('gamelift:RequestUploadCredentials', 'any'),
      need('gamelift:CreateFleet', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can upload a server build of its own and run it on a fleet with a powerful instance role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['gamelift-001'] },
  },
  {
    id: 'privesc-passrole-imagebuilder-create-image',
    title: 'iam:PassRole + imagebuilder:CreateComponent + imagebuilder:CreateImageRecipe + imagebuilder:CreateInfrastructureConfiguration + imagebuilder:CreateImage',
    requires: [
      passRole(EC2),
      need('imagebuilder:CreateComponent', 'any'),
      need('imagebuilder:CreateImageRecipe', 'any'),
      need('imagebuilder:CreateInfrastructureConfiguration', 'any'),
      need('imagebuilder:CreateImage', 'any'),
    ],
    outcome: 'target-permissions',
    impact: 'Can build an image whose build instance carries a powerful instance profile and runs its own component.',
    fix: PASS_FIX,
    sources: { pathfinding: ['imagebuilder-001'] },
  },
  {
    id: 'privesc-passrole-kinesisanalytics',
    title: 'iam:PassRole + kinesisanalytics:CreateApplication + kinesisanalytics:StartApplication',
    requires: [passRole('kinesisanalytics.amazonaws.com'), need('kinesisanalytics:CreateApplication', 'any'), need('kinesisanalytics:StartApplication', 'any')],
    outcome: 'target-permissions',
    impact: 'Can run a Flink application of its own with a powerful execution role.',
    fix: PASS_FIX,
    sources: { pathfinding: ['kinesisanalytics-001'] },
  },
  {
    id: 'privesc-passrole-omics-start-run',
    title: 'iam:PassRole + omics:CreateWorkflow + omics:StartRun',
    requires: [passRole('omics.amazonaws.com'), need('omics:CreateWorkflow', 'any'), need('omics:StartRun', 'any')],
    outcome: 'target-permissions',
    impact: 'Can run a HealthOmics workflow of its own that copies a powerful role\'s credentials out.',
    fix: PASS_FIX,
    sources: { pathfinding: ['omics-001'] },
  },
];
