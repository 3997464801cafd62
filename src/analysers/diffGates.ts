import type { AccessReport } from './accessReport';
import type { DiffChange, Place } from './diffData';
import type { PrincipalData, WayConditions } from './wayData';

/**
 * CI gates over the structured diff (`diff --fail-on KIND,...`): each kind
 * picks the changes a security review must see, with why (a code per
 * reason). docs/ci.md defines every kind and code.
 */
export const GATE_KINDS = ['external-access', 'escalation', 'lost-mfa', 'wider-trust', 'new-admin', 'any'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

export type GateReason =
  | 'outside-way-in'
  | 'outside-chain'
  | 'new-finding'
  | 'mfa-removed'
  | 'way-in-without-mfa'
  | 'mfa-age-longer'
  | 'external-id-removed'
  | 'expiry-removed'
  | 'expiry-later'
  | 'source-ip-widened'
  | 'source-account-widened'
  | 'source-arn-widened'
  | 'condition-removed'
  | 'broader-principal'
  | 'new-admin'
  | 'admin-reached'
  | 'change';

export interface GateResult {
  readonly kind: GateKind;
  readonly fired: boolean;
  /** The changes that fire it: index into the diff's `changes`, and why. */
  readonly changes: readonly { readonly index: number; readonly because: readonly GateReason[] }[];
}

/** The reports the diff was made from: some gates need what did not change (every way into a role, who holds admin). */
export interface GateContext {
  readonly base: AccessReport;
  readonly head: AccessReport;
}

export function evaluateGates(kinds: readonly GateKind[], changes: readonly DiffChange[], context: GateContext): GateResult[] {
  return kinds.map((kind) => {
    const reasonsOf = gate(kind, context);
    const fired = changes.map((change, index) => ({ index, because: reasonsOf(change) })).filter((c) => c.because.length > 0);
    return { kind, fired: fired.length > 0, changes: fired };
  });
}

function gate(kind: GateKind, context: GateContext): (change: DiffChange) => GateReason[] {
  switch (kind) {
    case 'external-access':
      return externalAccess;
    case 'escalation':
      return (c) => (c.kind === 'finding-added' ? ['new-finding'] : []);
    case 'lost-mfa':
      return lostMfa(context.base);
    case 'wider-trust':
      return widerTrust(context.base);
    case 'new-admin':
      return newAdmin(context.head);
    case 'any':
      return () => ['change'];
  }
}

function externalAccess(change: DiffChange): GateReason[] {
  if (change.kind === 'way-in-added' && change.principal.outside) return ['outside-way-in'];
  if (change.kind === 'chain-added' && change.principal.outside) return ['outside-chain'];
  return [];
}

/** Open ways in to each role of a report, by `account/name`. */
function waysByRole(report: AccessReport): Map<string, { principal: PrincipalData; conditions: WayConditions }[]> {
  return new Map(
    report.roles.map((r) => [r.role, r.assumedBy.filter((p) => p.blockedBy === undefined).map((p) => ({ principal: p.principalData, conditions: p.conditionData }))]),
  );
}

function lostMfa(base: AccessReport): (change: DiffChange) => GateReason[] {
  const before = waysByRole(base);
  return (change) => {
    if (change.kind === 'conditions-changed') return change.conditions.before!.mfa && !change.conditions.after!.mfa ? ['mfa-removed'] : [];
    if (change.kind !== 'way-in-added' || change.conditions.after!.mfa) return [];
    const ways = before.get(`${change.role.account}/${change.role.name}`) ?? [];
    return ways.length > 0 && ways.every((w) => w.conditions.mfa) ? ['way-in-without-mfa'] : [];
  };
}

function widerTrust(base: AccessReport): (change: DiffChange) => GateReason[] {
  const before = waysByRole(base);
  return (change) => {
    if (change.kind === 'conditions-changed') return loosened(change.conditions.before!, change.conditions.after!);
    if (change.kind !== 'way-in-added') return [];
    const ways = before.get(`${change.role.account}/${change.role.name}`) ?? [];
    return ways.some((w) => broader(change.principal, w.principal)) ? ['broader-principal'] : [];
  };
}

/** The guards a way in had and has no more (or has looser). */
export function loosened(before: WayConditions, after: WayConditions): GateReason[] {
  const reasons: GateReason[] = [];
  if (before.mfa && !after.mfa) reasons.push('mfa-removed');
  else if (before.mfa?.maxAgeSeconds != null && after.mfa && (after.mfa.maxAgeSeconds === null || after.mfa.maxAgeSeconds > before.mfa.maxAgeSeconds)) reasons.push('mfa-age-longer');
  if (before.externalId !== null && after.externalId === null) reasons.push('external-id-removed');
  if (before.expires !== null && after.expires === null) reasons.push('expiry-removed');
  else if (before.expires !== null && after.expires !== null && Date.parse(after.expires) > Date.parse(before.expires)) reasons.push('expiry-later');
  if (widened(before.sourceIp, after.sourceIp, cidrWithin)) reasons.push('source-ip-widened');
  if (widened(before.sourceAccount, after.sourceAccount)) reasons.push('source-account-widened');
  if (widened(before.sourceArn, after.sourceArn)) reasons.push('source-arn-widened');
  const lost = (was: readonly unknown[], is: readonly unknown[]) => was.some((w) => !is.some((i) => JSON.stringify(i) === JSON.stringify(w)));
  if (lost(before.other, after.other) || lost(before.callerAllow, after.callerAllow) || lost(before.deniedWhen, after.deniedWhen)) reasons.push('condition-removed');
  return reasons;
}

/** A list that narrowed who gets in (non-empty) and now lets in more: empty, or a value no value of before covers. */
function widened(before: readonly string[], after: readonly string[], within = (a: string, b: string) => a === b): boolean {
  return before.length > 0 && (after.length === 0 || after.some((v) => !before.some((b) => within(v, b))));
}

/** Whether IPv4 range `inner` lies inside `outer` (`203.0.113.0/25` inside `203.0.113.0/24`); other forms only when equal. */
function cidrWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const a = ipv4Range(inner);
  const b = ipv4Range(outer);
  if (!a || !b || a.bits < b.bits) return false;
  const mask = b.bits === 0 ? 0 : (~0 << (32 - b.bits)) >>> 0;
  return ((a.address & mask) >>> 0) === ((b.address & mask) >>> 0);
}

