import { at, type Diagnostic } from '../../diagnostics/diagnostic';
import type { RoleConfig } from '../../schema/configSchema';
import type { TrustEntryConfig } from '../../schema/trustSchema';
import type { Grant, PolicyStatement, PrincipalKey } from '../accessModel';
import { mergeStatements } from '../mergeStatements';
import { mergeConditions } from '../permissions';
import { itemSource, type Placed } from '../registry';
import { resolveGuards, type Guards } from './guards';
import { kindOf, ruleOf, targetsOf } from './kinds';
import type { MfaDemand } from './mfaReach';
import { overlapWarnings } from './overlaps';
import type { Directory, TrustContext, TrustTarget } from './target';

export type { Directory } from './target';
export { unsatisfiableMfa } from './mfaReach';

export interface RoleTrust {
  readonly grants: Grant[];
  readonly statements: PolicyStatement[];
  readonly createAfter: PrincipalKey[];
  /** Other managed accounts whose principals this role's trust names. */
  readonly dependsOnAccounts: string[];
  readonly mfaDemands: MfaDemand[];
}

interface EntryGrant {
  readonly grant: Grant;
  readonly statement: PolicyStatement;
  readonly target: TrustTarget;
}

/** Resolves one role's trust entries into grants and trust statements. */
export function resolveTrust(role: Placed<RoleConfig>, roleArn: string, directory: Directory, now: Date, diagnostics: Diagnostic[]): RoleTrust {
  const report = (diagnostic: Diagnostic) => diagnostics.push(diagnostic);
  const resolved = role.value.trust.flatMap((entry, index) => {
    const context: TrustContext = { role, directory, source: itemSource(role, 'trust', index), report };
    const kinded = kindOf(entry);
    if (!kinded) return [];
    const guards = resolveGuards(entry, ruleOf(kinded.kind).refuses, now, context);
    if (!guards) return [];
    return targetsOf(kinded, context).map((target) => ({ ...guarded(target, guards, entry, role, roleArn), context }));
  });
  const grants = resolved.map((r) => r.grant);
  diagnostics.push(...overlapWarnings(grants));
  return {
    grants,
    statements: mergeStatements(resolved.map((r) => r.statement), 'principals'),
    createAfter: resolved.flatMap((r) => r.target.createAfter),
    dependsOnAccounts: resolved.flatMap((r) => r.target.dependsOnAccounts),
    mfaDemands: resolved
      .filter((r) => r.grant.grantee.kind === 'role' && r.grant.conditions.mfa !== undefined)
      .map((r) => ({ grant: r.grant, source: at(r.context.source, 'mfa') })),
  };
}

/** One target with its entry's guards: the grant (for the report and the caller side) and its trust statement. */
function guarded(target: TrustTarget, guards: Guards, entry: TrustEntryConfig, role: Placed<RoleConfig>, roleArn: string): EntryGrant {
  const actions = [target.action, ...(entry.tagSession ? ['sts:TagSession'] : [])];
  const conditionBlock = mergeConditions(guards.shared, target.conditions);
  const grant: Grant = {
    role: { account: role.account.name, name: role.value.name, arn: roleArn },
    trustKind: target.kind,
    grantee: target.grantee,
    actions,
    conditions: { ...guards.conditions, ...(target.externalId ? { externalId: target.externalId } : {}) },
    conditionBlock,
    notes: {
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      ...(entry.ticket !== undefined ? { ticket: entry.ticket } : {}),
      ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
    },
    writesCallerPolicy: target.grantee.kind === 'user' || target.grantee.kind === 'role',
    ...(target.group ? { group: target.group } : {}),
    callerConditionBlock: guards.shared,
    source: target.source,
  };
  const statement: PolicyStatement = {
    effect: 'Allow',
    actions,
    principals: { [target.principal.type]: [target.principal.value] },
    conditions: conditionBlock,
    source: target.source,
  };
  return { grant, statement, target };
}
