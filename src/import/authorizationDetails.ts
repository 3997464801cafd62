/**
 * The JSON of `aws iam get-account-authorization-details`, read as untrusted
 * input: every value is checked for its shape, and a malformed one is an
 * error at its place in the file (file + JSON path), all of them in one run.
 */
import { error, type Diagnostic, type PathSegment } from '../diagnostics/diagnostic';

export type JsonPath = readonly PathSegment[];

/** A policy statement as written (keys as IAM spells them), with its place in the file. */
export interface RawStatement {
  readonly value: Readonly<Record<string, unknown>>;
  readonly path: JsonPath;
}

export interface PolicyDocumentJson {
  readonly statements: readonly RawStatement[];
  readonly path: JsonPath;
}

export interface InlinePolicy {
  readonly name: string;
  readonly document: PolicyDocumentJson;
}

export interface AttachedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: JsonPath;
}

interface Principal {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly inline: readonly InlinePolicy[];
  readonly attached: readonly AttachedPolicy[];
  readonly where: JsonPath;
}

export interface UserDetail extends Principal {
  readonly groups: readonly { readonly name: string; readonly path: JsonPath }[];
  readonly boundaryArn?: string;
  readonly tags: readonly { readonly key: string; readonly value: string; readonly path: JsonPath }[];
}

export type GroupDetail = Principal;

export interface RoleDetail extends Principal {
  readonly trust: PolicyDocumentJson;
  readonly boundaryArn?: string;
  readonly tags: readonly { readonly key: string; readonly value: string; readonly path: JsonPath }[];
  readonly maxSessionDuration?: number;
  readonly description?: string;
}

export interface ManagedPolicyDetail {
  readonly name: string;
  readonly arn: string;
  /** The default version's document; undefined when the file lists no default version. */
  readonly document?: PolicyDocumentJson;
  readonly where: JsonPath;
}

export interface AuthorizationDetails {
  readonly file: string;
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly roles: readonly RoleDetail[];
  readonly policies: readonly ManagedPolicyDetail[];
}

/** How deep a policy document may nest, and how many items a list may hold: IAM's own documents stay far below. */
const MAX_LIST = 100_000;

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  fail(path: JsonPath, message: string): undefined {
    this.diagnostics.push(error('import-input', message, { file: this.file, path }));
    return undefined;
  }

  object(value: unknown, path: JsonPath, what: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail(path, `${what} is a JSON object here, found ${describe(value)}`);
  }

  list(value: unknown, path: JsonPath, what: string): readonly unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.fail(path, `${what} is a JSON list, found ${describe(value)}`) ?? [];
    if (value.length > MAX_LIST) return this.fail(path, `${what} holds ${value.length} items; more than ${MAX_LIST} is no real account`) ?? [];
    return value;
  }

  string(value: unknown, path: JsonPath, what: string): string | undefined {
    if (typeof value === 'string' && value.length > 0) return value;
    return this.fail(path, `${what} is a non-empty string, found ${describe(value)}`);
  }

  optionalString(value: unknown, path: JsonPath, what: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path, what);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : `a ${typeof value}`;
}

/**
 * A policy document: a JSON object (the AWS CLI decodes it), or the
 * URL-encoded JSON string the raw API returns.
 */
function readDocument(reader: Reader, value: unknown, path: JsonPath, what: string): PolicyDocumentJson | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      const text = value.trimStart().startsWith('{') ? value : decodeURIComponent(value.replace(/\+/g, '%20'));
      parsed = JSON.parse(text);
    } catch (e) {
      return reader.fail(path, `${what} is a policy document: a JSON object or URL-encoded JSON text, and this string is neither (${(e as Error).message})`);
    }
  }
  const document = reader.object(parsed, path, what);
  if (!document) return undefined;
  const statement = document['Statement'];
  const items = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  const statements: RawStatement[] = [];
  items.forEach((item, index) => {
    const at = Array.isArray(statement) ? [...path, 'Statement', index] : [...path, 'Statement'];
    const value = reader.object(item, at, 'a policy statement');
    if (value) statements.push({ value, path: at });
  });
  if (statement === undefined) reader.fail([...path, 'Statement'], `${what} has no Statement`);
  return { statements, path };
}

