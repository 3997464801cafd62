import type { Diagnostic } from '../../diagnostics/diagnostic';
import type { AccessModel } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import { effectivePermissions } from '../effective';
import { FULL_ADMIN, SERVICE_ADMIN } from './admin';
import { ESCALATION_RULES } from './escalation';
import { externalEscalation } from './externalEscalation';
import { FEDERATION_WILDCARD } from './federationWildcard';
import { attributeToGroups } from './groupFindings';
import { ALLOW_NOT_ACTION, ALLOW_NOT_RESOURCE } from './notAction';
import { ACTION_RESOURCE_MISMATCH } from './resourceMismatch';
import { mfaBypass } from './mfaBypass';
import { toDiagnostic, type SecurityFinding, type SecurityRule } from './rule';
import { TRUST_GUARD_RULES } from './trustGuards';

/** Every security rule, in the order docs/rules.md lists them. */
export const SECURITY_RULES: readonly SecurityRule[] = [
  ...ESCALATION_RULES,
  FULL_ADMIN,
  SERVICE_ADMIN,
  ALLOW_NOT_ACTION,
  ALLOW_NOT_RESOURCE,
  FEDERATION_WILDCARD,
  ACTION_RESOURCE_MISMATCH,
  ...TRUST_GUARD_RULES,
  externalEscalation,
  mfaBypass,
];

/** The findings of every security rule on the model, sorted by place then rule. */
export function securityFindings(model: AccessModel, catalog: ActionCatalog): SecurityFinding[] {
  const context = { model, catalog, effective: effectivePermissions(model) };
  return attributeToGroups(SECURITY_RULES.flatMap((rule) => rule.check(context)), model);
}

export function securityDiagnostics(model: AccessModel, catalog: ActionCatalog): Diagnostic[] {
  return securityFindings(model, catalog).map(toDiagnostic);
}
