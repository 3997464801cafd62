import type { AccessReport, AssumePath, ChainAccess, FindingAccess, MembershipAccess, Permissions, StatementAccess } from './accessReport';
import type { ConditionEntry } from './wayData';

/**
 * What a change of config does to access, from the two access reports:
 * trust paths added and removed, conditions changed, and the actions each
 * role or user gains or loses (wildcards expanded, per resource).
 */
export interface AccessDiff {
  /** Security findings the change opens (at the head's YAML) and those it resolves (at the base's): a review reads these first. */
  readonly findingsAdded: readonly FindingAccess[];
  readonly findingsResolved: readonly FindingAccess[];
  readonly rolesAdded: readonly string[];
  readonly rolesRemoved: readonly string[];
  readonly trustAdded: readonly TrustChange[];
  readonly trustRemoved: readonly TrustChange[];
  readonly conditionsChanged: readonly ConditionChange[];
  /** Who gains or loses a way in only through other roles (role chaining). */
  readonly chainsAdded: readonly ChainChange[];
  readonly chainsRemoved: readonly ChainChange[];
  readonly permissionChanges: readonly PermissionChange[];
}

export interface ChainChange {
  readonly role: string;
  readonly who: string;
  readonly through: readonly string[];
  readonly conditions: readonly string[];
  /** The chain as the report has it (structured origin and guards). */
  readonly chain: ChainAccess;
}

export interface TrustChange {
  readonly role: string;
  readonly who: string;
  readonly conditions: readonly string[];
  /** The way in as the report has it (structured principal and guards, the trust entry). */
  readonly way: AssumePath;
}

export interface ConditionChange {
  readonly role: string;
  readonly who: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly ways: { readonly before: AssumePath; readonly after: AssumePath };
}

export interface PermissionChange {
  /** `role account/name` or `user account/name`. */
  readonly principal: string;
  readonly gained: readonly string[];
  readonly lost: readonly string[];
  /** The same lines as data, in the same order. */
  readonly gainedItems: readonly PermissionItem[];
  readonly lostItems: readonly PermissionItem[];
}

/** One action on one resource (or one managed policy) a principal's policies allow or deny. */
export type PermissionItem =
  | { readonly managedPolicy: string; /** The user's group it comes through. */ readonly group?: string }
  | {
      readonly effect: 'Allow' | 'Deny';
      /** An action, `*` for every action, or null with `allBut` for NotAction. */
      readonly action: string | null;
      readonly allBut?: readonly string[];
      /** A resource ARN (pattern), or null with `resourcesAllBut` for NotResource. */
      readonly resource: string | null;
      readonly resourcesAllBut?: readonly string[];
      /** The user's group it comes through. */
      readonly group?: string;
      readonly conditions: readonly ConditionEntry[];
      /** `own`: the principal's policies; `federated`: what a federated session the user hands out may receive at most. */
      readonly session: 'own' | 'federated';
    };

export function diffAccess(base: AccessReport, head: AccessReport): AccessDiff {
  const baseRoles = new Set(base.roles.map((r) => r.role));
  const headRoles = new Set(head.roles.map((r) => r.role));
  // A way closed by the caller's own Deny is no way in; `who` already says how each way opens.
  const trust = (report: AccessReport) =>
    new Map(
      report.roles.flatMap((r) =>
        r.assumedBy
          .filter((p) => p.blockedBy === undefined)
          .map((p) => [`${r.role}\u0000${p.who}`, { role: r.role, who: p.who, conditions: p.conditions, way: p }] as const),
      ),
    );
  const before = trust(base);
  const after = trust(head);
  const trustAdded = [...after].filter(([key]) => !before.has(key)).map(([, v]) => v);
  const trustRemoved = [...before].filter(([key]) => !after.has(key)).map(([, v]) => v);
  const conditionsChanged = [...after]
    .filter(([key, v]) => before.has(key) && JSON.stringify(before.get(key)!.conditions) !== JSON.stringify(v.conditions))
    .map(([key, v]) => ({ role: v.role, who: v.who, before: before.get(key)!.conditions, after: v.conditions, ways: { before: before.get(key)!.way, after: v.way } }));

  const grants = (report: AccessReport) =>
    new Map<string, Map<string, PermissionItem>>([
      ...report.roles.map((r) => [`role ${r.role}`, permissionSet(r.permissions)] as const),
      ...report.users.map((u) => [`user ${u.user}`, permissionSet(u.permissions, u.federation, u.groups)] as const),
    ]);
  const baseGrants = grants(base);
  const headGrants = grants(head);
  const principals = [...new Set([...baseGrants.keys(), ...headGrants.keys()])].sort();
  const permissionChanges = principals
    .map((principal) => {
      const b = baseGrants.get(principal) ?? new Map<string, PermissionItem>();
      const h = headGrants.get(principal) ?? new Map<string, PermissionItem>();
      const gained = [...h.keys()].filter((x) => !b.has(x)).sort();
      const lost = [...b.keys()].filter((x) => !h.has(x)).sort();
      return { principal, gained, lost, gainedItems: gained.map((x) => h.get(x)!), lostItems: lost.map((x) => b.get(x)!) };
    })
    .filter((c) => c.gained.length + c.lost.length > 0);

  const chained = (report: AccessReport) =>
    new Map(
      report.roles.flatMap((r) =>
        r.reachedThrough.map((c) => [`${r.role}\u0000${c.who}`, { role: r.role, who: c.who, through: c.through, conditions: c.conditions, chain: c }] as const),
      ),
    );
  const chainsBefore = chained(base);
  const chainsAfter = chained(head);

  const findingsBefore = findingsByKey(base);
  const findingsAfter = findingsByKey(head);

  return {
    findingsAdded: [...findingsAfter].filter(([key]) => !findingsBefore.has(key)).map(([, f]) => f),
    findingsResolved: [...findingsBefore].filter(([key]) => !findingsAfter.has(key)).map(([, f]) => f),
    rolesAdded: [...headRoles].filter((r) => !baseRoles.has(r)).sort(),
    rolesRemoved: [...baseRoles].filter((r) => !headRoles.has(r)).sort(),
    trustAdded,
    trustRemoved,
    conditionsChanged,
    chainsAdded: [...chainsAfter].filter(([key]) => !chainsBefore.has(key)).map(([, v]) => v),
    chainsRemoved: [...chainsBefore].filter(([key]) => !chainsAfter.has(key)).map(([, v]) => v),
    permissionChanges,
  };
}

