import type { TrustEntryConfig } from '../../schema/trustSchema';
import { TRUST_KIND_KEYS, type TrustKindKey } from '../../schema/trustKinds';
import { accountKind } from './account';
import { cognitoKind } from './cognito';
import { githubKind } from './github';
import { groupKind, groupsKind } from './group';
import { oidcKind } from './oidc';
import { roleKind, rolesKind } from './role';
import { samlKind } from './saml';
import { serviceKind } from './service';
import type { EntryOf, TrustContext, TrustKindRule, TrustTarget } from './target';
import { userKind, usersKind } from './user';

/** Every kind key of a trust entry, and the module that reads it: a kind missing here fails to compile. */
export const TRUST_KINDS = {
  user: userKind,
  users: usersKind,
  role: roleKind,
  roles: rolesKind,
  group: groupKind,
  groups: groupsKind,
  account: accountKind,
  service: serviceKind,
  github: githubKind,
  oidc: oidcKind,
  cognito: cognitoKind,
  saml: samlKind,
} as const satisfies { readonly [K in TrustKindKey]: TrustKindRule<K> };

/** An entry with its kind: the one kind key it holds. */
export type KindedEntry = { readonly [K in TrustKindKey]: { readonly kind: K; readonly entry: EntryOf<K> } }[TrustKindKey];

/**
 * The entry's kind, read from its one kind key. The schema admits no entry
 * without one; should one arrive anyway, it yields no kind (and no grant).
 */
export function kindOf(entry: TrustEntryConfig): KindedEntry | undefined {
  const kind = TRUST_KIND_KEYS.find((key) => key in entry);
  return kind === undefined ? undefined : ({ kind, entry } as KindedEntry);
}

/** The module of one kind (the table's type keeps each key with its own entry type). */
export function ruleOf<K extends TrustKindKey>(kind: K): TrustKindRule<K> {
  return TRUST_KINDS[kind] as TrustKindRule<K>;
}

/** The targets of one entry, from its kind's module. */
export function targetsOf<K extends TrustKindKey>(kinded: { readonly kind: K; readonly entry: EntryOf<K> }, context: TrustContext): TrustTarget[] {
  return ruleOf(kinded.kind).targets(kinded.entry, context);
}