function readInline(reader: Reader, value: unknown, path: JsonPath): InlinePolicy[] {
  return reader.list(value, path, 'an inline policy list').flatMap((item, index) => {
    const at = [...path, index];
    const policy = reader.object(item, at, 'an inline policy');
    if (!policy) return [];
    const name = reader.string(policy['PolicyName'], [...at, 'PolicyName'], 'PolicyName');
    const document = readDocument(reader, policy['PolicyDocument'], [...at, 'PolicyDocument'], 'PolicyDocument');
    return name && document ? [{ name, document }] : [];
  });
}

function readAttached(reader: Reader, value: unknown, path: JsonPath): AttachedPolicy[] {
  return reader.list(value, path, 'AttachedManagedPolicies').flatMap((item, index) => {
    const at = [...path, index];
    const policy = reader.object(item, at, 'an attached managed policy');
    if (!policy) return [];
    const name = reader.string(policy['PolicyName'], [...at, 'PolicyName'], 'PolicyName');
    const arn = reader.string(policy['PolicyArn'], [...at, 'PolicyArn'], 'PolicyArn');
    return name && arn ? [{ name, arn, path: at }] : [];
  });
}

function readTags(reader: Reader, value: unknown, path: JsonPath): UserDetail['tags'] {
  return reader.list(value, path, 'Tags').flatMap((item, index) => {
    const at = [...path, index];
    const tag = reader.object(item, at, 'a tag');
    if (!tag) return [];
    const key = reader.string(tag['Key'], [...at, 'Key'], 'a tag Key');
    const text = typeof tag['Value'] === 'string' ? tag['Value'] : reader.fail([...at, 'Value'], 'a tag Value is a string');
    return key !== undefined && text !== undefined ? [{ key, value: text, path: at }] : [];
  });
}

function boundaryOf(reader: Reader, value: unknown, path: JsonPath): string | undefined {
  if (value === undefined) return undefined;
  const boundary = reader.object(value, path, 'PermissionsBoundary');
  return boundary ? reader.string(boundary['PermissionsBoundaryArn'], [...path, 'PermissionsBoundaryArn'], 'PermissionsBoundaryArn') : undefined;
}

function principalBase(reader: Reader, item: Record<string, unknown>, at: JsonPath, nameKey: string, policiesKey: string) {
  const name = reader.string(item[nameKey], [...at, nameKey], nameKey);
  const iamPath = reader.optionalString(item['Path'], [...at, 'Path'], 'Path') ?? '/';
  const arn = reader.string(item['Arn'], [...at, 'Arn'], 'Arn');
  const inline = readInline(reader, item[policiesKey], [...at, policiesKey]);
  const attached = readAttached(reader, item['AttachedManagedPolicies'], [...at, 'AttachedManagedPolicies']);
  return name && arn ? { name, path: iamPath, arn, inline, attached, where: at } : undefined;
}

function entries(reader: Reader, root: Record<string, unknown>, key: string, read: (item: Record<string, unknown>, at: JsonPath) => unknown) {
  return reader.list(root[key], [key], key).flatMap((item, index) => {
    const value = reader.object(item, [key, index], `an item of ${key}`);
    const read_ = value ? read(value, [key, index]) : undefined;
    return read_ === undefined ? [] : [read_];
  });
}

