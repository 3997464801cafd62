/**
 * AWS managed policies on a hand-built catalog: names checked with
 * did-you-mean, other accounts' policies refused, published documents in the
 * model's canonical form.
 */
import type { Diagnostic } from '../../src/diagnostics/diagnostic';
import type { AttachingAccount } from '../../src/model/managedPolicies';
import { managedPolicyAttachment, namesAwsManagedPolicy, permissionsBoundary } from '../../src/model/managedPolicies';
import { managedPolicyCatalogOf, policyDocumentFromJson, type ManagedPolicyCatalog } from '../../src/model/managedPolicyCatalog';
import { canonicalDocument, renderPolicyDocument } from '../../src/model/renderPolicy';
import type { ValidatedFile } from '../../src/schema/validateDocument';

const source = { file: 'roles.yaml', path: ['roles', 0, 'managedPolicies', 0] };
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const catalog = managedPolicyCatalogOf({
  AdministratorAccess: ADMIN,
  ReadOnlyAccess: { Statement: { Effect: 'Allow', Action: ['s3:List*', 's3:Get*'], Resource: '*' } },
  'service-role/AWSLambdaBasicExecutionRole': { Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] },
  'job-function/ViewOnlyAccess': { Statement: [{ Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: '*' }] },
  'service-role/AWSGlueServiceRole': { Statement: [{ Effect: 'Allow', Action: ['glue:*'], Resource: '*' }] },
  AWSGlueServiceRule: { Statement: [{ Effect: 'Allow', Action: ['glue:Get*'], Resource: '*' }] },
});
const aws: AttachingAccount = { partition: 'aws', id: '111111111111' };

function attach(nameOrArn: string, account = aws, policies: ManagedPolicyCatalog = catalog) {
  const diagnostics: Diagnostic[] = [];
  const attachment = managedPolicyAttachment(nameOrArn, account, policies, source, diagnostics);
  return { attachment, findings: diagnostics.map((d) => [d.severity, d.rule, d.message, d.source]) };
}

describe('managedPolicies: names are checked against the catalog', () => {
  it('a misspelt AWS managed name is an error at the item, with the name meant', () => {
    expect(attach('AdminstratorAccess').findings).toEqual([
      ['error', 'unknown-managed-policy', '"AdminstratorAccess" is not an AWS managed policy; did you mean "AdministratorAccess"?', source],
    ]);
  });

  it('a name without its path: the path-and-name AWS keeps it under', () => {
    expect(attach('AWSLambdaBasicExecutionRole').findings).toEqual([
      [
        'error',
        'unknown-managed-policy',
        '"AWSLambdaBasicExecutionRole" is not an AWS managed policy at that path; did you mean "service-role/AWSLambdaBasicExecutionRole"?',
        source,
      ],
    ]);
    // The same name at another path beats a near name at the path written.
    expect(attach('AWSGlueServiceRole').findings[0]![2]).toContain('at that path; did you mean "service-role/AWSGlueServiceRole"?');
    // A typo and a missing path at once: the closest name, with its path.
    expect(attach('AWSLambdaBasicExecutionRol').findings[0]![2]).toContain('did you mean "service-role/AWSLambdaBasicExecutionRole"?');
  });

  it('an ARN is suggested as an ARN; a wrong path as the right one', () => {
    expect(attach('arn:aws:iam::aws:policy/AdministratorAcess').findings[0]![2]).toBe(
      '"arn:aws:iam::aws:policy/AdministratorAcess" is not an AWS managed policy; did you mean "arn:aws:iam::aws:policy/AdministratorAccess"?',
    );
    expect(attach('arn:aws:iam::aws:policy/service-role/ViewOnlyAccess').findings[0]![2]).toContain(
      'did you mean "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"?',
    );
  });

  it('IAM ARNs are case-sensitive: the wrong case is an error, with the right spelling', () => {
    expect(attach('administratoraccess').findings[0]![2]).toContain('did you mean "AdministratorAccess"?');
  });

  it('a bare name matching nothing says how to attach a customer managed policy', () => {
    expect(attach('TeamDataReaders').findings).toEqual([
      [
        'error',
        'unknown-managed-policy',
        '"TeamDataReaders" is not an AWS managed policy: a customer managed policy is attached by its ARN, arn:PARTITION:iam::ACCOUNT:policy/NAME',
        source,
      ],
    ]);
  });

  it('known names, by name, path and ARN, pass and carry the published document, sourced at the item', () => {
    for (const [written, arn] of [
      ['AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'],
      ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'],
      ['service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    ] as const) {
      const { attachment, findings } = attach(written);
      expect(findings).toEqual([]);
      expect(attachment.arn).toBe(arn);
      expect(attachment.document?.statements.length).toBe(1);
      expect(attachment.document!.statements.every((s) => s.source === source)).toBe(true);
    }
    expect(attach('AdministratorAccess').attachment.document).toEqual({ statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], source }] });
  });

  it("the account's own customer managed policy is attached as written, with no document (rolecall cannot see it)", () => {
    const { attachment, findings } = attach('arn:aws:iam::111111111111:policy/team/readers');
    expect(findings).toEqual([]);
    expect(attachment).toEqual({ arn: 'arn:aws:iam::111111111111:policy/team/readers', source });
  });

  it("another account's customer managed policy cannot be attached: error at the item", () => {
    expect(attach('arn:aws:iam::999999999999:policy/readers').findings).toEqual([
      [
        'error',
        'managed-policy-account',
        "arn:aws:iam::999999999999:policy/readers is a customer managed policy of account 999999999999; an attached policy must be AWS managed or a policy of this account (111111111111), IAM attaches no other account's: create the policy in 111111111111",
        source,
      ],
    ]);
  });

  it('another partition: only partition-mismatch speaks (resolve reports it), no second finding', () => {
    expect(attach('arn:aws-cn:iam::aws:policy/Nonexistent').findings).toEqual([]);
    expect(attach('arn:aws-cn:iam::999999999999:policy/x').findings).toEqual([]);
  });

  it('in aws-cn and aws-us-gov the aws list only warns, and no document is guessed', () => {
    const cn: AttachingAccount = { partition: 'aws-cn', id: '111111111111' };
    expect(attach('AdminstratorAccess', cn).findings).toEqual([
      [
        'warning',
        'unknown-managed-policy',
        '"AdminstratorAccess" is not an AWS managed policy in the aws partition, the only list rolecall has: check that aws-cn has it; did you mean "AdministratorAccess"?',
        source,
      ],
    ]);
    const known = attach('AdministratorAccess', cn);
    expect(known).toEqual({ attachment: { arn: 'arn:aws-cn:iam::aws:policy/AdministratorAccess', source }, findings: [] });
  });
});

