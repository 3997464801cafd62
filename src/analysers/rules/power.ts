import type { PolicyStatement } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import { matchActions } from '../../model/actionCatalog';
import type { EffectivePermissions } from '../effective';
import { hasConditions } from '../policyEvaluation';

/**
 * Whether one principal holds full admin: every action on every resource,
 * with no condition, no Deny and no boundary narrowing it.
 */
export function isFullAdmin(e: EffectivePermissions): boolean {
  const statements = e.policies.statements.map((s) => s.statement);
  const everything = (s: PolicyStatement) =>
    s.effect === 'Allow' && !hasConditions(s) && (s.actions ?? []).includes('*') && (s.resources ?? []).includes('*');
  if (!statements.some(everything)) return false;
  if (statements.some((s) => s.effect === 'Deny')) return false;
  const boundary = e.policies.boundary;
  return boundary === undefined || (boundary.statements ?? []).some(everything);
}

/** At most this many actions of one wildcard are compared: enough to tell more from less, bounded work. */
const SAMPLE = 64;

/**
 * Whether `target` may do something `holder` may not: an action on a
 * resource target's own Allow statements name, or anything behind a policy
 * rolecall cannot see. Wildcards are expanded through the catalog; a
 * resource pattern of the target is compared as it is written (the holder's
 * pattern must cover it). Conservative: when in doubt, the target is more
 * powerful, since missing an escalation is worse than a warning too many.
 */
export function morePowerful(target: EffectivePermissions, holder: EffectivePermissions, catalog: ActionCatalog): boolean {
  if (target.key === holder.key) return false;
  if (isFullAdmin(holder)) return false;
  if (target.policies.unseen.length > 0) return true;
  for (const { statement } of target.policies.statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notActions || statement.notResources) return true;
    for (const action of sampleActions(statement.actions ?? [], catalog)) {
      for (const resource of statement.resources ?? []) {
        if (target.decide(action, resource).outcome !== 'allowed') continue;
        if (holder.decide(action, resource).outcome !== 'allowed') return true;
      }
    }
  }
  return false;
}

function sampleActions(patterns: readonly string[], catalog: ActionCatalog): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    if (pattern === '*' || !/[*?]/.test(pattern)) {
      out.push(pattern);
      continue;
    }
    const service = pattern.slice(0, pattern.indexOf(':'));
    const matched = matchActions(catalog, pattern);
    // An unknown or unloaded service: compare the pattern itself.
    if (!matched || matched.length === 0) out.push(pattern);
    else out.push(...matched.slice(0, SAMPLE).map((a) => `${service}:${a.name}`));
  }
  return out;
}
