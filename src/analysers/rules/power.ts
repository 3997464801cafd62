import type { PolicyStatement } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import { matchActions } from '../../model/actionCatalog';
import type { EffectivePermissions } from '../effective';
import type { LabelledStatement } from '../identityPolicies';
import { hasConditions } from '../policyEvaluation';

/**
 * Whether one principal holds full admin: every action on every resource
 * (`*` on `*`), with no Deny that always applies and a boundary, if any,
 * that lets everything through. Conditions on the grant (or on a Deny, such
 * as requireMfa's) only say when: the holder is admin whenever they hold.
 */
export function isFullAdmin(e: EffectivePermissions): boolean {
  return fullAdminGrant(e) !== undefined;
}

/** The statement that makes a principal full admin, if it is one (the first, inline before managed). */
export function fullAdminGrant(e: EffectivePermissions): LabelledStatement | undefined {
  const everything = (s: PolicyStatement) => s.effect === 'Allow' && (s.actions ?? []).includes('*') && (s.resources ?? []).includes('*');
  const grant = e.policies.statements.find((s) => everything(s.statement));
  if (grant === undefined) return undefined;
  if (e.policies.statements.some((s) => s.statement.effect === 'Deny' && !hasConditions(s.statement))) return undefined;
  const boundary = e.policies.boundary;
  return boundary === undefined || (boundary.statements ?? []).some(everything) ? grant : undefined;
}

/**
 * `*` on `*` behind a permissions boundary rolecall cannot read (a customer
 * managed policy): admin unless that boundary narrows it. Reported once as
 * such, rather than as every escalation path an admin trivially holds.
 */
export function adminBehindUnseenBoundary(e: EffectivePermissions): { readonly grant: LabelledStatement; readonly boundary: string } | undefined {
  const boundary = e.policies.boundary;
  if (boundary === undefined || boundary.statements !== undefined) return undefined;
  const grant = e.policies.statements.find(
    (s) => s.statement.effect === 'Allow' && (s.statement.actions ?? []).includes('*') && (s.statement.resources ?? []).includes('*'),
  );
  if (grant === undefined || e.policies.statements.some((s) => s.statement.effect === 'Deny' && !hasConditions(s.statement))) return undefined;
  return { grant, boundary: boundary.arn };
}

/** At most this many actions of one wildcard are compared: enough to tell more from less, bounded work. */
const SAMPLE = 256;

/**
 * Whether `target` holds something dangerous that `holder` does not: an
 * action of the "Permissions management" access level (it changes who may
 * do what), a whole service (`svc:*` or `*`) on every resource, an Allow
 * with NotAction or NotResource, or a policy rolecall cannot see. Passing or
 * taking over a role that can only write logs is no escalation; one that can
 * rewrite IAM is. Wildcards are expanded through the catalog; a resource
 * pattern of the target is compared as written (the holder's must cover it).
 */
export function morePowerful(target: EffectivePermissions, holder: EffectivePermissions, catalog: ActionCatalog): boolean {
  const key = `${target.key}|${holder.key}`;
  const known = comparisons.get(target)?.get(key);
  if (known !== undefined) return known;
  const answer = compare(target, holder, catalog);
  const byTarget = comparisons.get(target) ?? new Map<string, boolean>();
  byTarget.set(key, answer);
  comparisons.set(target, byTarget);
  return answer;
}

/** Answers per pair, kept as long as the target's effective permissions live (one model). */
const comparisons = new WeakMap<EffectivePermissions, Map<string, boolean>>();

function compare(target: EffectivePermissions, holder: EffectivePermissions, catalog: ActionCatalog): boolean {
  if (target.key === holder.key) return false;
  if (isFullAdmin(holder)) return false;
  if (target.policies.unseen.length > 0) return true;
  for (const { statement } of target.policies.statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notActions || statement.notResources) return true;
    const resources = statement.resources ?? [];
    for (const pattern of statement.actions ?? []) {
      const wholeService = pattern === '*' || /^[^:]+:\*$/.test(pattern);
      for (const action of dangerousActions(pattern, catalog, wholeService && resources.includes('*'))) {
        for (const resource of resources) {
          if (target.decide(action, resource).outcome !== 'allowed') continue;
          if (holder.decide(action, resource).outcome !== 'allowed') return true;
        }
      }
    }
  }
  return false;
}

const dangerousByCatalog = new WeakMap<ActionCatalog, Map<string, string[]>>();

/** The actions of a pattern that count as dangerous: Permissions management ones, or all of a whole service on `*`. */
function dangerousActions(pattern: string, catalog: ActionCatalog, wholeServiceOnEverything: boolean): string[] {
  if (wholeServiceOnEverything) return [pattern];
  if (pattern === '*') return [pattern];
  const cache = dangerousByCatalog.get(catalog) ?? new Map<string, string[]>();
  dangerousByCatalog.set(catalog, cache);
  const known = cache.get(pattern);
  if (known) return known;
  const found = permissionsManagement(pattern, catalog);
  cache.set(pattern, found);
  return found;
}

function permissionsManagement(pattern: string, catalog: ActionCatalog): string[] {
  const service = pattern.slice(0, pattern.indexOf(':'));
  const matched = matchActions(catalog, pattern) ?? [];
  return matched
    .filter((a) => a.accessLevels.includes('Permissions management'))
    .slice(0, SAMPLE)
    .map((a) => `${service}:${a.name}`);
}
