/**
 * Authorization details (one file per account) → rolecall config, as data:
 * accounts.yaml, and per account users.yaml, groups.yaml, roles.yaml and
 * providers.yaml. Pure: no I/O, the clock given.
 *
 * Customer managed policies defined in the file are inlined: their default
 * version's statements join the principal's allow/deny, so that rolecall's
 * analysers see them (a policy named by ARN is invisible to them). One that
 * the file does not define stays an ARN under managedPolicies.
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic';
import type { AttachedPolicy, AuthorizationDetails, InlinePolicy, ManagedPolicyDetail, RoleDetail, UserDetail } from './authorizationDetails';
import { mapStatements, notExpressible, type StatementConfig } from './identityStatements';
import { mapTrust, type ImportDirectory, type ImportedProvider } from './trustEntries';
import type { Subject, YamlFile, YamlItem } from './yamlFiles';

/**
 * `adopt: true` on every imported user, group and role: they exist, so the
 * stacks carry Terraform import blocks and the first deploy adopts them.
 */

export interface ImportInput {
  readonly details: AuthorizationDetails;
  readonly account: string;
}

export interface ImportCounts {
  users: number;
  groups: number;
  roles: number;
  providers: number;
  skipped: number;
}

export interface ImportResult {
  readonly files: YamlFile[];
  readonly diagnostics: Diagnostic[];
  readonly counts: ImportCounts;
}

interface AccountOf {
  readonly name: string;
  readonly id: string;
  readonly partition: string;
}

const arnAccount = (arn: string): { partition: string; id: string } | undefined => {
  const match = /^arn:([^:]+):iam::(\d{12}):/.exec(arn);
  return match ? { partition: match[1]!, id: match[2]! } : undefined;
};

function accountOf(input: ImportInput, diagnostics: Diagnostic[]): AccountOf | undefined {
  const { details } = input;
  const arns = [...details.users, ...details.groups, ...details.roles].map((e) => ({ arn: e.arn, where: e.where }));
  const found = new Map<string, { partition: string; where: readonly (string | number)[] }>();
  for (const { arn, where } of arns) {
    const account = arnAccount(arn);
    if (!account) {
      diagnostics.push(error('import-input', `${arn} is no IAM ARN (arn:PARTITION:iam::ACCOUNT-ID:...)`, { file: details.file, path: [...where, 'Arn'] }));
    } else if (!found.has(account.id)) {
      found.set(account.id, { partition: account.partition, where });
    }
  }
  if (found.size === 0) {
    diagnostics.push(error('import-input', 'the file holds no user, group or role, so it names no account id to import', { file: details.file, path: [] }));
    return undefined;
  }
  if (found.size > 1) {
    const [, second] = [...found.entries()];
    diagnostics.push(error('import-input', `the file mixes accounts ${[...found.keys()].join(', ')}: import one account per file`, { file: details.file, path: [...second![1].where, 'Arn'] }));
    return undefined;
  }
  const [id, { partition }] = [...found.entries()][0]!;
  return { name: input.account, id, partition };
}

