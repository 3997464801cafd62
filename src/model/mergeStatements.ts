import type { PolicyStatement, Principals } from './accessModel';
import { renderPolicyDocument } from './renderPolicy';

/** The one field two statements may differ in and still become one. */
export type MergedField = 'principals' | 'resources';

const combine = {
  resources: (earlier, later) => ({ ...earlier, resources: [...(earlier.resources ?? []), ...(later.resources ?? [])] }),
  principals: (earlier, later) => ({ ...earlier, principals: mergePrincipals(earlier.principals ?? {}, later.principals ?? {}) }),
} satisfies Record<MergedField, (earlier: PolicyStatement, later: PolicyStatement) => PolicyStatement>;

/**
 * Statements equal in everything but `field` become one, `field`'s values
 * joined: a trust with one statement per principal type, a caller policy
 * with one statement per set of conditions. Policies stay under IAM's size
 * limits, and nothing widens: statements that differ in anything else
 * (effect, actions, conditions, the other field) are left apart. The first
 * statement of each group keeps its place and its source.
 */
export function mergeStatements(statements: readonly PolicyStatement[], field: MergedField): PolicyStatement[] {
  const merged = new Map<string, PolicyStatement>();
  for (const statement of statements) {
    const key = renderPolicyDocument({ statements: [{ ...statement, [field]: undefined }] });
    const earlier = merged.get(key);
    merged.set(key, earlier ? combine[field](earlier, statement) : statement);
  }
  return [...merged.values()];
}

function mergePrincipals(earlier: Principals, later: Principals): Principals {
  const principals: Record<string, string[]> = {};
  for (const p of [earlier, later]) {
    for (const [type, values] of Object.entries(p)) principals[type] = [...(principals[type] ?? []), ...(values as string[])];
  }
  return principals;
}
