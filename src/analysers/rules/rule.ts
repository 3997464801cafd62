import type { Diagnostic, SourceRef } from '../../diagnostics/diagnostic';
import type { AccessModel } from '../../model/accessModel';
import type { ActionCatalog } from '../../model/actionCatalog';
import type { EffectiveIndex } from '../effective';

/**
 * A security rule: a stable id, a severity, and a check over the access
 * model that returns its findings. Rules read the model and the effective
 * permissions only; they never change them.
 */
export interface SecurityRule {
  /** Stable kebab-case id, documented in docs/rules.md; the id `accept:` names. */
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** One line for docs and listings. */
  readonly summary: string;
  /** docs/rules.md is written from this; the tests run both examples through the pipeline. */
  readonly docs: RuleDocs;
  check(context: RuleContext): readonly SecurityFinding[];
}

export interface RuleDocs {
  /** Why it matters: what the holder could do. */
  readonly why: string;
  /** A whole config (YAML text of one file) on which the rule fires. */
  readonly fires: string;
  /** A close config on which it stays quiet. */
  readonly quiet: string;
  /** How to fix it, or accept it when it is on purpose. */
  readonly fix: string;
}

export interface RuleContext {
  readonly model: AccessModel;
  readonly catalog: ActionCatalog;
  readonly effective: EffectiveIndex;
}

/** The entity a finding is about: where an `accept:` for it may stand. */
export interface FindingSubject {
  readonly kind: 'user' | 'role' | 'group' | 'provider';
  readonly account: string;
  readonly name: string;
}

export interface SecurityFinding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** What the holder could do, and how to fix it. */
  readonly message: string;
  /** The YAML that opens the risk (a statement, a managed policy item, a trust entry). */
  readonly source: SourceRef;
  readonly subject: FindingSubject;
  readonly related?: SourceRef;
}

export function toDiagnostic(finding: SecurityFinding): Diagnostic {
  return {
    severity: finding.severity,
    rule: finding.rule,
    message: finding.message,
    source: finding.source,
    ...(finding.related ? { related: finding.related } : {}),
  };
}