function ipv4Range(cidr: string): { address: number; bits: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { address: octets.reduce((n, o) => n * 256 + o, 0), bits };
}

/** Whether `wider` lets in everyone `narrower` does, and more: an account its users and roles, a subject pattern the subjects it covers. */
export function broader(wider: PrincipalData, narrower: PrincipalData): boolean {
  if (wider.kind === 'account') return (narrower.kind === 'user' || narrower.kind === 'role') && narrower.accountId === wider.accountId;
  if (wider.kind !== 'web-identity' || narrower.kind !== 'web-identity') return false;
  if (wider.providerArn !== narrower.providerArn || wider.trust !== narrower.trust) return false;
  const covers = narrower.subjects.every((s) => wider.subjects.some((p) => globMatches(p, s))) && narrower.audiences.every((a) => wider.audiences.includes(a));
  const same = JSON.stringify([wider.subjects, wider.audiences]) === JSON.stringify([narrower.subjects, narrower.audiences]);
  return covers && !same;
}

/** IAM StringLike: `*` any run of characters, `?` one. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

const ADMIN_RULE = 'full-admin';

function newAdmin(head: AccessReport): (change: DiffChange) => GateReason[] {
  const admins = new Set(head.roles.filter((r) => r.findings.some((f) => f.rule === ADMIN_RULE)).map((r) => r.role));
  return (change) => {
    if (change.kind === 'finding-added') return change.finding.rule === ADMIN_RULE ? ['new-admin'] : [];
    if (change.kind === 'way-in-added' || change.kind === 'chain-added') return admins.has(`${change.role.account}/${change.role.name}`) ? ['admin-reached'] : [];
    return [];
  };
}

/** What a gate prints on stderr: the gate, then each change that fired it, in words, with its YAML place. */
export function gateMessages(results: readonly GateResult[], changes: readonly DiffChange[], base: string): string[] {
  return results
    .filter((r) => r.fired)
    .flatMap((r) => [
      `rolecall: --fail-on ${r.kind}: ${r.changes.length} ${r.changes.length === 1 ? 'change' : 'changes'}`,
      ...r.changes.map((c) => `  ${describeChange(changes[c.index]!, base)} [${c.because.join(', ')}]`),
    ]);
}

export function describeChange(change: DiffChange, base: string): string {
  const role = 'role' in change ? `${change.role.account}/${change.role.name}` : '';
  const at = (place: Place | null, ref: string | undefined) => (place ? ` (at ${ref ? `${ref}:` : ''}${place.file}:${place.line}:${place.column})` : '');
  const where = 'source' in change ? (change.source.after ? at(change.source.after, undefined) : at(change.source.before, base)) : '';
  switch (change.kind) {
    case 'finding-added':
    case 'finding-resolved':
      return `${change.kind}: ${change.finding.rule} on ${change.subject.kind} ${change.subject.account}/${change.subject.name}: ${change.finding.message}${where}`;
    case 'role-added':
    case 'role-removed':
      return `${change.kind}: ${role}${where}`;
    case 'way-in-added':
    case 'way-in-removed':
    case 'conditions-changed':
      return `${change.kind}: ${principalWords(change.principal)} → ${role}${where}`;
    case 'chain-added':
    case 'chain-removed':
      return `${change.kind}: ${principalWords(change.principal)} → ${[...change.through, change.role].map((r) => `${r.account}/${r.name}`).join(' → ')}`;
    case 'actions-gained':
    case 'actions-lost':
      return `${change.kind}: ${change.principal.kind} ${change.principal.account}/${change.principal.name}, ${change.actions.length} ${change.actions.length === 1 ? 'grant' : 'grants'}${where}`;
  }
}

export function principalWords(p: PrincipalData): string {
  switch (p.kind) {
    case 'user':
    case 'role':
      return `${p.kind} ${p.account}/${p.name}`;
    case 'account':
      return `${p.outside ? 'external ' : ''}account ${p.account} (${p.accountId})`;
    case 'service':
      return `service ${p.service}`;
    case 'web-identity':
      if (p.trust === 'cognito') return `Cognito identities of pool ${p.audiences.join(', ')}`;
      return `${p.trust === 'github' ? 'GitHub Actions' : 'OIDC identities'} of provider ${p.provider} with subject ${p.subjects.join(' or ')}`;
    case 'saml':
      return `SAML provider ${p.provider}`;
  }
}