/**
 * Every security finding of a report by rule, subject and message: the same
 * finding moved to another line is no change; an acceptance added or dropped
 * neither (the finding is there all the same, and shows as such).
 */
function findingsByKey(report: AccessReport): Map<string, FindingAccess> {
  const all = [...report.users, ...report.roles, ...report.groups, ...report.providers].flatMap((p) => p.findings);
  return new Map(all.map((f) => [JSON.stringify([f.rule, f.subject, f.message]), f]));
}

/**
 * One line per action and resource (and per managed policy), so that a diff
 * of sets is a diff of access; each with its data. A user's groups count as
 * its own, each line saying which group: joining an admin group is gaining admin.
 */
function permissionSet(
  permissions: Permissions,
  federation?: readonly StatementAccess[],
  groups: readonly MembershipAccess[] = [],
): Map<string, PermissionItem> {
  const lines = new Map<string, PermissionItem>();
  for (const arn of permissions.managedPolicies) lines.set(`managed policy ${arn}`, { managedPolicy: arn });
  for (const { group, permissions: through } of groups) {
    for (const arn of through.managedPolicies) lines.set(`through group ${group}: managed policy ${arn}`, { managedPolicy: arn, group });
  }
  const add = (statement: StatementAccess, prefix: string, session: 'own' | 'federated', group?: string) => {
    const when = statement.conditions.length > 0 ? ` when ${statement.conditions.join(', ')}` : '';
    const actions: { words: string; action: string | null }[] = statement.allBut
      ? [{ words: `everything but ${statement.allBut.join(', ')}`, action: null }]
      : statement.actions.flatMap((a) => (a.matches === 'all' ? [{ words: '* (every action)', action: '*' }] : a.matches.map((m) => ({ words: m, action: m }))));
    const resources: { words: string; resource: string | null }[] = statement.resourcesAllBut
      ? [{ words: `every resource but ${statement.resourcesAllBut.join(', ')}`, resource: null }]
      : statement.resources.map((r) => ({ words: r, resource: r }));
    for (const { words, action } of actions) {
      for (const { words: resourceWords, resource } of resources) {
        // The first statement to write a line gives its data: the same words are the same grant.
        const line = `${prefix}${statement.effect === 'Allow' ? 'allow' : 'deny'} ${words} on ${resourceWords}${when}`;
        if (lines.has(line)) continue;
        lines.set(line, {
          effect: statement.effect,
          action,
          ...(statement.allBut ? { allBut: statement.allBut } : {}),
          resource,
          ...(statement.resourcesAllBut ? { resourcesAllBut: statement.resourcesAllBut } : {}),
          conditions: statement.conditionEntries,
          session,
          ...(group !== undefined ? { group } : {}),
        });
      }
    }
  };
  for (const statement of permissions.statements) add(statement, '', 'own');
  for (const { group, permissions: through } of groups) for (const statement of through.statements) add(statement, `through group ${group}: `, 'own', group);
  for (const statement of federation ?? []) add(statement, 'federated sessions: ', 'federated');
  return lines;
}

export function isEmptyDiff(diff: AccessDiff): boolean {
  return (
    diff.findingsAdded.length +
    diff.findingsResolved.length +
    diff.rolesAdded.length + diff.rolesRemoved.length + diff.trustAdded.length + diff.trustRemoved.length + diff.conditionsChanged.length + diff.chainsAdded.length + diff.chainsRemoved.length + diff.permissionChanges.length === 0
  );
}
