import { at } from '../../diagnostics/diagnostic';
import { principalTarget } from './principalRef';
import type { TrustKindRule } from './target';

/** `user: account/name`: an IAM user, with MFA and source IP as it signs in. */
export const userKind: TrustKindRule<'user'> = {
  refuses: {},
  targets: (entry, context) => principalTarget('user', entry.user, at(context.source, 'user'), context),
};

/** `users: [...]`: one target per user, each with its own caller side. */
export const usersKind: TrustKindRule<'users'> = {
  refuses: {},
  targets: (entry, context) => entry.users.flatMap((user, i) => principalTarget('user', user, at(context.source, 'users', i), context)),
};
