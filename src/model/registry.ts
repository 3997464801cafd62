import { at, duplicate, error, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { didYouMean } from '../diagnostics/suggest';
import type { AccountConfig, GroupConfig, ProviderConfig, RoleConfig, UserConfig } from '../schema/configSchema';
import type { BrokenEntry, Entry, ValidatedFile } from '../schema/validateDocument';
import type { Account, Partition } from './accessModel';
import { defaultRegion } from './arns';

/** A validated entry placed in its account. */
export interface Placed<T> extends Entry<T> {
  readonly account: Account;
}

/**
 * Every entry of every file, merged, with the account each belongs to.
 * Duplicate names are reported here, naming both places.
 */
export interface Registry {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly accountConfigs: ReadonlyMap<string, Entry<AccountConfig>>;
  readonly accountsById: ReadonlyMap<string, Account>;
  readonly providers: ReadonlyMap<string, Placed<ProviderConfig>>;
  /** Keyed by `account/name`. */
  readonly users: ReadonlyMap<string, Placed<UserConfig>>;
  readonly roles: ReadonlyMap<string, Placed<RoleConfig>>;
  readonly groups: ReadonlyMap<string, Placed<GroupConfig>>;
  /** Names whose entries failed validation: references to them are not reported twice. */
  readonly broken: {
    readonly accounts: ReadonlySet<string>;
    readonly providers: ReadonlySet<string>;
    readonly users: ReadonlySet<string>;
    readonly roles: ReadonlySet<string>;
    readonly groups: ReadonlySet<string>;
  };
  /** The account used when an entry names none: set when exactly one non-external account is declared. */
  readonly defaultAccount: Account | undefined;
}

export function principalKey(account: string, name: string): string {
  return `${account}/${name}`;
}

export function buildRegistry(files: readonly ValidatedFile[]): { registry: Registry; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const accounts = new Map<string, Account>();
  const accountConfigs = new Map<string, Entry<AccountConfig>>();
  const accountsById = new Map<string, Account>();

  for (const entry of files.flatMap((f) => f.accounts)) {
    const { name, id } = entry.value;
    const earlier = accountConfigs.get(name);
    if (earlier) {
      diagnostics.push(duplicate('duplicate-name', `account "${name}" is defined twice; keep one`, at(entry.source, 'name'), at(earlier.source, 'name')));
      continue;
    }
    const sameId = accountsById.get(id);
    if (sameId) {
      diagnostics.push(
        duplicate('duplicate-account-id', `account id ${id} is already account "${sameId.name}"; one account, one entry`, at(entry.source, 'id'), at(sameId.source, 'id')),
      );
      continue;
    }
    const partition: Partition = entry.value.partition ?? (entry.value.region ? regionPartition(entry.value.region) : 'aws');
    if (entry.value.region && regionPartition(entry.value.region) !== partition) {
      diagnostics.push(
        error('partition-mismatch', `region ${entry.value.region} is in partition ${regionPartition(entry.value.region)}, not ${partition}: fix the region or the partition`, at(entry.source, 'region')),
      );
    }
    const account: Account = {
      name,
      id,
      region: entry.value.region ?? defaultRegion(partition),
      partition,
      external: entry.value.external ?? false,
      declared: true,
      ...(entry.value.deployRole !== undefined ? { deployRoleArn: entry.value.deployRole } : {}),
      source: entry.source,
    };
    accounts.set(name, account);
    accountConfigs.set(name, entry);
    accountsById.set(id, account);
  }

  const brokenAccounts = new Set(files.flatMap((f) => f.broken.accounts.map((b) => b.name)));
  const managed = [...accounts.values()].filter((a) => !a.external);
  const defaultAccount = managed.length === 1 && brokenAccounts.size === 0 ? managed[0] : undefined;

  const placeIn = <T extends { name: string; account?: string | undefined }>(
    entry: Entry<T>,
    what: string,
  ): Account | undefined => {
    const named = entry.value.account;
    if (named === undefined) {
      if (defaultAccount) return defaultAccount;
      if (brokenAccounts.size > 0 && managed.length <= 1) return undefined;
      diagnostics.push(
        error(
          'missing-account',
          managed.length === 0
            ? `${what} "${entry.value.name}" needs an account, and no non-external account is declared: add one under accounts:`
            : `${what} "${entry.value.name}" needs account: one of ${managed.map((a) => a.name).join(', ')} (more than one account is declared)`,
          entry.source,
        ),
      );
      return undefined;
    }
    const account = accounts.get(named);
    if (!account) {
      const byId = accountsById.get(named);
      if (byId) {
        diagnostics.push(error('unknown-reference', `account ${named} is "${byId.name}": write account: ${byId.name} (entries name accounts by their short name)`, at(entry.source, 'account')));
      } else if (!brokenAccounts.has(named)) {
        diagnostics.push(error('unknown-reference', `no account named "${named}"${didYouMean(named, accounts.keys())}`, at(entry.source, 'account')));
      }
      return undefined;
    }
    if (account.external) {
      diagnostics.push(
        error('external-account', `account "${named}" is external: rolecall creates nothing there; ${what}s live in accounts this config manages`, at(entry.source, 'account')),
      );
      return undefined;
    }
    return account;
  };

  const collect = <T extends { name: string; account?: string | undefined }>(
    entries: Entry<T>[],
    what: string,
    keyOf: (account: Account, name: string) => string,
    ignoreCase: boolean,
  ): Map<string, Placed<T>> => {
    const placed = new Map<string, Placed<T>>();
    const folded = new Map<string, Placed<T>>();
    for (const entry of entries) {
      const account = placeIn(entry, what);
      if (!account) continue;
      const key = keyOf(account, entry.value.name);
      const fold = ignoreCase ? key.toLowerCase() : key;
      const earlier = folded.get(fold);
      if (earlier) {
        const same = earlier.value.name === entry.value.name ? 'defined twice' : `the same name as "${earlier.value.name}" (IAM names ignore case)`;
        diagnostics.push(
          duplicate('duplicate-name', `${what} "${entry.value.name}" in account ${account.name} is ${same}; keep one`, at(entry.source, 'name'), at(earlier.source, 'name')),
        );
        continue;
      }
      const value: Placed<T> = { ...entry, account };
      placed.set(key, value);
      folded.set(fold, value);
    }
    return placed;
  };

  const providers = collect(files.flatMap((f) => f.providers), 'provider', (_a, name) => name, false);
  const users = collect(files.flatMap((f) => f.users), 'user', (a, name) => principalKey(a.name, name), true);
  const roles = collect(files.flatMap((f) => f.roles), 'role', (a, name) => principalKey(a.name, name), true);
  const groups = collect(files.flatMap((f) => f.groups), 'group', (a, name) => principalKey(a.name, name), true);

  const brokenKeys = (list: BrokenEntry[]) =>
    list.map((b) => (b.account ? principalKey(b.account, b.name) : defaultAccount ? principalKey(defaultAccount.name, b.name) : b.name));

  return {
    registry: {
      accounts,
      accountConfigs,
      accountsById,
      providers,
      users,
      roles,
      groups,
      broken: {
        accounts: brokenAccounts,
        providers: new Set(files.flatMap((f) => f.broken.providers.map((b) => b.name))),
        users: new Set(brokenKeys(files.flatMap((f) => f.broken.users))),
        roles: new Set(brokenKeys(files.flatMap((f) => f.broken.roles))),
        groups: new Set(brokenKeys(files.flatMap((f) => f.broken.groups))),
      },
      defaultAccount,
    },
    diagnostics,
  };
}

/** The SourceRef of item `index` of one of an entry's lists, in the YAML's numbering. */
export function itemSource(entry: Entry<unknown>, list: string, index: number): SourceRef {
  return at(entry.source, list, entry.kept?.[list]?.[index] ?? index);
}

/** An account named only by its 12-digit id in a trust entry: external, outside this config. */
export function undeclaredAccount(id: string, partition: Partition, source: SourceRef): Account {
  return { name: id, id, region: defaultRegion(partition), partition, external: true, declared: false, source };
}

/** The partition a region belongs to. */
export function regionPartition(region: string): Partition {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** Resolves `account/name` or `name` (the given account) to a registry key. */
export function referenceKey(reference: string, homeAccount: string): { account: string; name: string } {
  const slash = reference.indexOf('/');
  return slash === -1
    ? { account: homeAccount, name: reference }
    : { account: reference.slice(0, slash), name: reference.slice(slash + 1) };
}