describe('permissionsBoundary', () => {
  const boundarySource = { file: 'users.yaml', path: ['users', 0, 'permissionsBoundary'] };
  const boundary = (nameOrArn: string, policies: ManagedPolicyCatalog = catalog) => {
    const diagnostics: Diagnostic[] = [];
    return { boundary: permissionsBoundary(nameOrArn, aws, policies, boundarySource, diagnostics), findings: diagnostics.map((d) => [d.rule, d.message]) };
  };
  const noCatalog: ManagedPolicyCatalog = {
    find: () => {
      throw new Error('a bare boundary name is a customer managed policy: the catalog is not asked');
    },
    names: () => [],
    document: () => undefined,
  };

  it("a bare name is the principal's own customer managed policy: no check, no document", () => {
    expect(boundary('ReadOnlyBoundary', noCatalog)).toEqual({ boundary: { arn: 'arn:aws:iam::111111111111:policy/ReadOnlyBoundary' }, findings: [] });
  });

  it('an AWS managed ARN is checked and brings its document', () => {
    const known = boundary('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(known.findings).toEqual([]);
    expect(known.boundary.document).toEqual({
      statements: [{ effect: 'Allow', actions: ['s3:Get*', 's3:List*'], resources: ['*'], source: boundarySource }],
    });
    expect(boundary('arn:aws:iam::aws:policy/ReadOnlyAcess').findings).toEqual([
      ['unknown-managed-policy', '"arn:aws:iam::aws:policy/ReadOnlyAcess" is not an AWS managed policy; did you mean "arn:aws:iam::aws:policy/ReadOnlyAccess"?'],
    ]);
  });

  it("another account's policy cannot be a boundary", () => {
    expect(boundary('arn:aws:iam::999999999999:policy/boundary').findings).toEqual([
      ['managed-policy-account', expect.stringContaining('a permissions boundary must be AWS managed or a policy of this account (111111111111)')],
    ]);
  });
});

describe('published documents in the model form', () => {
  it('lists for single strings, booleans as strings, Sid kept, canonical order', () => {
    const document = policyDocumentFromJson(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'NoIam', Effect: 'Deny', NotAction: 'iam:*', NotResource: ['arn:aws:s3:::b', 'arn:aws:s3:::a', 'arn:aws:s3:::a'] },
          { Effect: 'Allow', Action: ['s3:List*', 's3:Get*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 } } },
        ],
      },
      source,
    );
    expect(document).toEqual({
      statements: [
        {
          effect: 'Allow',
          actions: ['s3:Get*', 's3:List*'],
          resources: ['*'],
          conditions: { Bool: { 'aws:SecureTransport': ['true'] }, NumericLessThan: { 's3:max-keys': ['10'] } },
          source,
        },
        { sid: 'NoIam', effect: 'Deny', notActions: ['iam:*'], notResources: ['arn:aws:s3:::a', 'arn:aws:s3:::b'], source },
      ],
    });
    expect(canonicalDocument(document!)).toEqual(document);
  });

  it.each([
    ['a Principal (not an identity policy)', { Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }],
    ['an unknown key', { Effect: 'Allow', Action: '*', Resource: '*', Extra: 1 }],
    ['Action and NotAction', { Effect: 'Allow', Action: '*', NotAction: 'iam:*', Resource: '*' }],
    ['no Resource', { Effect: 'Allow', Action: '*' }],
    ['Resource and NotResource', { Effect: 'Allow', Action: '*', Resource: '*', NotResource: 'x' }],
    ['an action that is not a string', { Effect: 'Allow', Action: [1], Resource: '*' }],
    ['an empty action list', { Effect: 'Allow', Action: [], Resource: '*' }],
    ['an unknown effect', { Effect: 'Permit', Action: '*', Resource: '*' }],
    ['a condition value of an object', { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: { v: 1 } } } }],
    ['a condition operator that is a list', { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: ['x'] } }],
    ['a Sid that is not a string', { Sid: 3, Effect: 'Allow', Action: '*', Resource: '*' }],
  ])('a document holding %s is not half read: no document at all', (_what, statement) => {
    expect(policyDocumentFromJson({ Statement: [ADMIN.Statement[0], statement] }, source)).toBeUndefined();
  });

  it('no Statement, or not an object: no document', () => {
    expect(policyDocumentFromJson({ Version: '2012-10-17' }, source)).toBeUndefined();
    expect(policyDocumentFromJson('{"Statement": []}', source)).toBeUndefined();
    expect(policyDocumentFromJson(undefined, source)).toBeUndefined();
  });

  it('NotResource renders as IAM JSON, sorted and de-duplicated, after Resource keys', () => {
    const json = renderPolicyDocument({
      statements: [{ effect: 'Deny', notActions: ['iam:*'], notResources: ['arn:aws:s3:::b', 'arn:aws:s3:::a', 'arn:aws:s3:::b'], source }],
    });
    expect(JSON.parse(json)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['iam:*'], NotResource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] }] });
    expect(canonicalDocument({ statements: [{ effect: 'Deny', actions: ['*'], notResources: ['b', 'a', 'a'], source }] }).statements[0]!.notResources).toEqual(['a', 'b']);
  });
});

