import { loadActionCatalog } from '../../src/catalog/iamDataCatalog';
import type { ActionCatalog } from '../../src/model/actionCatalog';
import { matchActions } from '../../src/model/actionCatalog';
import { MFA_SELF_SERVICE_ACTIONS, requireMfaStatements } from '../../src/model/builtinPolicies';
import { resolveAction } from '../../src/model/permissions';
import { s3ReadOnlyStatements } from '../../src/model/s3ReadOnly';
import type { Diagnostic } from '../../src/diagnostics/diagnostic';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog(['s3', 'iam', 'sts', 'ec2']);
});

const source = { file: 't.yaml', path: [] };

describe('actions are checked against the AWS catalog', () => {
  it('normalises exact names to AWS spelling, case-insensitively; keeps wildcards as written', () => {
    const diagnostics: Diagnostic[] = [];
    expect(resolveAction('S3:getobject', catalog, source, diagnostics)).toBe('s3:GetObject');
    expect(resolveAction('s3:Get*', catalog, source, diagnostics)).toBe('s3:Get*');
    expect(resolveAction('EC2:Describe?nstances', catalog, source, diagnostics)).toBe('ec2:Describe?nstances');
    expect(resolveAction('*', catalog, source, diagnostics)).toBe('*');
    expect(diagnostics).toEqual([]);
  });

  it('refuses a typo with the closest action, and an unknown service with the closest service', () => {
    const diagnostics: Diagnostic[] = [];
    expect(resolveAction('s3:GetObjekt', catalog, source, diagnostics)).toBeUndefined();
    expect(resolveAction('s4:GetObject', catalog, source, diagnostics)).toBeUndefined();
    expect(resolveAction('s3:Frobnicate*', catalog, source, diagnostics)).toBeUndefined();
    expect(diagnostics.map((d) => [d.rule, d.message])).toEqual([
      ['unknown-action', expect.stringContaining('did you mean "s3:GetObject"?')],
      ['unknown-action', expect.stringContaining('did you mean "s3:GetObject"?')],
      ['unknown-action', '"s3:Frobnicate*" matches no s3 action'],
    ]);
  });

  it('wildcards match as IAM does: * any run, ? one character', () => {
    const names = (pattern: string) => (matchActions(catalog, pattern) ?? []).map((a) => a.name);
    expect(names('s3:GetObject?cl')).toEqual(['GetObjectAcl']);
    expect(names('s3:GetObjectAc')).toEqual([]);
    expect(names('s3:GetObjectAc?')).toEqual(['GetObjectAcl']);
    expect(names('s3:*').length).toBe(catalog.actions('s3')!.length);
    expect(names('sts:Assume*')).toEqual(expect.arrayContaining(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity']));
  });
});

describe('s3ReadOnly by bucket', () => {
  const actionsOf = (statements: ReturnType<typeof s3ReadOnlyStatements>) => statements.flatMap((s) => [...(s.actions ?? [])]);

  it('grants nothing outside the Read and List access levels, by the catalog', () => {
    const statements = s3ReadOnlyStatements(['analytics-prod', 'logs/2026/'], 'aws', catalog, source);
    const levels = new Map(catalog.actions('s3')!.map((a) => [`s3:${a.name}`, a.accessLevels]));
    const actions = actionsOf(statements);
    expect(actions.length).toBeGreaterThan(20);
    for (const action of actions) {
      expect({ action, levels: levels.get(action)?.every((l) => l === 'Read' || l === 'List') }).toEqual({ action, levels: true });
    }
    expect(actions).not.toContain('s3:PutObject');
    expect(actions).not.toContain('s3:ListAllMyBuckets');
  });

  it('scopes a whole bucket to its ARN and its objects, and a prefix to objects under it and listing with s3:prefix', () => {
    const statements = s3ReadOnlyStatements(['analytics-prod', 'logs/2026/'], 'aws-cn', catalog, source);
    const resources = statements.flatMap((s) => [...(s.resources ?? [])]);
    expect(new Set(resources)).toEqual(
      new Set(['arn:aws-cn:s3:::analytics-prod', 'arn:aws-cn:s3:::analytics-prod/*', 'arn:aws-cn:s3:::logs/2026/*', 'arn:aws-cn:s3:::logs']),
    );
    const onLogsBucket = statements.filter((s) => s.resources?.includes('arn:aws-cn:s3:::logs'));
    for (const statement of onLogsBucket) {
      // Only listing (narrowed by prefix) and locating: no bucket-level configuration reads for a prefix.
      if (statement.conditions) expect(statement.conditions).toEqual({ StringLike: { 's3:prefix': ['2026/', '2026/*'] } });
      else expect(statement.actions).toEqual(['s3:GetBucketLocation']);
    }
    expect(onLogsBucket.flatMap((s) => [...(s.actions ?? [])])).toContain('s3:ListBucket');
  });

  it('a prefix of a bucket also listed whole adds no narrower listing', () => {
    const statements = s3ReadOnlyStatements(['analytics-prod', 'analytics-prod/reports/'], 'aws', catalog, source);
    expect(statements.filter((s) => s.conditions)).toEqual([]);
  });
});

describe('built-in policies name real actions', () => {
  it('every MFA self-service action exists in the catalog', () => {
    const statements = requireMfaStatements('aws', '111111111111', 'arn:aws:iam::111111111111:user/alice', source);
    const named = [...MFA_SELF_SERVICE_ACTIONS, ...statements.flatMap((s) => [...(s.actions ?? []), ...(s.notActions ?? [])])];
    for (const action of named) expect({ action, known: (matchActions(catalog, action) ?? []).length === 1 }).toEqual({ action, known: true });
  });

  it('the deny without MFA uses BoolIfExists, so long-term keys (no MFA key at all) are denied too', () => {
    const deny = requireMfaStatements('aws', '111111111111', 'arn:aws:iam::111111111111:user/alice', source).find((s) => s.effect === 'Deny')!;
    expect(deny.conditions).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': ['false'] } });
    expect(deny.notActions).not.toContain('sts:AssumeRole');
  });
});
