import type { ConditionBlock, PolicyDocument, PolicyStatement, Principals } from './accessModel';

/**
 * Canonical IAM JSON: minified (IAM counts size without white space), keys
 * in a fixed order, every list sorted and de-duplicated, statements sorted.
 * The same document always renders to the same bytes.
 */
export function renderPolicyDocument(document: PolicyDocument): string {
  const statements = document.statements.map(renderStatement).sort(compareStatements);
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => s.value) });
}

/**
 * The document in its canonical form as data: lists sorted and de-duplicated,
 * statements in the order they render. The model keeps only canonical
 * documents, so analysers see the same data whatever order the YAML had.
 */
export function canonicalDocument(document: PolicyDocument): PolicyDocument {
  const statements = document.statements.map((statement): PolicyStatement => {
    const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { ...statement };
    if (statement.actions) out.actions = sortedUnique(statement.actions);
    if (statement.notActions) out.notActions = sortedUnique(statement.notActions);
    if (statement.resources) out.resources = sortedUnique(statement.resources);
    if (statement.notResources) out.notResources = sortedUnique(statement.notResources);
    if (statement.principals) out.principals = renderPrincipals(statement.principals);
    if (statement.conditions) out.conditions = renderConditions(statement.conditions);
    return out;
  });
  const keyed = statements.map((statement) => ({ statement, rendered: renderStatement(statement) }));
  keyed.sort((a, b) => compareStatements(a.rendered, b.rendered));
  return { statements: keyed.map((k) => k.statement) };
}

interface RenderedStatement {
  readonly value: Record<string, unknown>;
  readonly key: string;
}

function renderStatement(statement: PolicyStatement): RenderedStatement {
  const value: Record<string, unknown> = {};
  if (statement.sid !== undefined) value['Sid'] = statement.sid;
  value['Effect'] = statement.effect;
  if (statement.principals) value['Principal'] = renderPrincipals(statement.principals);
  if (statement.actions) value['Action'] = sortedUnique(statement.actions);
  if (statement.notActions) value['NotAction'] = sortedUnique(statement.notActions);
  if (statement.resources) value['Resource'] = sortedUnique(statement.resources);
  if (statement.notResources) value['NotResource'] = sortedUnique(statement.notResources);
  if (statement.conditions && Object.keys(statement.conditions).length > 0) {
    value['Condition'] = renderConditions(statement.conditions);
  }
  return { value, key: JSON.stringify(value) };
}

function renderPrincipals(principals: Principals): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of ['AWS', 'Federated', 'Service'] as const) {
    const values = principals[key];
    if (values && values.length > 0) out[key] = sortedUnique(values);
  }
  return out;
}

export function renderConditions(conditions: ConditionBlock): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(conditions).sort()) {
    const keys = conditions[operator]!;
    const rendered: Record<string, string[]> = {};
    for (const key of Object.keys(keys).sort()) rendered[key] = sortedUnique(keys[key]!);
    out[operator] = rendered;
  }
  return out;
}

function compareStatements(a: RenderedStatement, b: RenderedStatement): number {
  // Allow before Deny reads naturally; then by content.
  if (a.value['Effect'] !== b.value['Effect']) return a.value['Effect'] === 'Allow' ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** IAM's size: characters without white space outside strings; minified JSON is that. */
export function policySize(json: string): number {
  return json.length;
}