describe('namesAwsManagedPolicy: the catalog is loaded only for a config that needs it', () => {
  const file = (users: object[], roles: object[], groups: object[] = []) =>
    ({ users: users.map((value) => ({ value })), roles: roles.map((value) => ({ value })), groups: groups.map((value) => ({ value })) }) as unknown as ValidatedFile;
  const role = (extra: object) => ({ name: 'r', trust: [], ...extra });

  it.each([
    ['a bare managedPolicies name', file([], [role({ managedPolicies: ['arn:aws:iam::111111111111:policy/x', 'ReadOnlyAccess'] })])],
    ['an AWS managed ARN', file([], [role({ managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })])],
    ['s3ReadOnly: all', file([], [role({ s3ReadOnly: 'all' })])],
    ["a user's AWS managed boundary", file([{ name: 'u', permissionsBoundary: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' }], [])],
    ["a role's AWS managed boundary", file([], [role({ permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' })])],
    ["a group's managedPolicies name", file([], [], [{ name: 'g', members: [], managedPolicies: ['ReadOnlyAccess'] }])],
  ])('%s: loaded', (_what, validated) => {
    expect(namesAwsManagedPolicy([file([], []), validated])).toBe(true);
  });

  it('customer managed ARNs, bare boundary names and s3ReadOnly by bucket: not loaded', () => {
    const validated = file(
      [{ name: 'u', permissionsBoundary: 'Boundary' }],
      [role({ managedPolicies: ['arn:aws:iam::111111111111:policy/x'], permissionsBoundary: 'arn:aws:iam::111111111111:policy/b', s3ReadOnly: { buckets: ['b'] } })],
      [{ name: 'g', members: [], managedPolicies: ['arn:aws:iam::111111111111:policy/x'] }],
    );
    expect(namesAwsManagedPolicy([validated])).toBe(false);
  });
});
