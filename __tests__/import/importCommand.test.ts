/**
 * `rolecall import`: untrusted input (errors at their JSON place, nothing
 * written), the output directory rules, accept-at-import, determinism, and
 * the trust shapes that map or are reported.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type Io } from '../../src/cli/main';
import { readAuthorizationDetails } from '../../src/import/authorizationDetails';
import { importAccounts } from '../../src/import/importAccounts';
import { compile } from '../../src/pipeline/compile';
import { IMPORT_MARKER, importConfig } from '../../src/pipeline/importConfig';

const FIXTURES = path.join(__dirname, 'fixtures');
const NOW = new Date('2026-11-22T12:00:00Z');
const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-import-'));

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

const role = (name: string, statements: unknown[], extra: Record<string, unknown> = {}) => ({
  Path: '/',
  RoleName: name,
  Arn: `arn:aws:iam::222222222222:role/${name}`,
  AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements },
  RolePolicyList: [],
  AttachedManagedPolicies: [],
  ...extra,
});

/** Imports one prod-like file (as data, no I/O) and returns its roles' YAML values and findings. */
function importRoles(roles: unknown[]) {
  const read = readAuthorizationDetails('prod.json', { UserDetailList: [], GroupDetailList: [], RoleDetailList: roles, Policies: [] });
  expect(read.diagnostics).toEqual([]);
  const result = importAccounts([{ details: read.details, account: 'prod' }], NOW);
  const file = result.files.find((f) => f.path === 'prod/roles.yaml');
  return { roles: file ? file.sections[0]!.items.map((i) => i.value) : [], findings: result.diagnostics.map((d) => `${d.rule} ${d.source.path.join('.')}: ${d.message}`) };
}

