import { at, error, type SourceRef } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import type { Account, ConditionBlock } from '../accessModel';
import { accountRootArn } from '../arns';
import { undeclaredAccount, type Registry } from '../registry';
import { NO_ORDER, type TrustKindRule } from './target';

/**
 * `account: name | id`: the account root. Any principal of that account its
 * own admins allow gets in, so an account outside the config needs the
 * external id agreed with its owner (the confused-deputy guard).
 */
export const accountKind: TrustKindRule<'account'> = {
  refuses: {},
  targets(entry, context) {
    const { registry } = context.directory;
    const home = context.role.account;
    const source = at(context.source, 'account');
    const target = findAccount(entry.account, registry, home.partition, source);
    if (!target) {
      if (!registry.broken.accounts.has(entry.account)) {
        context.report(
          error('unknown-reference', `no account named "${entry.account}"${didYouMean(entry.account, registry.accounts.keys())}; declare it under accounts: or give its 12-digit id in quotes`, source),
        );
      }
      return [];
    }
    const external = target.external || !target.declared;
    if (external && entry.externalId === undefined) {
      context.report(
        error(
          'external-id-required',
          `account ${target.declared ? `"${target.name}"` : target.id} is outside this config: add externalId: with the value agreed with its owner, so that only they can use this trust (the confused-deputy guard)`,
          source,
        ),
      );
      return [];
    }
    if (target.partition !== home.partition) {
      context.report(error('partition-mismatch', `account ${target.name} is in partition ${target.partition} and this role in ${home.partition}: IAM cannot trust across partitions`, source));
      return [];
    }
    const arn = accountRootArn(target.partition, target.id);
    const conditions: ConditionBlock = entry.externalId !== undefined ? { StringEquals: { 'sts:ExternalId': [entry.externalId] } } : {};
    return [
      {
        kind: 'account',
        grantee: { kind: 'account', account: target.name, accountId: target.id, external, arn },
        principal: { type: 'AWS', value: arn },
        action: 'sts:AssumeRole',
        conditions,
        ...(entry.externalId !== undefined ? { externalId: entry.externalId } : {}),
        // The account root names no principal rolecall creates: nothing to order after.
        ...NO_ORDER,
        source,
      },
    ];
  },
};

function findAccount(reference: string, registry: Registry, partition: Account['partition'], source: SourceRef): Account | undefined {
  const named = registry.accounts.get(reference);
  if (named) return named;
  if (!/^\d{12}$/.test(reference)) return undefined;
  return registry.accountsById.get(reference) ?? undeclaredAccount(reference, partition, source);
}
