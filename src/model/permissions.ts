import { at, error, type Diagnostic, type SourceRef } from '../diagnostics/diagnostic';
import { closest } from '../diagnostics/suggest';
import type { PolicyStatementConfig } from '../schema/configSchema';
import type { ConditionBlock, PolicyStatement } from './accessModel';
import { matchActions, type ActionCatalog } from './actionCatalog';

/**
 * An action as it will be emitted: exact names in AWS's spelling, wildcards
 * as written with the service in lower case. Undefined (with a finding) when
 * it names no real action.
 */
export function resolveAction(
  action: string,
  catalog: ActionCatalog,
  source: SourceRef,
  diagnostics: Diagnostic[],
): string | undefined {
  if (action === '*') return action;
  const colon = action.indexOf(':');
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  if (!catalog.services.has(service)) {
    const suggestion = closest(service, catalog.services);
    diagnostics.push(
      error(
        'unknown-action',
        `"${action}": AWS has no service "${service}"${suggestion ? `; did you mean "${suggestion}:${name}"?` : ''}`,
        source,
      ),
    );
    return undefined;
  }
  const matches = matchActions(catalog, action) ?? [];
  if (matches.length === 0) {
    const names = (catalog.actions(service) ?? []).map((a) => a.name);
    const suggestion = /[*?]/.test(name) ? undefined : closest(name, names, 3);
    diagnostics.push(
      error(
        'unknown-action',
        `"${action}" matches no ${service} action${suggestion ? `; did you mean "${service}:${suggestion}"?` : ''}`,
        source,
      ),
    );
    return undefined;
  }
  return /[*?]/.test(name) ? `${service}:${name}` : `${service}:${matches[0]!.name}`;
}

/** The `allow:`/`deny:` lists of a user, role or federation block, as policy statements. */
export function resolveStatements(
  statements: readonly PolicyStatementConfig[] | undefined,
  effect: 'Allow' | 'Deny',
  itemRef: (index: number) => SourceRef,
  catalog: ActionCatalog,
  diagnostics: Diagnostic[],
): PolicyStatement[] {
  return (statements ?? []).map((statement, index) => {
    const source = itemRef(index);
    // The schema admits exactly one of actions / notActions and of resources / notResources.
    const actionKey = statement.notActions !== undefined ? 'notActions' : 'actions';
    const actions = (statement[actionKey] ?? [])
      .map((action, j) => resolveAction(action, catalog, at(source, actionKey, j), diagnostics))
      .filter((a): a is string => a !== undefined);
    const resolved: PolicyStatement = {
      effect,
      [actionKey]: actions,
      ...(statement.notResources !== undefined ? { notResources: statement.notResources } : { resources: statement.resources ?? [] }),
      source,
      ...(statement.conditions ? { conditions: normaliseConditions(statement.conditions) } : {}),
    };
    return resolved;
  });
}

type RawConditionValue = string | number | boolean;

/** IAM compares condition values as strings; lists are the canonical form. */
export function normaliseConditions(raw: Record<string, Record<string, RawConditionValue | RawConditionValue[]>>): ConditionBlock {
  const block: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(raw)) {
    const out: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(keys)) {
      out[key] = (Array.isArray(value) ? value : [value]).map(String);
    }
    block[operator] = out;
  }
  return block;
}

/**
 * Merges condition blocks whose operator-and-key pairs differ (they AND).
 * The same pair in two blocks would OR its values, widening the grant: that
 * is a bug in the caller, never a config mistake.
 */
export function mergeConditions(...blocks: ConditionBlock[]): ConditionBlock {
  const merged: Record<string, Record<string, string[]>> = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block)) {
      const target = (merged[operator] ??= {});
      for (const [key, values] of Object.entries(keys)) {
        if (target[key] !== undefined) throw new Error(`mergeConditions: ${operator} ${key} given twice`);
        target[key] = [...values];
      }
    }
  }
  return merged;
}
