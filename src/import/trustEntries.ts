/**
 * A role's trust policy → trust entries. A statement maps only when every
 * part of it has a place in the format; otherwise it is left out whole (a
 * condition dropped would let in more than the account lets in today) and a
 * finding says exactly what was left out. Identity providers it names become
 * `providers:` entries with `existing: ARN`.
 */
import type { Diagnostic } from '../diagnostics/diagnostic';
import type { RawStatement, RoleDetail } from './authorizationDetails';
import { notExpressible } from './identityStatements';

export interface ImportDirectory {
  /** Imported accounts: id → name. */
  readonly accountNames: ReadonlyMap<string, string>;
  /** Imported users and roles by ARN. */
  readonly principals: ReadonlyMap<string, { readonly kind: 'user' | 'role'; readonly account: string; readonly name: string }>;
  readonly now: Date;
}

export interface ImportedProvider {
  readonly name: string;
  readonly account: string;
  readonly existing: string;
}

export type TrustEntry = Record<string, unknown>;

export interface MappedTrust {
  readonly entries: TrustEntry[];
  readonly providers: ImportedProvider[];
  readonly diagnostics: Diagnostic[];
}

const GITHUB_HOST = 'token.actions.githubusercontent.com';
const ASSUME_ACTIONS: Record<string, 'AWS' | 'Federated-oidc' | 'Federated-saml'> = {
  'sts:AssumeRole': 'AWS',
  'sts:AssumeRoleWithWebIdentity': 'Federated-oidc',
  'sts:AssumeRoleWithSAML': 'Federated-saml',
};

interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : undefined;

function conditionsOf(statement: Record<string, unknown>): Condition[] | string {
  const block = statement['Condition'];
  if (block === undefined) return [];
  if (typeof block !== 'object' || block === null || Array.isArray(block)) return 'Condition is no object of operators';
  const out: Condition[] = [];
  for (const [operator, keys] of Object.entries(block as Record<string, unknown>)) {
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return `Condition ${operator} is no object of keys`;
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const values = typeof raw === 'boolean' || typeof raw === 'number' ? [String(raw)] : list(raw)?.map(String);
      if (!values || values.length === 0) return `Condition ${operator} ${key} has no string values`;
      out.push({ operator, key, values });
    }
  }
  return out;
}

/** Takes the conditions a trust entry can say; what remains is what it cannot. */
class Conditions {
  private readonly left: Condition[];
  constructor(conditions: readonly Condition[]) {
    this.left = [...conditions];
  }
  take(operators: readonly string[], key: string, single = false): readonly string[] | undefined {
    const index = this.left.findIndex((c) => operators.includes(c.operator) && c.key.toLowerCase() === key.toLowerCase() && (!single || c.values.length === 1));
    if (index === -1) return undefined;
    return this.left.splice(index, 1)[0]!.values;
  }
  remaining(): readonly Condition[] {
    return this.left;
  }
}

/** mfa, sourceIp, expires: the guards every kind may carry (the model refuses those a kind never sees). */
function guards(conditions: Conditions, withMfa: boolean, withIp: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (withMfa) {
    const present = conditions.take(['Bool'], 'aws:MultiFactorAuthPresent', true);
    const age = conditions.take(['NumericLessThan', 'NumericLessThanEquals'], 'aws:MultiFactorAuthAge', true);
    if (age !== undefined && /^\d+$/.test(age[0]!)) out['mfa'] = { maxAge: Number(age[0]) };
    else if (present?.[0] === 'true') out['mfa'] = true;
    // "Bool false" or a malformed age is no guard the format has: put it back for the finding.
    else if (present !== undefined || age !== undefined) return { unsupported: true };
  }
  if (withIp) {
    const ips = conditions.take(['IpAddress'], 'aws:SourceIp');
    if (ips) out['sourceIp'] = [...ips];
  }
  const until = conditions.take(['DateLessThan'], 'aws:CurrentTime', true);
  if (until) out['expires'] = until[0];
  return out;
}

function describeCondition(c: Condition): string {
  return `${c.operator} ${c.key} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)}`;
}

interface Context {
  readonly file: string;
  readonly role: RoleDetail;
  readonly account: string;
  readonly accountId: string;
  readonly partition: string;
  readonly directory: ImportDirectory;
  readonly diagnostics: Diagnostic[];
  readonly providers: ImportedProvider[];
}

export function mapTrust(file: string, role: RoleDetail, account: string, accountId: string, partition: string, directory: ImportDirectory): MappedTrust {
  const context: Context = { file, role, account, accountId, partition, directory, diagnostics: [], providers: [] };
  const entries = role.trust.statements.flatMap((statement) => mapTrustStatement(statement, context));
  return { entries, providers: context.providers, diagnostics: context.diagnostics };
}