/** Reads one parsed file; `diagnostics` holds every malformed place (then the details are not to be used). */
export function readAuthorizationDetails(file: string, json: unknown): { details: AuthorizationDetails; diagnostics: Diagnostic[] } {
  const reader = new Reader(file);
  const root = reader.object(json, [], 'the file') ?? {};
  const known = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies', 'IsTruncated', 'Marker'];
  if (json !== undefined && !known.some((key) => key in root)) {
    reader.fail([], 'this is not the output of aws iam get-account-authorization-details: it has none of UserDetailList, GroupDetailList, RoleDetailList, Policies');
  }
  if (root['IsTruncated'] === true) {
    reader.fail(['IsTruncated'], 'the output is truncated (IsTruncated: true): run the command without --max-items, so the AWS CLI pages through every entity, and import the whole file');
  }
  const users = entries(reader, root, 'UserDetailList', (item, at) => {
    const base = principalBase(reader, item, at, 'UserName', 'UserPolicyList');
    const groups = reader.list(item['GroupList'], [...at, 'GroupList'], 'GroupList').flatMap((g, index) => {
      const name = reader.string(g, [...at, 'GroupList', index], 'a group name');
      return name ? [{ name, path: [...at, 'GroupList', index] }] : [];
    });
    const boundaryArn = boundaryOf(reader, item['PermissionsBoundary'], [...at, 'PermissionsBoundary']);
    const tags = readTags(reader, item['Tags'], [...at, 'Tags']);
    return base ? ({ ...base, groups, tags, ...(boundaryArn ? { boundaryArn } : {}) } satisfies UserDetail) : undefined;
  }) as UserDetail[];
  const groups = entries(reader, root, 'GroupDetailList', (item, at) => principalBase(reader, item, at, 'GroupName', 'GroupPolicyList')) as GroupDetail[];
  const roles = entries(reader, root, 'RoleDetailList', (item, at) => {
    const base = principalBase(reader, item, at, 'RoleName', 'RolePolicyList');
    const trust = readDocument(reader, item['AssumeRolePolicyDocument'], [...at, 'AssumeRolePolicyDocument'], 'AssumeRolePolicyDocument');
    const boundaryArn = boundaryOf(reader, item['PermissionsBoundary'], [...at, 'PermissionsBoundary']);
    const tags = readTags(reader, item['Tags'], [...at, 'Tags']);
    const max = item['MaxSessionDuration'];
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200)) {
      reader.fail([...at, 'MaxSessionDuration'], 'MaxSessionDuration is whole seconds from 3600 to 43200');
    }
    const description = reader.optionalString(item['Description'], [...at, 'Description'], 'Description');
    if (!base || !trust) return undefined;
    return {
      ...base,
      trust,
      tags,
      ...(boundaryArn ? { boundaryArn } : {}),
      ...(typeof max === 'number' ? { maxSessionDuration: max } : {}),
      ...(description ? { description } : {}),
    } satisfies RoleDetail;
  }) as RoleDetail[];
  const policies = entries(reader, root, 'Policies', (item, at) => {
    const name = reader.string(item['PolicyName'], [...at, 'PolicyName'], 'PolicyName');
    const arn = reader.string(item['Arn'], [...at, 'Arn'], 'Arn');
    const defaultVersion = item['DefaultVersionId'];
    const versions = reader.list(item['PolicyVersionList'], [...at, 'PolicyVersionList'], 'PolicyVersionList');
    let document: PolicyDocumentJson | undefined;
    versions.forEach((version, index) => {
      const vat = [...at, 'PolicyVersionList', index];
      const v = reader.object(version, vat, 'a policy version');
      if (!v) return;
      if (v['IsDefaultVersion'] === true || (defaultVersion !== undefined && v['VersionId'] === defaultVersion)) {
        document = readDocument(reader, v['Document'], [...vat, 'Document'], 'Document');
      }
    });
    return name && arn ? ({ name, arn, where: at, ...(document ? { document } : {}) } satisfies ManagedPolicyDetail) : undefined;
  }) as ManagedPolicyDetail[];
  return { details: { file, users, groups, roles, policies }, diagnostics: reader.diagnostics };
}
