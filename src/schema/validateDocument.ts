import type * as z from 'zod';
import { at, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import type { ConfigDocument } from '../source/sourceFile';
import {
  accountSchema,
  configFileSchema,
  groupSchema,
  providerSchema,
  roleSchema,
  userSchema,
  type AccountConfig,
  type GroupConfig,
  type ProviderConfig,
  type RoleConfig,
  type UserConfig,
} from './configSchema';
import { expectSchema, type ExpectConfig } from './expectSchema';
import { issuesToDiagnostics } from './issues';
import { stateSchema, type StateConfig } from './stateSchema';

/** A validated entry and where it came from. */
export interface Entry<T> {
  readonly value: T;
  readonly source: SourceRef;
  /**
   * Set when broken list items were left out (see salvage): for each list,
   * the YAML index of every item kept, so findings still point at the right item.
   */
  readonly kept?: Readonly<Record<string, readonly number[]>>;
}

/** The name (and account, if any) of an entry that failed validation: references to it are not reported again. */
export interface BrokenEntry {
  readonly name: string;
  readonly account?: string;
  readonly source: SourceRef;
}

export interface ValidatedFile {
  readonly file: string;
  readonly absolutePath: string;
  readonly accounts: Entry<AccountConfig>[];
  readonly providers: Entry<ProviderConfig>[];
  readonly users: Entry<UserConfig>[];
  readonly roles: Entry<RoleConfig>[];
  readonly groups: Entry<GroupConfig>[];
  /** `state:`, when this file declares it (and it is valid, perhaps without unknown keys). */
  readonly state?: Entry<StateConfig>;
  /** `expect:` entries; a broken one is left out (its findings already fail validate). */
  readonly expect: Entry<ExpectConfig>[];
  readonly broken: {
    readonly accounts: BrokenEntry[];
    readonly providers: BrokenEntry[];
    readonly users: BrokenEntry[];
    readonly roles: BrokenEntry[];
    readonly groups: BrokenEntry[];
    readonly expect: BrokenEntry[];
  };
}

const sections = {
  accounts: accountSchema,
  providers: providerSchema,
  users: userSchema,
  roles: roleSchema,
  groups: groupSchema,
  expect: expectSchema,
} as const;

type Section = keyof typeof sections;

/**
 * Validates one file. Each list item is checked on its own, so that one
 * broken role neither hides the findings of the next nor drops the valid
 * entries that later stages check references against.
 */
export function validateDocument(document: ConfigDocument): { file: ValidatedFile; diagnostics: Diagnostic[] } {
  const base: SourceRef = { file: document.file, path: [] };
  const file: ValidatedFile = {
    file: document.file,
    absolutePath: document.absolutePath,
    accounts: [],
    providers: [],
    users: [],
    roles: [],
    groups: [],
    expect: [],
    broken: { accounts: [], providers: [], users: [], roles: [], groups: [], expect: [] },
  };
  const diagnostics: Diagnostic[] = [];
  if (document.value === null || document.value === undefined) return { file, diagnostics };

  const top = configFileSchema.safeParse(document.value, { reportInput: true });
  if (typeof document.value !== 'object' || Array.isArray(document.value)) {
    diagnostics.push({
      severity: 'error',
      rule: 'invalid-type',
      message: 'a config file is a mapping with any of the keys accounts, providers, users, roles, groups',
      source: base,
    });
    return { file, diagnostics };
  }
  if (!top.success) diagnostics.push(...issuesToDiagnostics(top.error.issues, base, document));
  const value = document.value as Record<string, unknown>;
  for (const section of Object.keys(sections) as Section[]) {
    const items = value[section];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      const source = at(base, section, index);
      const schema = sections[section] as z.ZodType;
      const result = schema.safeParse(item, { reportInput: true });
      if (result.success) {
        (file[section] as Entry<unknown>[]).push({ value: result.data, source });
        return;
      }
      diagnostics.push(...issuesToDiagnostics(result.error.issues, source, document));
      // An entry wrong only in unknown keys or in some of its list items is
      // still read without them, so that the rest of it (its references, its
      // actions) is checked in this same run. The findings above already
      // stop synth.
      const salvaged = salvage(item, result.error.issues);
      const retry = salvaged === undefined ? undefined : schema.safeParse(salvaged.value);
      if (retry?.success) {
        (file[section] as Entry<unknown>[]).push({ value: retry.data, source, kept: salvaged!.kept });
      } else {
        const broken = brokenEntry(item, source);
        if (broken) file.broken[section].push(broken);
      }
    });
  }
  if (Object.prototype.hasOwnProperty.call(value, 'state')) {
    const state = validateState(value['state'], at(base, 'state'), document);
    diagnostics.push(...state.diagnostics);
    if (state.entry) return { file: { ...file, state: state.entry }, diagnostics: dedupe(diagnostics) };
  }
  return { file, diagnostics: dedupe(diagnostics) };
}

/** `state:` is one mapping, not a list: validated whole; wrong only by unknown keys, it is still read without them. */
function validateState(item: unknown, source: SourceRef, document: ConfigDocument): { entry?: Entry<StateConfig>; diagnostics: Diagnostic[] } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    const message = 'state is one mapping: state: { s3: { bucket, region, key } } or state: { cloud: { organization, workspace } }';
    return { diagnostics: [{ severity: 'error', rule: 'invalid-type', message, source }] };
  }
  const result = stateSchema.safeParse(item, { reportInput: true });
  if (result.success) return { entry: { value: result.data, source }, diagnostics: [] };
  const diagnostics = issuesToDiagnostics(result.error.issues, source, document);
  const salvaged = salvage(item, result.error.issues);
  const retry = salvaged === undefined ? undefined : stateSchema.safeParse(salvaged.value);
  return retry?.success ? { entry: { value: retry.data, source }, diagnostics } : { diagnostics };
}

/** Lists whose items stand alone: a broken item can be left out and the rest still checked. */
const SEPARABLE_LISTS = new Set(['trust', 'allow', 'deny', 'managedPolicies', 'accept', 'members']);

function salvage(item: unknown, issues: readonly z.core.$ZodIssue[]): { value: unknown; kept: Record<string, number[]> } | undefined {
  const copy: unknown = structuredClone(item);
  const dropped = new Map<string, Set<number>>();
  for (const issue of issues) {
    const [list, index] = issue.path;
    if (typeof list === 'string' && SEPARABLE_LISTS.has(list) && typeof index === 'number') {
      dropped.set(list, (dropped.get(list) ?? new Set()).add(index));
      continue;
    }
    if (issue.code !== 'unrecognized_keys') return undefined;
    let node: unknown = copy;
    for (const segment of issue.path) node = (node as Record<PropertyKey, unknown>)[segment as string | number];
    if (typeof node !== 'object' || node === null) return undefined;
    for (const key of issue.keys) delete (node as Record<string, unknown>)[key];
  }
  const kept: Record<string, number[]> = {};
  for (const [list, indexes] of dropped) {
    const items = (copy as Record<string, unknown>)[list];
    if (!Array.isArray(items)) return undefined;
    kept[list] = items.map((_, i) => i).filter((i) => !indexes.has(i));
    (copy as Record<string, unknown>)[list] = items.filter((_, i) => !indexes.has(i));
  }
  return { value: copy, kept };
}

function brokenEntry(item: unknown, source: SourceRef): BrokenEntry | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { name, account } = item as { name?: unknown; account?: unknown };
  if (typeof name !== 'string') return undefined;
  return typeof account === 'string' ? { name, account, source } : { name, source };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.rule}|${JSON.stringify(d.source)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