describe('rolecall import: untrusted input', () => {
  it('reports a JSON syntax error at its line and column, exits 1 and writes nothing', async () => {
    const dir = await tmp();
    await fs.writeFile(path.join(dir, 'bad.json'), '{\n  "RoleDetailList": [\n    { "RoleName": "x", }\n  ]\n}\n');
    const result = await cli(['import', '--from', 'bad.json', '--account', 'prod', '--out', 'out'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.json:3:24: error import-input: is not JSON: unexpected "}"');
    await expect(fs.stat(path.join(dir, 'out'))).rejects.toThrow();
  });

  it('reports every malformed value at its JSON path in one run', async () => {
    const dir = await tmp();
    const bad = {
      UserDetailList: [{ UserName: 'alice', Arn: 'arn:aws:iam::111111111111:user/alice', GroupList: 'admins' }],
      RoleDetailList: [{ RoleName: 7, Arn: 'arn:aws:iam::111111111111:role/x', AssumeRolePolicyDocument: '%7B%22Statement%22%3A' }],
      Policies: [{ PolicyName: 'p', Arn: 'arn:aws:iam::111111111111:policy/p', PolicyVersionList: [{ IsDefaultVersion: true, Document: { Statement: ['nope'] } }] }],
    };
    await fs.writeFile(path.join(dir, 'bad.json'), JSON.stringify(bad));
    const result = await cli(['import', '--from', 'bad.json', '--account', 'identity', '--out', 'out'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.json: $.UserDetailList[0].GroupList: error import-input: GroupList is a JSON list, found the string "admins"');
    expect(result.stderr).toContain('bad.json: $.RoleDetailList[0].RoleName: error import-input: RoleName is a non-empty string, found a number');
    expect(result.stderr).toContain('bad.json: $.RoleDetailList[0].AssumeRolePolicyDocument: error import-input: AssumeRolePolicyDocument is a policy document');
    expect(result.stderr).toContain('bad.json: $.Policies[0].PolicyVersionList[0].Document.Statement[0]: error import-input: a policy statement is a JSON object here');
    expect(result.stderr).toContain('nothing was written');
    await expect(fs.stat(path.join(dir, 'out'))).rejects.toThrow();
  });

  it('refuses a file that is not authorization details, a truncated one, and one that mixes accounts', async () => {
    expect(readAuthorizationDetails('f.json', { Roles: [] }).diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('not the output of aws iam get-account-authorization-details')]);
    expect(readAuthorizationDetails('f.json', { RoleDetailList: [], IsTruncated: true, Marker: 'x' }).diagnostics.map((d) => d.source.path)).toEqual([['IsTruncated']]);
    const mixed = readAuthorizationDetails('f.json', { RoleDetailList: [role('a', []), { ...role('b', []), Arn: 'arn:aws:iam::999999999999:role/b' }] });
    const result = importAccounts([{ details: mixed.details, account: 'prod' }], NOW);
    expect(result.diagnostics.map((d) => [d.rule, d.source.path.join('.'), d.message])).toEqual([
      ['import-input', 'RoleDetailList.1.Arn', expect.stringContaining('mixes accounts 222222222222, 999999999999')],
    ]);
    expect(result.files).toEqual([]);
  });

  it('reads a URL-encoded policy document (the raw API shape) like a JSON object', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const encoded = importRoles([{ ...role('a', []), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) }]);
    const plain = importRoles([{ ...role('a', []), AssumeRolePolicyDocument: trust }]);
    expect(encoded.roles).toEqual(plain.roles);
    expect(encoded.roles[0]!['trust']).toEqual([{ service: 'ec2.amazonaws.com' }]);
  });

  it('takes one --account per --from, and names accounts as the config does', async () => {
    const dir = await tmp();
    expect((await cli(['import', '--from', 'a.json', '--from', 'b.json', '--account', 'x'], dir)).code).toBe(2);
    expect((await cli(['import', '--from', 'a.json', '--account', 'Prod'], dir)).stderr).toContain('--account Prod: an account name is lowercase');
    expect((await cli(['import', '--account', 'prod'], dir)).stderr).toContain('import needs --from FILE');
  });
});

describe('rolecall import: the output directory', () => {
  const args = (out: string) => ['import', '--from', path.join(FIXTURES, 'identity.json'), '--account', 'identity', '--from', path.join(FIXTURES, 'prod.json'), '--account', 'prod', '--out', out];

  it('refuses a non-empty directory that holds no earlier import, and touches nothing in it', async () => {
    const dir = await tmp();
    await fs.mkdir(path.join(dir, 'out'));
    await fs.writeFile(path.join(dir, 'out', 'notes.txt'), 'mine');
    const result = await cli(args('out'), dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not empty and holds no earlier import');
    expect(await fs.readdir(path.join(dir, 'out'))).toEqual(['notes.txt']);
  });

  it('replaces an earlier import whole, but refuses one where someone added a file', async () => {
    const dir = await tmp();
    expect((await cli(args('out'), dir)).code).toBe(0);
    const first = await fs.readFile(path.join(dir, 'out', 'prod', 'roles.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'out', 'prod', 'roles.yaml'), 'edited');
    expect((await cli(args('out'), dir)).code).toBe(0);
    expect(await fs.readFile(path.join(dir, 'out', 'prod', 'roles.yaml'), 'utf8')).toBe(first);
    await fs.writeFile(path.join(dir, 'out', 'prod', 'extra.yaml'), 'roles: []\n');
    const refused = await cli(args('out'), dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds prod/extra.yaml, which rolecall import did not write');
    expect(await fs.readFile(path.join(dir, 'out', 'prod', 'extra.yaml'), 'utf8')).toBe('roles: []\n');
    // No staging directory is left beside it.
    expect((await fs.readdir(dir)).sort()).toEqual(['out']);
  }, 60_000);

  it('writes byte-identical files on every run, and lists them in its marker', async () => {
    const dirs = [await tmp(), await tmp()];
    const texts: string[][] = [];
    for (const dir of dirs) {
      const outcome = await importConfig({ inputs: [{ file: path.join(FIXTURES, 'identity.json'), account: 'identity' }, { file: path.join(FIXTURES, 'prod.json'), account: 'prod' }], out: 'out', cwd: dir, now: NOW });
      texts.push(await Promise.all(outcome.files.map((f) => fs.readFile(path.join(dir, 'out', f), 'utf8'))));
      expect(JSON.parse(await fs.readFile(path.join(dir, 'out', IMPORT_MARKER), 'utf8')).files).toEqual([...outcome.files].sort());
    }
    expect(texts[0]).toEqual(texts[1]);
    expect(texts[0]!.join('')).not.toMatch(/[&*]id\d|<<:/);
  }, 60_000);
});

describe('rolecall import: the security findings present at import', () => {
  it('become dated accept: entries, so the imported config validates with no unaccepted finding', async () => {
    const dir = await tmp();
    const outcome = await importConfig({ inputs: [{ file: path.join(FIXTURES, 'identity.json'), account: 'identity' }, { file: path.join(FIXTURES, 'prod.json'), account: 'prod' }], out: 'out', cwd: dir, now: NOW });
    expect(outcome.compiled!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const compiled = await compile(path.join(dir, 'out'), { now: NOW });
    const security = compiled.security;
    expect(security.length).toBe(outcome.accepted);
    expect(security.every((f) => f.accepted?.reason === 'present at import on 2026-11-22')).toBe(true);
    expect(compiled.diagnostics.filter((d) => !d.accepted && d.severity === 'error')).toEqual([]);
    expect(compiled.diagnostics.filter((d) => d.rule === 'stale-accept')).toEqual([]);
    const groups = await fs.readFile(path.join(dir, 'out', 'identity', 'groups.yaml'), 'utf8');
    expect(groups).toContain('  - name: admins\n    account: identity\n    adopt: true\n    members: [alice]\n    managedPolicies: [AdministratorAccess]\n    accept:\n      - rule: full-admin\n        reason: present at import on 2026-11-22\n');
  }, 60_000);

  it('writes adopt: true on every imported entity: the first deploy imports them instead of creating them', async () => {
    const read = readAuthorizationDetails('prod.json', { RoleDetailList: [role('a', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }])] });
    const value = importAccounts([{ details: read.details, account: 'prod' }], NOW).files[1]!.sections[0]!.items[0]!.value;
    expect(value['adopt']).toBe(true);
  });
});

describe('rolecall import: trust shapes', () => {
  const allow = (principal: unknown, action: string | string[], condition?: unknown) => ({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });

  it('maps an account trust with its external id, and an unknown account without one to a finding', () => {
    const { roles, findings } = importRoles([
      role('partner', [allow({ AWS: '333333333333' }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'abc123' } })]),
      role('open', [allow({ AWS: 'arn:aws:iam::333333333333:root' }, 'sts:AssumeRole')]),
    ]);
    expect(roles.map((r) => r['trust'])).toEqual([[{ account: '333333333333', externalId: 'abc123' }]]);
    expect(findings).toEqual([
      expect.stringMatching(/^import-not-expressible RoleDetailList\.1\.AssumeRolePolicyDocument\.Statement\.0\.Principal\.AWS: .*account 333333333333 is not imported and its trust has no sts:ExternalId/),
      expect.stringMatching(/^import-not-expressible RoleDetailList\.1\.AssumeRolePolicyDocument: role open left out/),
    ]);
  });

  it('maps mfa (present and age), sourceIp, expiry and sts:TagSession as guards', () => {
    const { roles } = importRoles([
      role('guarded', [
        allow({ AWS: 'arn:aws:iam::222222222222:root' }, ['sts:AssumeRole', 'sts:TagSession'], {
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': 900 },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
          DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
        }),
      ]),
    ]);
    expect(roles[0]!['trust']).toEqual([{ account: 'prod', mfa: { maxAge: 900 }, sourceIp: ['10.0.0.0/8'], expires: '2027-01-01T00:00:00Z', tagSession: true }]);
  });

  it('leaves out a statement whose condition the format has no field for, rather than let in more', () => {
    const { roles, findings } = importRoles([
      role('r', [
        allow({ Service: 'ec2.amazonaws.com' }, 'sts:AssumeRole'),
        allow({ AWS: 'arn:aws:iam::222222222222:root' }, 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }),
        allow({ AWS: 'arn:aws:iam::222222222222:root' }, 'sts:AssumeRole', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }),
      ]),
    ]);
    expect(roles[0]!['trust']).toEqual([{ service: 'ec2.amazonaws.com' }]);
    expect(findings).toEqual([
      expect.stringContaining('Statement.1.Condition: trust left out: the condition StringEquals aws:PrincipalOrgID "o-1" has no place'),
      expect.stringContaining('Statement.2.Condition: trust left out: the condition BoolIfExists aws:MultiFactorAuthPresent "true" has no place'),
    ]);
  });

  it('maps GitHub (one ref) to github:, other subjects to oidc:, and says when the original checked no audience', () => {
    const gh = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
    const { roles, findings } = importRoles([
      role('deploy', [allow({ Federated: gh }, 'sts:AssumeRoleWithWebIdentity', { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:environment:prod' } })]),
      role('plan', [allow({ Federated: gh }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:pull_request' } })]),
      role('any', [allow({ Federated: gh }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } })]),
    ]);
    expect(roles.map((r) => [r['name'], r['trust']])).toEqual([
      ['deploy', [{ github: { repo: 'acme/app', environment: 'prod' } }]],
      ['plan', [{ oidc: { provider: 'github', audience: 'sts.amazonaws.com', subject: 'repo:acme/app:pull_request' } }]],
    ]);
    // Roles in name order: any, deploy, plan.
    expect(findings).toEqual([
      expect.stringContaining('RoleDetailList.2.AssumeRolePolicyDocument.Statement.0.Principal.Federated: trust left out: the trust does not check token.actions.githubusercontent.com:sub'),
      expect.stringContaining('role any left out'),
      expect.stringContaining('RoleDetailList.0.AssumeRolePolicyDocument.Statement.0.Principal.Federated: the trust did not check token.actions.githubusercontent.com:aud; rolecall checks sts.amazonaws.com'),
    ]);
  });

  it('skips service-linked roles and AWS-reserved paths with a note, and names providers the trust uses', () => {
    const read = readAuthorizationDetails('prod.json', {
      RoleDetailList: [
        role('AWSServiceRoleForECS', [allow({ Service: 'ecs.amazonaws.com' }, 'sts:AssumeRole')], { Path: '/aws-service-role/ecs.amazonaws.com/' }),
        role('AWSReservedSSO_x', [allow({ Federated: 'arn:aws:iam::222222222222:saml-provider/AWSSSO_1_DO_NOT_DELETE' }, 'sts:AssumeRoleWithSAML')], { Path: '/aws-reserved/sso.amazonaws.com/' }),
        role('okta', [allow({ Federated: 'arn:aws:iam::222222222222:saml-provider/okta' }, 'sts:AssumeRoleWithSAML', { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } })]),
      ],
    });
    const result = importAccounts([{ details: read.details, account: 'prod' }], NOW);
    expect(result.counts).toEqual({ users: 0, groups: 0, roles: 1, providers: 1, skipped: 2 });
    expect(result.diagnostics.map((d) => `${d.rule}: ${d.message}`)).toEqual([
      expect.stringMatching(/^import-skipped: role AWSReservedSSO_x skipped: a role on an AWS-reserved path/),
      expect.stringMatching(/^import-skipped: role AWSServiceRoleForECS skipped: a service-linked role/),
    ]);
    expect(result.files.find((f) => f.path === 'prod/providers.yaml')!.sections[0]!.items.map((i) => i.value)).toEqual([
      { name: 'okta', account: 'prod', existing: 'arn:aws:iam::222222222222:saml-provider/okta' },
    ]);
  });
});

describe('rolecall import: hostile input stays data', () => {
  it('writes no line break into a comment, whatever a name holds', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('yaml') as typeof import('yaml');
    const name = 'p\r- name: injected\u2028- name: injected2\n  - name: injected3\u0085x';
    const read = readAuthorizationDetails('prod.json', {
      RoleDetailList: [
        role('r', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }], {
          RolePolicyList: [{ PolicyName: name, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
        }),
      ],
    });
    const file = importAccounts([{ details: read.details, account: 'prod' }], NOW).files.find((f) => f.path === 'prod/roles.yaml')!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { yamlText } = require('../../src/source/yamlText') as typeof import('../../src/source/yamlText');
    const text = yamlText(file.header, file.sections);
    expect(text).not.toMatch(/[\r\u2028\u0085]/);
    expect((parse(text) as { roles: { name: string }[] }).roles.map((r) => r.name)).toEqual(['r']);
    expect(text).toContain('# permissions from inline policy p\\u000d- name: injected\\u2028- name: injected2');
  });

  it('refuses a file over 64 MiB without reading it', async () => {
    const dir = await tmp();
    const handle = await fs.open(path.join(dir, 'huge.json'), 'w');
    await handle.truncate(64 * 1024 * 1024 + 1);
    await handle.close();
    const result = await cli(['import', '--from', 'huge.json', '--account', 'prod', '--out', 'out'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('huge.json: $: error import-input: is 67108865 bytes; rolecall reads at most 67108864 (64 MiB)');
  });
});

describe('rolecall import: IAM inline size limits', () => {
  it('keeps a customer managed policy by ARN where inlining it would pass the role inline limit, and only there', async () => {
    const dir = await tmp();
    const statements = (n: number) => Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket-number-${i}-of-many/reports/*` }));
    const policy = (name: string, n: number) => ({
      PolicyName: name,
      Arn: `arn:aws:iam::222222222222:policy/${name}`,
      DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: statements(n) } }],
    });
    const trust = [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }];
    const attach = (name: string) => ({ AttachedManagedPolicies: [{ PolicyName: name, PolicyArn: `arn:aws:iam::222222222222:policy/${name}` }] });
    await fs.writeFile(
      path.join(dir, 'prod.json'),
      JSON.stringify({ RoleDetailList: [role('big', trust, attach('Huge')), role('small', trust, attach('Tiny'))], Policies: [policy('Huge', 150), policy('Tiny', 2)] }),
    );
    const outcome = await importConfig({ inputs: [{ file: 'prod.json', account: 'prod' }], out: 'out', cwd: dir, now: NOW });
    expect(outcome.compiled!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(outcome.input.map((d) => `${d.rule} ${d.source.path.join('.')}`)).toEqual(['import-by-arn RoleDetailList.0.AttachedManagedPolicies.0']);
    const roles = await fs.readFile(path.join(dir, 'out', 'prod', 'roles.yaml'), 'utf8');
    expect(roles).toContain('  - name: big\n    account: prod\n    adopt: true\n    trust:\n      - service: ec2.amazonaws.com\n    managedPolicies: [arn:aws:iam::222222222222:policy/Huge]\n');
    expect(roles).toMatch(/ {2}- name: small\n {4}account: prod\n {4}adopt: true\n {4}trust:\n {6}- service: ec2.amazonaws.com\n {4}allow:\n/);
  }, 60_000);
});

describe('rolecall import: Cognito', () => {
  it('maps an identity pool trust to cognito:, guests included, and refuses one that checks no pool', () => {
    const federated = (condition: unknown) => [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }];
    const pool = 'us-east-1:12345678-1234-1234-1234-123456789012';
    const { roles, findings } = importRoles([
      role('app', federated({ StringEquals: { 'cognito-identity.amazonaws.com:aud': pool }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } })),
      role('guest', federated({ StringEquals: { 'cognito-identity.amazonaws.com:aud': pool }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } })),
      role('open', federated({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } })),
    ]);
    expect(roles.map((r) => [r['name'], r['trust']])).toEqual([
      ['app', [{ cognito: { identityPool: pool } }]],
      ['guest', [{ cognito: { identityPool: pool, authenticated: false } }]],
    ]);
    expect(findings).toEqual([expect.stringContaining('does not check cognito-identity.amazonaws.com:aud'), expect.stringContaining('role open left out')]);
  });
});