function mapTrustStatement(statement: RawStatement, context: Context): TrustEntry[] {
  const s = statement.value;
  const leftOut = (why: string, path = statement.path): TrustEntry[] => {
    context.diagnostics.push(notExpressible(context.file, path, `trust statement left out: ${why}; add what the role needs by hand (the format lets in no more than it can say)`));
    return [];
  };
  if (s['Effect'] !== 'Allow') return leftOut(`Effect ${JSON.stringify(s['Effect'])}: the format writes only Allow trust statements`);
  if ('NotPrincipal' in s) return leftOut('NotPrincipal has no place in the format (it trusts everyone but the principals named)', [...statement.path, 'NotPrincipal']);
  if ('NotAction' in s) return leftOut('NotAction has no place in a trust entry', [...statement.path, 'NotAction']);
  const actions = list(s['Action']);
  if (!actions) return leftOut('Action is a string or a list of strings', [...statement.path, 'Action']);
  const tagSession = actions.includes('sts:TagSession');
  const assume = actions.filter((a) => a !== 'sts:TagSession');
  const unknown = assume.filter((a) => !(a in ASSUME_ACTIONS));
  if (unknown.length > 0) return leftOut(`action ${unknown.join(', ')} has no place in a trust entry (the format writes sts:AssumeRole*, and sts:TagSession through tagSession: true)`, [...statement.path, 'Action']);
  const principal = s['Principal'];
  if (principal === '*' || principal === undefined) return leftOut('Principal "*" (or none) lets in every principal of every account; the format names who may assume a role', [...statement.path, 'Principal']);
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) return leftOut('Principal is an object of AWS / Service / Federated', [...statement.path, 'Principal']);
  const parsed = conditionsOf(s);
  if (typeof parsed === 'string') return leftOut(parsed, [...statement.path, 'Condition']);
  const out: TrustEntry[] = [];
  for (const [type, raw] of Object.entries(principal as Record<string, unknown>)) {
    const values = list(raw);
    const path = [...statement.path, 'Principal', type];
    if (!values) {
      leftOut(`Principal ${type} is a string or a list of strings`, path);
      continue;
    }
    const made = principalEntries(type, values, assume, parsed, path, statement, context);
    out.push(...made.map((entry) => (tagSession ? { ...entry, tagSession: true } : entry)));
  }
  return out;
}

function principalEntries(type: string, values: readonly string[], actions: readonly string[], conditions: readonly Condition[], path: RawStatement['path'], statement: RawStatement, context: Context): TrustEntry[] {
  const report = (why: string, at = path) => {
    context.diagnostics.push(notExpressible(context.file, at, `trust left out: ${why}; add what the role needs by hand (the format lets in no more than it can say)`));
    return [];
  };
  const expect = type === 'AWS' ? 'AWS' : type === 'Service' ? 'AWS' : undefined;
  if (expect && !actions.every((a) => ASSUME_ACTIONS[a] === 'AWS')) return report(`${type} principals assume a role with sts:AssumeRole, not ${actions.join(', ')}`);
  const finish = (rest: Conditions, entries: TrustEntry[]): TrustEntry[] => {
    const left = rest.remaining();
    if (left.length > 0) {
      return report(`the condition ${left.map(describeCondition).join(', ')} has no place in the format's trust entries (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} would otherwise let in more than today)`, [...statement.path, 'Condition']);
    }
    return entries;
  };
  switch (type) {
    case 'AWS':
      return awsEntries(values, conditions, path, context, report, finish);
    case 'Service': {
      const rest = new Conditions(conditions);
      const sourceArn = rest.take(['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals'], 'aws:SourceArn', true);
      const sourceAccount = rest.take(['StringEquals'], 'aws:SourceAccount', true);
      const guard = guards(rest, false, false);
      if (guard['unsupported']) return report('its MFA condition is no guard the format has');
      const entries = values.map((service) => ({
        service,
        ...(sourceAccount ? { sourceAccount: context.directory.accountNames.get(sourceAccount[0]!) ?? sourceAccount[0] } : {}),
        ...(sourceArn ? { sourceArn: sourceArn[0] } : {}),
        ...guard,
      }));
      return finish(rest, entries);
    }
    case 'Federated':
      return values.flatMap((arn) => federatedEntries(arn, actions, conditions, path, context, report, finish));
    default:
      return report(`a ${type} principal has no place in the format`);
  }
}

