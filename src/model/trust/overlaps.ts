import type { Diagnostic } from '../../diagnostics/diagnostic';
import type { ConditionBlock, Grant } from '../accessModel';
import { renderConditions } from '../renderPolicy';

/**
 * The same principal in two entries of one trust: IAM ORs the statements, so
 * the looser entry wins and the stricter one's conditions do nothing.
 */
export function overlapWarnings(grants: readonly Grant[]): Diagnostic[] {
  const seen = new Map<string, Grant>();
  const warnings: Diagnostic[] = [];
  for (const grant of grants) {
    const key = JSON.stringify(grant.grantee);
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, grant);
      continue;
    }
    const same = canonical(earlier.conditionBlock) === canonical(grant.conditionBlock);
    warnings.push({
      severity: 'warning',
      rule: 'overlapping-trust',
      message: same
        ? 'this principal is already trusted by another entry of this role with the same conditions: remove one'
        : 'this principal is already trusted by another entry of this role with other conditions; IAM allows whichever entry is looser, so the stricter conditions do nothing: merge the two entries',
      source: grant.source,
      related: earlier.source,
    });
  }
  return warnings;
}

function canonical(block: ConditionBlock): string {
  return JSON.stringify(renderConditions(block));
}
