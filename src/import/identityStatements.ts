/**
 * Identity-policy statements (inline, or a customer managed policy's default
 * version) → the format's allow/deny statements. Sid is dropped (rolecall
 * writes its own); anything else that cannot be written is a finding.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic';
import type { RawStatement } from './authorizationDetails';

export interface StatementConfig {
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions?: Record<string, Record<string, unknown>>;
}

export interface MappedStatements {
  readonly allow: StatementConfig[];
  readonly deny: StatementConfig[];
  readonly diagnostics: Diagnostic[];
}

const strings = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') ? [...value] : undefined;

export function notExpressible(file: string, path: RawStatement['path'], message: string): Diagnostic {
  return warning('import-not-expressible', message, { file, path });
}

/** One statement, or undefined with the finding that says why it was left out. */
function mapStatement(file: string, statement: RawStatement, diagnostics: Diagnostic[]): { effect: 'allow' | 'deny'; statement: StatementConfig } | undefined {
  const s = statement.value;
  const leftOut = (why: string) => {
    diagnostics.push(notExpressible(file, statement.path, `statement left out: ${why}`));
    return undefined;
  };
  const effect = s['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return leftOut(`Effect is ${JSON.stringify(effect)}, neither "Allow" nor "Deny"`);
  if ('Principal' in s || 'NotPrincipal' in s) return leftOut('an identity policy statement names no Principal (IAM ignores such a statement here)');
  const out: StatementConfig = {};
  for (const [key, field] of [['Action', 'actions'], ['NotAction', 'notActions'], ['Resource', 'resources'], ['NotResource', 'notResources']] as const) {
    if (!(key in s)) continue;
    const values = strings(s[key]);
    if (!values) return leftOut(`${key} is a string or a non-empty list of strings`);
    out[field] = values;
  }
  if (!out.actions && !out.notActions) return leftOut('it has neither Action nor NotAction');
  if (!out.resources && !out.notResources) return leftOut('it has neither Resource nor NotResource');
  if ('Condition' in s) {
    const condition = s['Condition'];
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return leftOut('Condition is an object of operators');
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
      if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return leftOut(`Condition ${operator} is an object of condition keys`);
      conditions[operator] = { ...(keys as Record<string, unknown>) };
    }
    if (Object.keys(conditions).length > 0) out.conditions = conditions;
  }
  return { effect: effect === 'Allow' ? 'allow' : 'deny', statement: out };
}

export function mapStatements(file: string, statements: readonly RawStatement[]): MappedStatements {
  const diagnostics: Diagnostic[] = [];
  const allow: StatementConfig[] = [];
  const deny: StatementConfig[] = [];
  for (const statement of statements) {
    const mapped = mapStatement(file, statement, diagnostics);
    if (mapped) (mapped.effect === 'allow' ? allow : deny).push(mapped.statement);
  }
  return { allow, deny, diagnostics };
}