type Report = (why: string, at?: RawStatement['path']) => TrustEntry[];
type Finish = (rest: Conditions, entries: TrustEntry[]) => TrustEntry[];

function awsEntries(values: readonly string[], conditions: readonly Condition[], path: RawStatement['path'], context: Context, report: Report, finish: Finish): TrustEntry[] {
  const users: string[] = [];
  const roles: string[] = [];
  const accounts: string[] = [];
  values.forEach((value, index) => {
    const at = values.length > 1 ? [...path, index] : path;
    const account = /^\d{12}$/.test(value) ? value : /^arn:[^:]+:iam::(\d{12}):root$/.exec(value)?.[1];
    if (account) {
      accounts.push(account);
      return;
    }
    const known = context.directory.principals.get(value);
    if (known) {
      const reference = known.account === context.account ? known.name : `${known.account}/${known.name}`;
      (known.kind === 'user' ? users : roles).push(reference);
      return;
    }
    if (value === '*') {
      const guards = conditions.map(describeCondition).join(', ');
      report(`Principal AWS "*" lets in every principal of every account${guards ? ` that meets ${guards}, a condition no trust entry can carry` : ''}; the format names who may assume a role`, at);
    }
    else if (/:sts::\d{12}:assumed-role\//.test(value)) report(`${value} is one assumed-role session; the format trusts roles (role: account/name), not sessions`, at);
    else if (/^arn:[^:]+:iam::\d{12}:(?:user|role)\//.test(value)) report(`${value} is neither among the imported users and roles nor in an imported account; import that account too (--from FILE --account NAME), or trust its account root with an externalId`, at);
    else report(`${value} is no principal the format can name (a unique id such as AIDA… or AROA… stands for a principal deleted since)`, at);
  });
  const rest = new Conditions(conditions);
  const externalId = rest.take(['StringEquals'], 'sts:ExternalId', true);
  if (externalId && (users.length > 0 || roles.length > 0)) {
    return report('sts:ExternalId guards an account trust in the format, not a user or role trust');
  }
  const guard = guards(rest, true, true);
  if (guard['unsupported']) return report('its MFA condition (not "Bool aws:MultiFactorAuthPresent true" / "NumericLessThan aws:MultiFactorAuthAge N") is no guard the format has');
  const entries: TrustEntry[] = [];
  if (users.length === 1) entries.push({ user: users[0], ...guard });
  if (users.length > 1) entries.push({ users: users.sort(), ...guard });
  if (roles.length === 1) entries.push({ role: roles[0], ...guard });
  if (roles.length > 1) entries.push({ roles: roles.sort(), ...guard });
  for (const id of accounts) {
    const name = context.directory.accountNames.get(id);
    if (name === undefined && externalId === undefined) {
      report(`account ${id} is not imported and its trust has no sts:ExternalId; the format trusts an account outside the config only with the external id agreed with its owner (the confused-deputy guard)`);
      continue;
    }
    entries.push({ account: name ?? id, ...(externalId ? { externalId: externalId[0] } : {}), ...guard });
  }
  return entries.length > 0 ? finish(rest, entries) : [];
}

function providerName(kind: 'saml' | 'oidc', rest: string): string {
  if (kind === 'oidc' && rest === GITHUB_HOST) return 'github';
  return rest.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 128) || kind;
}

const COGNITO = 'cognito-identity.amazonaws.com';

/** Cognito identity pools: the pool as aud, authenticated or guest identities by amr (exactly what the cognito: entry writes). */
function cognitoEntries(actions: readonly string[], conditions: readonly Condition[], report: Report, finish: Finish): TrustEntry[] {
  if (!actions.every((a) => a === 'sts:AssumeRoleWithWebIdentity')) return report(`Cognito identities assume a role with sts:AssumeRoleWithWebIdentity, not ${actions.join(', ')}`);
  const rest = new Conditions(conditions);
  const pool = rest.take(['StringEquals'], `${COGNITO}:aud`, true);
  const amr = rest.take(['ForAnyValue:StringLike'], `${COGNITO}:amr`, true);
  if (!pool) return report(`the trust does not check ${COGNITO}:aud, so identities of every identity pool get in; the format names the pool`);
  if (!amr || (amr[0] !== 'authenticated' && amr[0] !== 'unauthenticated')) {
    return report(`the trust does not check ForAnyValue:StringLike ${COGNITO}:amr for "authenticated" or "unauthenticated"; the format's cognito: entry always does`);
  }
  const guard = guards(rest, false, true);
  if (guard['unsupported']) return report('a web identity session carries no MFA flag');
  return finish(rest, [{ cognito: { identityPool: pool[0], ...(amr[0] === 'unauthenticated' ? { authenticated: false } : {}) }, ...guard }]);
}

function federatedEntries(arn: string, actions: readonly string[], conditions: readonly Condition[], path: RawStatement['path'], context: Context, report: Report, finish: Finish): TrustEntry[] {
  if (arn === COGNITO) return cognitoEntries(actions, conditions, report, finish);
  const match = /^arn:([^:]+):iam::(\d{12}):(saml-provider|oidc-provider)\/(.+)$/.exec(arn);
  if (!match) return report(`${arn} is no IAM identity provider of this account (a public web identity provider such as ${arn} has no trust kind in the format)`);
  if (match[2] !== context.accountId) return report(`${arn} is a provider of account ${match[2]}; a role trusts only its own account's providers`);
  const kind = match[3] === 'saml-provider' ? 'saml' : 'oidc';
  const host = match[4]!;
  const name = providerName(kind, host);
  const want = kind === 'saml' ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRoleWithWebIdentity';
  if (!actions.every((a) => a === want)) return report(`a ${kind.toUpperCase()} provider is assumed with ${want}, not ${actions.join(', ')}`);
  const rest = new Conditions(conditions);
  const provider = (): void => {
    if (!context.providers.some((p) => p.existing === arn)) context.providers.push({ name, account: context.account, existing: arn });
  };
  if (kind === 'saml') {
    const audience = `https://signin.${context.partition === 'aws-cn' ? 'amazonaws.cn' : context.partition === 'aws-us-gov' ? 'amazonaws-us-gov.com' : 'aws.amazon.com'}/saml`;
    const aud = rest.take(['StringEquals'], 'SAML:aud', true);
    if (aud && aud[0] !== audience) return report(`SAML:aud is ${aud[0]}; rolecall checks the AWS sign-in endpoint ${audience}`);
    const guard = guards(rest, false, true);
    if (guard['unsupported']) return report('a SAML session carries no MFA flag');
    if (!aud) context.diagnostics.push(notExpressible(context.file, path, `the trust did not check SAML:aud; rolecall checks ${audience} (narrower: only assertions for the AWS sign-in endpoint)`));
    const entries = finish(rest, [{ saml: { provider: name }, ...guard }]);
    if (entries.length > 0) provider();
    return entries;
  }
  const aud = rest.take(['StringEquals', 'StringLike'], `${host}:aud`);
  const sub = rest.take(['StringEquals', 'StringLike'], `${host}:sub`);
  const guard = guards(rest, false, true);
  if (guard['unsupported']) return report('a web identity session carries no MFA flag');
  if (!sub) return report(`the trust does not check ${host}:sub, so every identity the issuer signs gets in; the format names the subject`);
  let entry: TrustEntry | undefined;
  if (host === GITHUB_HOST && sub.length === 1 && (aud === undefined || (aud.length === 1 && aud[0] === 'sts.amazonaws.com'))) {
    const github = githubTarget(sub[0]!);
    if (github) entry = { github, ...guard };
    if (github && aud === undefined) {
      context.diagnostics.push(notExpressible(context.file, path, `the trust did not check ${host}:aud; rolecall checks sts.amazonaws.com (narrower: GitHub's default audience only)`));
    }
  }
  if (!entry) {
    if (!aud) return report(`the trust does not check ${host}:aud; the format's oidc: entry names the audience`);
    entry = { oidc: { provider: name, audience: aud.length === 1 ? aud[0] : [...aud], subject: sub.length === 1 ? sub[0] : [...sub] }, ...guard };
  }
  const entries = finish(rest, [entry]);
  if (entries.length > 0) provider();
  return entries;
}

/** repo:OWNER/NAME:ref:refs/heads/BRANCH and its siblings, with no wildcard: the github: entry's fields. */
function githubTarget(subject: string): Record<string, string> | undefined {
  const match = /^repo:([^/:*?]+\/[^/:*?]+):(.+)$/.exec(subject);
  if (!match || /[*?]/.test(match[2]!)) return undefined;
  const [, repo, rest] = match as unknown as [string, string, string];
  if (rest.startsWith('ref:refs/heads/')) return { repo, branch: rest.slice('ref:refs/heads/'.length) };
  if (rest.startsWith('ref:refs/tags/')) return { repo, tag: rest.slice('ref:refs/tags/'.length) };
  if (rest.startsWith('ref:refs/')) return { repo, ref: rest.slice('ref:'.length) };
  if (rest.startsWith('environment:')) return { repo, environment: rest.slice('environment:'.length) };
  return undefined;
}
