import { error, type SourceRef } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import { principalKey, referenceKey } from '../registry';
import type { Directory, TrustContext, TrustTarget } from './target';

/**
 * A user or role named by `account/name` (or `name`, the role's own account):
 * its ARN as the AWS principal, the caller side written by rolecall.
 */
export function principalTarget(kind: 'user' | 'role', reference: string, source: SourceRef, context: TrustContext): TrustTarget[] {
  const { role, directory } = context;
  const { registry } = directory;
  const home = role.account;
  const { account, name } = referenceKey(reference, home.name);
  const key = principalKey(account, name);
  const arn = (kind === 'user' ? directory.userArns : directory.roleArns).get(key);
  if (arn === undefined) {
    const broken = kind === 'user' ? registry.broken.users : registry.broken.roles;
    if (!broken.has(key) && !registry.broken.accounts.has(account)) {
      context.report(error('unknown-reference', unknownPrincipal(kind, reference, account, name, home.name, directory), source));
    }
    return [];
  }
  if (kind === 'role' && key === principalKey(home.name, role.value.name)) {
    context.report(
      error('self-trust', `role "${name}" cannot trust itself (IAM refuses a trust naming a role that does not exist yet, and it grants nothing): delete the entry`, source),
    );
    return [];
  }
  const partition = registry.accounts.get(account)?.partition;
  if (partition !== undefined && partition !== home.partition) {
    context.report(error('partition-mismatch', `${kind} ${reference} is in partition ${partition} and this role in ${home.partition}: IAM cannot trust across partitions`, source));
    return [];
  }
  const sameAccount = account === home.name;
  return [
    {
      kind,
      grantee: { kind, account, name, arn },
      principal: { type: 'AWS', value: arn },
      action: 'sts:AssumeRole',
      conditions: {},
      createAfter: sameAccount ? [{ kind, account, name }] : [],
      dependsOnAccounts: sameAccount ? [] : [account],
      source,
    },
  ];
}

/** Why a user or role reference finds nothing, and the likeliest fix. */
function unknownPrincipal(kind: 'user' | 'role', reference: string, account: string, name: string, home: string, directory: Directory): string {
  const { registry } = directory;
  if (!registry.accounts.has(account)) {
    return `no ${kind} "${name}": there is no account "${account}"${didYouMean(account, registry.accounts.keys())}`;
  }
  const other = kind === 'user' ? directory.roleArns : directory.userArns;
  const otherKind = kind === 'user' ? 'role' : 'user';
  if (other.has(principalKey(account, name))) {
    return `no ${kind} "${name}" in account ${account}, but there is a ${otherKind}: write ${otherKind}: ${reference}`;
  }
  const arns = kind === 'user' ? directory.userArns : directory.roleArns;
  if (!reference.includes('/')) {
    // A bare name means the role's account: the same name elsewhere is the likely meaning.
    const elsewhere = [...arns.keys()].filter((k) => k.endsWith(`/${name}`));
    if (elsewhere.length > 0) {
      return `no ${kind} "${name}" in account ${home} (a bare name means the role's own account); did you mean ${elsewhere.map((k) => `"${k}"`).join(' or ')}?`;
    }
  }
  const candidates = [...arns.keys()].map((k) => (!reference.includes('/') && k.startsWith(`${home}/`) ? k.slice(home.length + 1) : k));
  return `no ${kind} "${name}" in account ${account}${didYouMean(reference, candidates)}`;
}
