import { at } from '../../diagnostics/diagnostic';
import { principalTarget } from './principalRef';
import type { TrustKindRule } from './target';

/** `role: account/name`: role chaining; the source role gets its AssumeRole statement. */
export const roleKind: TrustKindRule<'role'> = {
  refuses: {},
  targets: (entry, context) => principalTarget('role', entry.role, at(context.source, 'role'), context),
};

/** `roles: [...]`: one target per source role. */
export const rolesKind: TrustKindRule<'roles'> = {
  refuses: {},
  targets: (entry, context) => entry.roles.flatMap((role, i) => principalTarget('role', role, at(context.source, 'roles', i), context)),
};
