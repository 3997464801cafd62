import { error, warning, type Diagnostic } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { GroupConfig } from '../schema/configSchema';
import type { GroupMember } from './accessModel';
import { groupArn } from './arns';
import { itemSource, principalKey, type Placed, type Registry } from './registry';

/** IAM's fixed quota: a user is a member of at most 10 groups. */
export const GROUPS_PER_USER = 10;

/** A group with its members resolved against the users of its account: what trust and resolve read. */
export interface GroupEntry {
  readonly placed: Placed<GroupConfig>;
  readonly arn: string;
  /** Sorted by name; unknown and repeated names left out (with their findings). */
  readonly members: readonly GroupMember[];
}

export interface Memberships {
  /** By `account/name` of the group. */
  readonly groups: ReadonlyMap<string, GroupEntry>;
  /** By `account/name` of the user: the names of its groups, sorted. */
  readonly groupsOfUser: ReadonlyMap<string, readonly string[]>;
}

/**
 * Every group's `members:` resolved to users of the group's account. An
 * unknown name is an error at its item (a group holds users of its own
 * account only), a repeated one a warning, and a user in more groups than
 * IAM allows an error at the first membership past the quota.
 */
export function resolveMemberships(registry: Registry, userArns: ReadonlyMap<string, string>, diagnostics: Diagnostic[]): Memberships {
  const groups = new Map<string, GroupEntry>();
  const byUser = new Map<string, { group: string; source: GroupMember['source'] }[]>();
  for (const key of [...registry.groups.keys()].sort()) {
    const placed = registry.groups.get(key)!;
    const { account } = placed;
    const members = new Map<string, GroupMember>();
    placed.value.members.forEach((name, index) => {
      const source = itemSource(placed, 'members', index);
      const userKey = principalKey(account.name, name);
      const arn = userArns.get(userKey);
      if (arn === undefined) {
        if (!registry.broken.users.has(userKey)) diagnostics.push(error('unknown-reference', unknownMember(name, account.name, registry), source));
        return;
      }
      if (members.has(name)) {
        diagnostics.push(warning('duplicate-member', `${name} is already a member of group ${placed.value.name}: remove this item`, source));
        return;
      }
      members.set(name, { name, arn, source });
      const list = byUser.get(userKey) ?? [];
      list.push({ group: placed.value.name, source });
      byUser.set(userKey, list);
    });
    groups.set(key, {
      placed,
      arn: groupArn(account.partition, account.id, placed.value.path ?? '/', placed.value.name),
      members: [...members.values()].sort((a, b) => compare(a.name, b.name)),
    });
  }
  for (const [user, list] of byUser) {
    if (list.length <= GROUPS_PER_USER) continue;
    diagnostics.push(
      error(
        'groups-per-user',
        `user ${user} would be in ${list.length} groups (${list.map((g) => g.group).join(', ')}); IAM allows ${GROUPS_PER_USER} groups per user, a fixed quota: merge groups, or move permissions to a role the user assumes`,
        list[GROUPS_PER_USER]!.source,
      ),
    );
  }
  const groupsOfUser = new Map([...byUser].map(([user, list]) => [user, list.map((g) => g.group).sort(compare)]));
  return { groups, groupsOfUser };
}

function unknownMember(name: string, account: string, registry: Registry): string {
  const inAccount = [...registry.users.values()].filter((u) => u.account.name === account).map((u) => u.value.name);
  const elsewhere = [...registry.users.keys()].filter((k) => k.endsWith(`/${name}`) && !k.startsWith(`${account}/`));
  if (elsewhere.length > 0) {
    return `no user "${name}" in account ${account}; there is ${elsewhere.map((k) => `"${k}"`).join(' and ')}, but a group holds users of its own account only: trust that user directly, or declare the group in its account`;
  }
  return `no user "${name}" in account ${account} (a group's members are users of its own account)${didYouMean(name, inAccount)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
