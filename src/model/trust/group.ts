import { at, error, type SourceRef } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import { principalKey, referenceKey } from '../registry';
import type { TrustContext, TrustKindRule, TrustTarget } from './target';

/**
 * `group: account/name`. IAM never names a group as a principal, so the
 * trust lists every member's user ARN (one target per member), and the
 * caller's AssumeRole grant is written once, on the group.
 */
export const groupKind: TrustKindRule<'group'> = {
  refuses: {},
  targets: (entry, context) => groupTargets(entry.group, at(context.source, 'group'), context),
};

/** `groups: [...]`: the members of each group. */
export const groupsKind: TrustKindRule<'groups'> = {
  refuses: {},
  targets: (entry, context) => entry.groups.flatMap((group, i) => groupTargets(group, at(context.source, 'groups', i), context)),
};

function groupTargets(reference: string, source: SourceRef, context: TrustContext): TrustTarget[] {
  const { role, directory } = context;
  const { registry } = directory;
  const home = role.account;
  const { account, name } = referenceKey(reference, home.name);
  const key = principalKey(account, name);
  const group = directory.groups.get(key);
  if (group === undefined) {
    if (!registry.broken.groups.has(key) && !registry.broken.accounts.has(account)) {
      const known = [...directory.groups.keys()].map((k) => (!reference.includes('/') && k.startsWith(`${home.name}/`) ? k.slice(home.name.length + 1) : k));
      context.report(error('unknown-reference', `no group "${name}" in account ${account}${didYouMean(reference, known)}`, source));
    }
    return [];
  }
  if (group.placed.account.partition !== home.partition) {
    context.report(error('partition-mismatch', `group ${reference} is in partition ${group.placed.account.partition} and this role in ${home.partition}: IAM cannot trust across partitions`, source));
    return [];
  }
  if (group.members.length === 0) {
    // Members named but unknown are reported at the group already.
    if (group.placed.value.members.length === 0) {
      context.report(
        error(
          'empty-group',
          `group ${account}/${name} has no members, so this trust would let nobody in (IAM cannot name a group as a principal: rolecall lists each member's user ARN): add members to the group, or delete the entry`,
          source,
        ),
      );
    }
    return [];
  }
  const sameAccount = account === home.name;
  const via = { account, name, arn: group.arn };
  return group.members.map((member) => ({
    kind: 'group',
    grantee: { kind: 'user', account, name: member.name, arn: member.arn },
    principal: { type: 'AWS', value: member.arn },
    action: 'sts:AssumeRole',
    conditions: {},
    group: via,
    createAfter: sameAccount ? [{ kind: 'user', account, name: member.name }] : [],
    dependsOnAccounts: sameAccount ? [] : [account],
    source,
  }));
}
