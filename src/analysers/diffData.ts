import type { SourceRef } from '../diagnostics/diagnostic';
import type { AccessDiff, PermissionItem } from './accessDiff';
import type { AccessReport, AssumePath, ChainAccess, FindingAccess } from './accessReport';
import type { PrincipalData, WayConditions } from './wayData';

/**
 * The access diff as data (`diff --format json`, the CI gates): one change
 * per item, each with the principal and role it is about (with ARNs), its
 * guards before and after, and where it stands in the YAML on each side.
 * docs/diff.schema.json describes every field.
 */

/** A 1-based position in a config file; `before` places are in the config at the base ref. */
export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface DiffPlaces {
  readonly head: (ref: SourceRef) => Place;
  readonly base: (ref: SourceRef) => Place;
}

export interface RoleData {
  readonly account: string;
  readonly name: string;
  readonly arn: string;
}

/** A user or role whose own permissions change, or whom a finding is about (a provider for some). */
export interface SubjectData {
  readonly kind: 'user' | 'role' | 'provider';
  readonly account: string;
  readonly name: string;
  /** Null for a provider (findings name it by account/name). */
  readonly arn: string | null;
}

export interface Sides<T> {
  readonly before: T | null;
  readonly after: T | null;
}

export type DiffChange =
  | {
      readonly kind: 'finding-added' | 'finding-resolved';
      readonly subject: SubjectData;
      readonly finding: {
        readonly rule: string;
        readonly severity: 'error' | 'warning';
        readonly message: string;
        readonly accepted: { readonly reason: string; readonly ticket: string | null; readonly expires: string | null; readonly source: Place } | null;
      };
      readonly source: Sides<Place>;
    }
  | { readonly kind: 'role-added' | 'role-removed'; readonly role: RoleData; readonly source: Sides<Place> }
  | {
      readonly kind: 'way-in-added' | 'way-in-removed' | 'conditions-changed';
      readonly principal: PrincipalData;
      /** `trust`: the trust entry admits the principal; `identity-policy`: a principal of a trusted account, by its own policy. */
      readonly via: 'trust' | 'identity-policy';
      readonly role: RoleData;
      /** The STS actions the trust allows (sts:AssumeRole... and sts:TagSession). */
      readonly assumeActions: readonly string[];
      readonly conditions: Sides<WayConditions>;
      readonly source: Sides<Place>;
    }
  | {
      readonly kind: 'chain-added' | 'chain-removed';
      /** Where the chain starts: a user, or a principal outside the managed ones. */
      readonly principal: PrincipalData;
      readonly role: RoleData;
      /** The roles passed through before `role`, in order. */
      readonly through: readonly RoleData[];
      /** One per role of the chain (through, then role): the guards of the step into it. */
      readonly steps: readonly { readonly role: RoleData; readonly conditions: WayConditions }[];
    }
  | {
      readonly kind: 'actions-gained' | 'actions-lost';
      readonly principal: SubjectData & { readonly kind: 'user' | 'role' };
      readonly actions: readonly PermissionItem[];
      readonly source: Sides<Place>;
    };

export type ChangeKind = DiffChange['kind'];

/** The change shape of one kind. */
export type ChangeOf<K extends ChangeKind> = DiffChange extends infer C ? (C extends { readonly kind: infer CK } ? (K extends CK ? C : never) : never) : never;

/** The canonical order of kinds: what a review reads first comes first. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  'finding-added',
  'finding-resolved',
  'role-added',
  'role-removed',
  'way-in-added',
  'way-in-removed',
  'conditions-changed',
  'chain-added',
  'chain-removed',
  'actions-gained',
  'actions-lost',
];

export function diffChanges(diff: AccessDiff, base: AccessReport, head: AccessReport, places: DiffPlaces): DiffChange[] {
  const sides = { base: sideOf(base, places.base), head: sideOf(head, places.head) };
  const changes: DiffChange[] = [
    ...diff.findingsAdded.map((f) => findingChange('finding-added', f, sides.head)),
    ...diff.findingsResolved.map((f) => findingChange('finding-resolved', f, sides.base)),
    ...diff.rolesAdded.map((r): DiffChange => ({ kind: 'role-added', role: sides.head.role(r), source: { before: null, after: sides.head.roleSource(r) } })),
    ...diff.rolesRemoved.map((r): DiffChange => ({ kind: 'role-removed', role: sides.base.role(r), source: { before: sides.base.roleSource(r), after: null } })),
    ...diff.trustAdded.map((t) => wayChange('way-in-added', sides.head.role(t.role), undefined, t.way, places)),
    ...diff.trustRemoved.map((t) => wayChange('way-in-removed', sides.base.role(t.role), t.way, undefined, places)),
    ...diff.conditionsChanged.map((c) => wayChange('conditions-changed', sides.head.role(c.role), c.ways.before, c.ways.after, places)),
    ...diff.chainsAdded.map((c) => chainChange('chain-added', c.role, c.chain, sides.head)),
    ...diff.chainsRemoved.map((c) => chainChange('chain-removed', c.role, c.chain, sides.base)),
    ...diff.permissionChanges.flatMap((p): DiffChange[] => {
      // The principal's entry on each side it exists on: a new one only in the head, a deleted one only in the base.
      const side = sides.head.has(p.principal) ? sides.head : sides.base;
      const principal = side.subject(p.principal) as SubjectData & { kind: 'user' | 'role' };
      const placeIn = (s: Side) => (s.has(p.principal) ? s.subjectSource(p.principal) : null);
      const source = { before: placeIn(sides.base), after: placeIn(sides.head) };
      return [
        ...(p.gainedItems.length > 0 ? [{ kind: 'actions-gained' as const, principal, actions: p.gainedItems, source }] : []),
        ...(p.lostItems.length > 0 ? [{ kind: 'actions-lost' as const, principal, actions: p.lostItems, source }] : []),
      ];
    }),
  ];
  return canonicalOrder(changes);
}

/** Kind first (CHANGE_KINDS), then role, then principal; ties by the whole change: the same diff always reads the same. */
function canonicalOrder(changes: readonly DiffChange[]): DiffChange[] {
  const keyed = changes.map((c) => ({ c, key: `${roleOf(c)}\u0000${JSON.stringify('principal' in c ? c.principal : 'subject' in c ? c.subject : '')}\u0000${JSON.stringify(c)}` }));
  return keyed.sort((a, b) => CHANGE_KINDS.indexOf(a.c.kind) - CHANGE_KINDS.indexOf(b.c.kind) || compare(a.key, b.key)).map(({ c }) => c);
}

