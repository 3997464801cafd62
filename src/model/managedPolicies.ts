import { error, warning, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { closest } from '../diagnostics/suggest';
import type { ValidatedFile } from '../schema/validateDocument';
import type { ManagedPolicyAttachment, Partition, PolicyDocument } from './accessModel';
import { awsManagedPolicyArn, boundaryArn } from './arns';
import { policyDocumentFromJson, type ManagedPolicyCatalog } from './managedPolicyCatalog';

/** The account a policy is attached in. */
export interface AttachingAccount {
  readonly partition: Partition;
  readonly id: string;
}

/** What a policy ARN names: the ARN's account (`aws` for AWS managed) and its part after `policy/`. */
interface PolicyArn {
  readonly partition: string;
  readonly owner: string;
  readonly pathAndName: string;
}

function parsePolicyArn(arn: string): PolicyArn {
  // arn:PART:iam::OWNER:policy/PATH/NAME; a path may itself hold ':'.
  const parts = arn.split(':');
  return { partition: parts[1]!, owner: parts[4]!, pathAndName: parts.slice(5).join(':').slice('policy/'.length) };
}

/**
 * A `managedPolicies:` item: a bare name is AWS managed, an ARN is as written.
 * Checked against the catalog: an AWS managed policy must exist; a customer
 * managed one must be the account's own (IAM attaches no other account's).
 */
export function managedPolicyAttachment(
  nameOrArn: string,
  account: AttachingAccount,
  catalog: ManagedPolicyCatalog,
  source: SourceRef,
  diagnostics: Diagnostic[],
): ManagedPolicyAttachment {
  const arn = awsManagedPolicyArn(account.partition, nameOrArn);
  const document = checkedDocument(arn, nameOrArn, 'an attached policy', account, catalog, source, diagnostics);
  return { arn, ...(document ? { document } : {}), source };
}

/** `permissionsBoundary:`: a bare name is a customer managed policy of the principal's account. */
export function permissionsBoundary(
  nameOrArn: string,
  account: AttachingAccount,
  catalog: ManagedPolicyCatalog,
  source: SourceRef,
  diagnostics: Diagnostic[],
): { readonly arn: string; readonly document?: PolicyDocument } {
  const arn = boundaryArn(account.partition, account.id, nameOrArn);
  const document = checkedDocument(arn, nameOrArn, 'a permissions boundary', account, catalog, source, diagnostics);
  return { arn, ...(document ? { document } : {}) };
}

function checkedDocument(
  arn: string,
  written: string,
  what: string,
  account: AttachingAccount,
  catalog: ManagedPolicyCatalog,
  source: SourceRef,
  diagnostics: Diagnostic[],
): PolicyDocument | undefined {
  const policy = parsePolicyArn(arn);
  // Another partition's ARN is a partition-mismatch finding of its own.
  if (policy.partition !== account.partition) return undefined;
  if (policy.owner !== 'aws') {
    if (policy.owner !== account.id) {
      diagnostics.push(
        error(
          'managed-policy-account',
          `${arn} is a customer managed policy of account ${policy.owner}; ${what} must be AWS managed or a policy of this account (${account.id}), IAM attaches no other account's: create the policy in ${account.id}`,
          source,
        ),
      );
    }
    return undefined;
  }
  if (catalog.find(policy.pathAndName) === undefined) {
    diagnostics.push(unknownPolicy(written, policy.pathAndName, account.partition, catalog, source));
    return undefined;
  }
  // The list is the aws partition's: documents elsewhere name other ARNs, and may differ.
  if (account.partition !== 'aws') return undefined;
  return policyDocumentFromJson(catalog.document(policy.pathAndName), source);
}

function unknownPolicy(written: string, pathAndName: string, partition: Partition, catalog: ManagedPolicyCatalog, source: SourceRef): Diagnostic {
  const suggestion = suggestPolicy(pathAndName, catalog);
  // Suggest in the form it was written: a bare path/name, or the whole ARN.
  const fix = suggestion === undefined ? undefined : written.startsWith('arn:') ? `arn:${partition}:iam::aws:policy/${suggestion}` : suggestion;
  const hint =
    fix !== undefined
      ? `${suggestion !== undefined && baseName(suggestion) === baseName(pathAndName) ? ' at that path' : ''}; did you mean "${fix}"?`
      : written.startsWith('arn:')
        ? ''
        : ': a customer managed policy is attached by its ARN, arn:PARTITION:iam::ACCOUNT:policy/NAME';
  if (partition === 'aws') return error('unknown-managed-policy', `"${written}" is not an AWS managed policy${hint}`, source);
  return warning(
    'unknown-managed-policy',
    `"${written}" is not an AWS managed policy in the aws partition, the only list rolecall has: check that ${partition} has it${hint}`,
    source,
  );
}

function baseName(pathAndName: string): string {
  return pathAndName.slice(pathAndName.lastIndexOf('/') + 1);
}

/**
 * The policy meant: the same name at its real path (AWS keeps service roles'
 * policies under `service-role/`), else the closest path-and-name, else the
 * closest name.
 */
function suggestPolicy(pathAndName: string, catalog: ManagedPolicyCatalog): string | undefined {
  const all = catalog.names();
  const sameName = all.filter((candidate) => baseName(candidate).toLowerCase() === baseName(pathAndName).toLowerCase());
  if (sameName.length === 1) return sameName[0];
  const whole = closest(pathAndName, all);
  if (whole !== undefined) return whole;
  const byName = new Map(all.map((candidate) => [baseName(candidate), candidate]));
  const closestName = closest(baseName(pathAndName), byName.keys());
  return closestName === undefined ? undefined : byName.get(closestName);
}

/** Whether a policy ARN or name (as written in `kind`) is AWS managed. */
function isAwsManaged(nameOrArn: string, kind: 'attachment' | 'boundary'): boolean {
  if (nameOrArn.startsWith('arn:')) return parsePolicyArn(nameOrArn).owner === 'aws';
  return kind === 'attachment';
}

/**
 * Whether the config names any AWS managed policy, so that the pipeline
 * loads the catalog (74 MB of JSON) only when it is needed.
 */
export function namesAwsManagedPolicy(files: readonly ValidatedFile[]): boolean {
  return files.some(
    (file) =>
      file.users.some((user) => user.value.permissionsBoundary !== undefined && isAwsManaged(user.value.permissionsBoundary, 'boundary')) ||
      file.roles.some(
        ({ value }) =>
          value.s3ReadOnly === 'all' ||
          (value.permissionsBoundary !== undefined && isAwsManaged(value.permissionsBoundary, 'boundary')) ||
          (value.managedPolicies ?? []).some((policy) => isAwsManaged(policy, 'attachment')),
      ) ||
      file.groups.some(({ value }) => (value.managedPolicies ?? []).some((policy) => isAwsManaged(policy, 'attachment'))),
  );
}