/** AWS-managed IAM nobody may change: service-linked roles and the roles IAM Identity Center and others keep. */
function reservedPath(path: string): string | undefined {
  if (path.startsWith('/aws-service-role/')) return 'a service-linked role: its service creates and deletes it, and IAM refuses to change it';
  if (path.startsWith('/aws-reserved/')) return 'a role on an AWS-reserved path (IAM Identity Center and other AWS services own it)';
  return undefined;
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Gathered {
  readonly allow: StatementConfig[];
  readonly deny: StatementConfig[];
  readonly managed: string[];
  readonly notes: string[];
}

/** A principal's inline and attached policies: AWS managed by name, customer managed inlined. */
function gather(
  file: string,
  inline: readonly InlinePolicy[],
  attached: readonly AttachedPolicy[],
  policies: ReadonlyMap<string, ManagedPolicyDetail>,
  takesManaged: boolean,
  diagnostics: Diagnostic[],
  byArn = false,
): Gathered {
  const allow: StatementConfig[] = [];
  const deny: StatementConfig[] = [];
  const managed: string[] = [];
  const notes: string[] = [];
  const add = (statements: ReturnType<typeof mapStatements>) => {
    allow.push(...statements.allow);
    deny.push(...statements.deny);
    diagnostics.push(...statements.diagnostics);
  };
  for (const policy of [...inline].sort(byName)) add(mapStatements(file, policy.document.statements));
  if (inline.length > 0) notes.push(`inline ${inline.length === 1 ? 'policy' : 'policies'} ${[...inline].sort(byName).map((p) => p.name).join(', ')}`);
  for (const attachment of [...attached].sort(byName)) {
    const awsManaged = /^arn:[^:]+:iam::aws:policy\//.exec(attachment.arn);
    if (awsManaged) {
      if (takesManaged) managed.push(attachment.arn.slice(awsManaged[0].length));
      else diagnostics.push(notExpressible(file, attachment.path, `AWS managed policy ${attachment.name} attached to a user left out: the format attaches managed policies to groups and roles; put the user in a group that has it`));
      continue;
    }
    const defined = policies.get(attachment.arn)?.document;
    if (defined && byArn && takesManaged) {
      managed.push(attachment.arn);
      diagnostics.push(
        warning('import-by-arn', `customer managed policy ${attachment.name} kept by ARN: inlined, the entity's statements would pass IAM's inline policy size limit (rolecall's analysers cannot look into a policy named by ARN)`, { file, path: attachment.path }),
      );
    } else if (defined) {
      add(mapStatements(file, defined.statements));
      notes.push(`customer managed policy ${attachment.name} (its default version, inlined)`);
    } else if (takesManaged) {
      managed.push(attachment.arn);
      diagnostics.push(warning('import-not-expressible', `customer managed policy ${attachment.arn} is not defined in this file: kept by ARN, which rolecall's analysers cannot look into`, { file, path: attachment.path }));
    } else {
      diagnostics.push(notExpressible(file, attachment.path, `customer managed policy ${attachment.arn}, attached to a user and not defined in this file, left out: the format attaches managed policies to groups and roles`));
    }
  }
  return { allow, deny, managed, notes };
}

function boundary(arn: string | undefined, account: AccountOf): string | undefined {
  if (arn === undefined) return undefined;
  // A customer policy of the account at path "/": its name; anything else stays an ARN.
  const own = new RegExp(`^arn:[^:]+:iam::${account.id}:policy/([\\w+=,.@-]+)$`).exec(arn);
  return own ? own[1] : arn;
}

function tagsOf(file: string, tags: UserDetail['tags'], diagnostics: Diagnostic[]): Record<string, string> | undefined {
  const kept = tags.filter((t) => {
    if (!t.key.toLowerCase().startsWith('aws:')) return true;
    diagnostics.push(warning('import-skipped', `tag ${t.key} left out: AWS sets aws: tags itself`, { file, path: t.path }));
    return false;
  });
  return kept.length > 0 ? Object.fromEntries([...kept].sort((a, b) => (a.key < b.key ? -1 : 1)).map((t) => [t.key, t.value])) : undefined;
}

function duration(seconds: number): string | number {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${Math.floor(seconds / 3600) > 0 ? `${Math.floor(seconds / 3600)}h` : ''}${(seconds % 3600) / 60}m` : seconds;
}

const present = <T>(key: string, value: T | undefined) => (value === undefined || (Array.isArray(value) && value.length === 0) ? {} : { [key]: value });
const adopt = () => ({ adopt: true as const });

function commentFor(arn: string, gathered: Gathered, findings: readonly Diagnostic[]): string {
  const lines = [arn, ...(gathered.notes.length > 0 ? [`permissions from ${gathered.notes.join('; ')}`] : [])];
  // What the import could not write stays in sight of whoever reads the YAML.
  for (const finding of findings) lines.push(`import: ${finding.message}`);
  return lines.join('\n');
}

const startsWith = (path: readonly (string | number)[], prefix: readonly (string | number)[]) => prefix.every((segment, i) => path[i] === segment);

/** The not-expressible findings about one entity of the file. */
function findingsAt(diagnostics: readonly Diagnostic[], file: string, where: readonly (string | number)[]): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === 'import-not-expressible' && d.source.file === file && startsWith(d.source.path, where));
}

type KnownPrincipal = { kind: 'user' | 'role'; account: string; name: string };
const entry = (arn: string, kind: 'user' | 'role', account: string, name: string): [string, KnownPrincipal] => [arn, { kind, account, name }];

export interface ImportOptions {
  /**
   * Entities (`group:account/name`, `role:account/name`) whose customer
   * managed policies stay attached by ARN: inlined, they would pass IAM's
   * inline size limit (the pipeline learns this from a first compile).
   */
  readonly byArn?: ReadonlySet<string>;
}

export function importAccounts(inputs: readonly ImportInput[], now: Date, options: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const counts: ImportCounts = { users: 0, groups: 0, roles: 0, providers: 0, skipped: 0 };
  const accounts = inputs.map((input) => accountOf(input, diagnostics));
  if (accounts.some((a) => a === undefined)) return { files: [], diagnostics, counts };
  const resolved = accounts as AccountOf[];
  const directory: ImportDirectory = {
    accountNames: new Map(resolved.map((a) => [a.id, a.name])),
    principals: new Map<string, { kind: 'user' | 'role'; account: string; name: string }>(
      inputs.flatMap((input, i): [string, { kind: 'user' | 'role'; account: string; name: string }][] => [
        ...input.details.users.map((u) => entry(u.arn, 'user', resolved[i]!.name, u.name)),
        ...input.details.roles.filter((r) => !reservedPath(r.path)).map((r) => entry(r.arn, 'role', resolved[i]!.name, r.name)),
      ]),
    ),
    now,
  };
  const day = now.toISOString().slice(0, 10);
  const files: YamlFile[] = [
    {
      path: 'accounts.yaml',
      header: `Imported by rolecall import on ${day} from ${inputs.map((i) => i.details.file).join(', ')}.\nThe accounts whose IAM the other files describe.`,
      sections: [{ key: 'accounts', items: resolved.map((a) => ({ value: { name: a.name, id: a.id, ...(a.partition !== 'aws' ? { partition: a.partition } : {}) } })) }],
    },
  ];
  inputs.forEach((input, i) => {
    const account = resolved[i]!;
    const made = importAccount(input.details, account, directory, diagnostics, counts, options.byArn ?? new Set());
    const header = (what: string) =>
      `Imported by rolecall import on ${day} from ${input.details.file} (account ${account.name}, ${account.id}).\n${what}\nEach accept: entry is a security finding the account held at import: work them down.`;
    for (const [key, items, what] of [
      ['providers', made.providers, 'Identity providers that roles trust, adopted as they exist.'],
      ['users', made.users, 'IAM users.'],
      ['groups', made.groups, 'IAM groups and their members.'],
      ['roles', made.roles, ['IAM roles and who may assume them.', ...made.leftOut.map((line) => `Left out: ${line}`)].join('\n')],
    ] as const) {
      if (items.length > 0) files.push({ path: `${account.name}/${key}.yaml`, header: header(what), sections: [{ key, items }] });
    }
  });
  return { files, diagnostics, counts };
}

function importAccount(details: AuthorizationDetails, account: AccountOf, directory: ImportDirectory, diagnostics: Diagnostic[], counts: ImportCounts, byArn: ReadonlySet<string>) {
  const file = details.file;
  const policies = new Map(details.policies.map((p) => [p.arn, p]));
  const subject = (kind: Subject['kind'], name: string): Subject => ({ kind, account: account.name, name });
  const groupNames = new Set(details.groups.map((g) => g.name));

  const users: YamlItem[] = [...details.users].sort(byName).map((user) => {
    const gathered = gather(file, user.inline, user.attached, policies, false, diagnostics);
    counts.users++;
    return {
      comment: commentFor(user.arn, gathered, findingsAt(diagnostics, file, user.where)),
      subject: subject('user', user.name),
      value: {
        name: user.name,
        account: account.name,
        ...(user.path !== '/' ? { path: user.path } : {}),
        ...adopt(),
        ...present('tags', tagsOf(file, user.tags, diagnostics)),
        ...present('permissionsBoundary', boundary(user.boundaryArn, account)),
        ...present('allow', gathered.allow),
        ...present('deny', gathered.deny),
      },
    };
  });

  const members = new Map<string, string[]>();
  for (const user of details.users) {
    for (const group of user.groups) {
      if (!groupNames.has(group.name)) {
        diagnostics.push(notExpressible(file, group.path, `membership of group ${group.name} left out: the file defines no such group`));
        continue;
      }
      members.set(group.name, [...(members.get(group.name) ?? []), user.name]);
    }
  }
  const groups: YamlItem[] = [...details.groups].sort(byName).map((group) => {
    const gathered = gather(file, group.inline, group.attached, policies, true, diagnostics, byArn.has(`group:${account.name}/${group.name}`));
    counts.groups++;
    return {
      comment: commentFor(group.arn, gathered, findingsAt(diagnostics, file, group.where)),
      subject: subject('group', group.name),
      value: {
        name: group.name,
        account: account.name,
        ...(group.path !== '/' ? { path: group.path } : {}),
        ...adopt(),
        members: [...(members.get(group.name) ?? [])].sort(),
        ...present('managedPolicies', gathered.managed),
        ...present('allow', gathered.allow),
        ...present('deny', gathered.deny),
      },
    };
  });

  const providers: ImportedProvider[] = [];
  const roles: YamlItem[] = [];
  const leftOut: string[] = [];
  for (const role of [...details.roles].sort(byName)) {
    const reserved = reservedPath(role.path);
    if (reserved) {
      counts.skipped++;
      diagnostics.push(warning('import-skipped', `role ${role.name} skipped: ${reserved}`, { file, path: role.where }));
      continue;
    }
    const item = importRole(file, role, account, directory, policies, diagnostics, byArn.has(`role:${account.name}/${role.name}`));
    if (!item) {
      leftOut.push(`role ${role.name} (${role.arn}) is not imported: ${findingsAt(diagnostics, file, role.where).map((d) => d.message).join('; ')}`);
      continue;
    }
    counts.roles++;
    for (const p of item.providers) if (!providers.some((q) => q.existing === p.existing)) providers.push(p);
    roles.push({ comment: item.comment, subject: subject('role', role.name), value: item.value });
  }
  counts.providers += providers.length;
  const providerItems: YamlItem[] = [...providers].sort(byName).map((p) => ({ subject: subject('provider', p.name), value: { name: p.name, account: p.account, existing: p.existing } }));
  return { users, groups, roles, providers: providerItems, leftOut };
}

function importRole(
  file: string,
  role: RoleDetail,
  account: AccountOf,
  directory: ImportDirectory,
  policies: ReadonlyMap<string, ManagedPolicyDetail>,
  diagnostics: Diagnostic[],
  byArn: boolean,
): { comment: string; value: Record<string, unknown>; providers: readonly ImportedProvider[] } | undefined {
  const trust = mapTrust(file, role, account.name, account.id, account.partition, directory);
  diagnostics.push(...trust.diagnostics);
  if (trust.entries.length === 0) {
    diagnostics.push(notExpressible(file, role.trust.path, `role ${role.name} left out: nothing of its trust policy has a place in the format (see the findings above), and a role needs a trust entry`));
    return undefined;
  }
  const gathered = gather(file, role.inline, role.attached, policies, true, diagnostics, byArn);
  return {
    comment: commentFor(role.arn, gathered, findingsAt(diagnostics, file, role.where)),
    providers: trust.providers,
    value: {
      name: role.name,
      account: account.name,
      ...(role.path !== '/' ? { path: role.path } : {}),
      ...adopt(),
      ...present('description', role.description),
      ...(role.maxSessionDuration !== undefined && role.maxSessionDuration !== 3600 ? { maxSessionDuration: duration(role.maxSessionDuration) } : {}),
      ...present('permissionsBoundary', boundary(role.boundaryArn, account)),
      ...present('tags', tagsOf(file, role.tags, diagnostics)),
      trust: trust.entries,
      ...present('managedPolicies', gathered.managed),
      ...present('allow', gathered.allow),
      ...present('deny', gathered.deny),
    },
  };
}
