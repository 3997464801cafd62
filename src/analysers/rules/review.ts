import type { Diagnostic } from '../../diagnostics/diagnostic';
import type { AccessModel } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import { applyAcceptances, reportedDiagnostic, type ReportedFinding } from './accept';
import { securityFindings, SECURITY_RULES } from './index';

export interface SecurityReview {
  /** Every security finding, with the acceptance that applies to it: what access and diff show. */
  readonly findings: readonly ReportedFinding[];
  /** The findings as diagnostics (accepted ones as warnings), and the acceptances' own findings: what validate shows. */
  readonly diagnostics: readonly Diagnostic[];
}

const SECURITY_RULE_IDS: ReadonlySet<string> = new Set(SECURITY_RULES.map((r) => r.id));

/** Whether a diagnostic's rule is a security rule: such findings are what `access` and `diff` show, not a reason to refuse them. */
export function isSecurityRule(rule: string): boolean {
  return SECURITY_RULE_IDS.has(rule);
}

/** The security rules on the model, with `accept:` applied as of `now`. */
export function reviewSecurity(model: AccessModel, catalog: ActionCatalog, now: Date): SecurityReview {
  const accepted = applyAcceptances(model, securityFindings(model, catalog), SECURITY_RULE_IDS, now);
  return { findings: accepted.findings, diagnostics: [...accepted.findings.map(reportedDiagnostic), ...accepted.diagnostics] };
}