function roleOf(change: DiffChange): string {
  return 'role' in change ? `${change.role.account}/${change.role.name}` : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Side {
  readonly role: (key: string) => RoleData;
  readonly roleSource: (key: string) => Place;
  readonly has: (subject: string) => boolean;
  readonly subject: (subject: string) => SubjectData;
  readonly subjectSource: (subject: string) => Place;
  readonly findingSubject: (finding: FindingAccess) => SubjectData;
  readonly place: (ref: SourceRef) => Place;
}

/** Lookups into one side's report: ARNs and places by `account/name` and by `kind account/name`. */
function sideOf(report: AccessReport, place: (ref: SourceRef) => Place): Side {
  const roles = new Map(report.roles.map((r) => [r.role, r]));
  const subjects = new Map<string, { data: SubjectData; source: SourceRef }>();
  const findingSubjects = new Map<FindingAccess, SubjectData>();
  const add = (kind: SubjectData['kind'], key: string, arn: string | null, source: SourceRef, findings: readonly FindingAccess[]) => {
    const slash = key.indexOf('/');
    const data: SubjectData = { kind, account: key.slice(0, slash), name: key.slice(slash + 1), arn };
    subjects.set(`${kind} ${key}`, { data, source });
    for (const f of findings) findingSubjects.set(f, data);
  };
  for (const r of report.roles) add('role', r.role, r.arn, r.source, r.findings);
  for (const u of report.users) add('user', u.user, u.arn, u.source, u.findings);
  for (const p of report.providers) add('provider', p.provider, null, p.source, p.findings);
  const role = (key: string): RoleData => {
    const found = roles.get(key)!;
    const slash = key.indexOf('/');
    return { account: key.slice(0, slash), name: key.slice(slash + 1), arn: found.arn };
  };
  return {
    role,
    roleSource: (key) => place(roles.get(key)!.source),
    has: (subject) => subjects.has(subject),
    subject: (subject) => subjects.get(subject)!.data,
    subjectSource: (subject) => place(subjects.get(subject)!.source),
    findingSubject: (finding) => findingSubjects.get(finding)!,
    place,
  };
}

function findingChange(kind: 'finding-added' | 'finding-resolved', f: FindingAccess, side: Side): DiffChange {
  const at = side.place(f.source);
  return {
    kind,
    subject: side.findingSubject(f),
    finding: {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      accepted: f.accepted
        ? { reason: f.accepted.reason, ticket: f.accepted.ticket ?? null, expires: f.accepted.expires ?? null, source: side.place(f.accepted.source) }
        : null,
    },
    source: kind === 'finding-added' ? { before: null, after: at } : { before: at, after: null },
  };
}

function wayChange(
  kind: 'way-in-added' | 'way-in-removed' | 'conditions-changed',
  role: RoleData,
  before: AssumePath | undefined,
  after: AssumePath | undefined,
  places: DiffPlaces,
): DiffChange {
  const way = (after ?? before)!;
  return {
    kind,
    principal: way.principalData,
    via: way.via,
    role,
    assumeActions: [...way.actions].sort(),
    conditions: { before: before?.conditionData ?? null, after: after?.conditionData ?? null },
    source: { before: before ? places.base(before.source) : null, after: after ? places.head(after.source) : null },
  };
}

function chainChange(kind: 'chain-added' | 'chain-removed', roleKey: string, chain: ChainAccess, side: Side): DiffChange {
  const roles = [...chain.through, roleKey].map(side.role);
  return {
    kind,
    principal: chain.principalData,
    role: roles[roles.length - 1]!,
    through: roles.slice(0, -1),
    steps: roles.map((r, i) => ({ role: r, conditions: chain.stepConditions[i]! })),
  };
}
