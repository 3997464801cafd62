import type { WayIn } from './waysIn';

/**
 * Role chaining: who reaches a role through other roles. From every origin
 * (a user, or a grantee outside the model's principals: an external
 * account, a service, a web identity, SAML sign-ins), follow the open ways
 * in from role to role. Each origin is recorded once per role it reaches,
 * with the shortest chain found (breadth first), so the report can say
 * "reached by X through A → B".
 */
export interface Chain {
  /** The origin's key in the ways: `user:acct/name`, or the grantee's description for a non-principal. */
  readonly origin: string;
  /** The roles passed through, `account/name`, the reached role last. */
  readonly roles: readonly string[];
  /** The ways taken, one per role of `roles`. */
  readonly ways: readonly WayIn[];
}

export type OriginKey = string;

/** `user:account/name` or `role:account/name`: one key for a principal across the analysers. */
export function principalKey(principal: { readonly kind: 'user' | 'role'; readonly account: string; readonly name: string }): string {
  return `${principal.kind}:${principal.account}/${principal.name}`;
}

export function roleKey(role: { readonly account: string; readonly name: string }): string {
  return `${role.account}/${role.name}`;
}

/** Chains of two roles or more (one role is a direct way in, already reported as such). */
export function chains(ways: readonly WayIn[], originOf: (way: WayIn) => OriginKey | undefined): Chain[] {
  const open = ways.filter((w) => w.blockedBy === undefined);
  // Ways out of each role: the ways whose caller is that role.
  const fromRole = new Map<string, WayIn[]>();
  const fromOrigin = new Map<OriginKey, WayIn[]>();
  for (const way of open) {
    if (way.caller?.kind === 'role') {
      const key = roleKey(way.caller);
      append(fromRole, key, way);
    }
    const origin = originOf(way);
    if (origin !== undefined) append(fromOrigin, origin, way);
  }
  const found: Chain[] = [];
  for (const [origin, first] of [...fromOrigin].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const seen = new Set<string>();
    let frontier: { roles: string[]; ways: WayIn[] }[] = [];
    for (const way of first) {
      const key = roleKey(way.role);
      if (seen.has(key)) continue;
      seen.add(key);
      frontier.push({ roles: [key], ways: [way] });
    }
    while (frontier.length > 0) {
      const next: typeof frontier = [];
      for (const path of frontier) {
        for (const way of fromRole.get(path.roles[path.roles.length - 1]!) ?? []) {
          const key = roleKey(way.role);
          if (seen.has(key)) continue;
          seen.add(key);
          const longer = { roles: [...path.roles, key], ways: [...path.ways, way] };
          found.push({ origin, ...longer });
          next.push(longer);
        }
      }
      frontier = next;
    }
  }
  return found;
}

/** In place: a copy per item is quadratic for a principal with thousands of ways. */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
