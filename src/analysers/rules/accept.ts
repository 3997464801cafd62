import { at, error, warning, type Diagnostic } from '../../diagnostics/diagnostic';
import { didYouMean } from '../../diagnostics/suggest';
import type { AccessModel, Acceptance } from '../../model/accessModel';
import { toDiagnostic, type FindingSubject, type SecurityFinding } from './rule';

/** A security finding as the views report it: with the `accept:` that takes it on purpose, if one applies. */
export interface ReportedFinding extends SecurityFinding {
  readonly accepted?: Acceptance;
}

export interface Acceptances {
  readonly findings: readonly ReportedFinding[];
  /** Acceptances of no security rule (errors), expired ones and stale ones (warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

/** `user:account/name`, `role:…`, `group:…`, `provider:…`: the entity an acceptance stands on and a finding is about. */
export function subjectKey(subject: FindingSubject): string {
  return `${subject.kind}:${subject.account}/${subject.name}`;
}

/**
 * Matches each entity's `accept:` items against the findings about it, by
 * rule id. An acceptance applies until it expires (`now` is the clock); one
 * that names no security rule is an error, one that matches no finding is
 * stale, one that has expired gives its findings back.
 */
export function applyAcceptances(model: AccessModel, findings: readonly SecurityFinding[], securityRules: ReadonlySet<string>, now: Date): Acceptances {
  const diagnostics: Diagnostic[] = [];
  const live = new Map<string, { readonly accept: Acceptance; readonly subject: FindingSubject }>();
  for (const { subject, accepts } of holders(model)) {
    for (const accept of accepts) {
      if (!securityRules.has(accept.rule)) {
        diagnostics.push(error('accept-rule', notSecurityRule(accept.rule, securityRules), at(accept.source, 'rule')));
        continue;
      }
      if (accept.expires !== undefined && Date.parse(accept.expires) <= now.getTime()) {
        diagnostics.push(
          warning(
            'expired-accept',
            `this acceptance of ${accept.rule} expired on ${accept.expires}, so its findings count again: fix what it accepted, or renew it with a later expires`,
            at(accept.source, 'expires'),
          ),
        );
        continue;
      }
      // The first live acceptance of a rule applies; a repeat of it matches nothing of its own.
      const key = `${subjectKey(subject)}\u0000${accept.rule}`;
      if (!live.has(key)) live.set(key, { accept, subject });
      else diagnostics.push(stale(accept, subject, `${accept.rule} is already accepted above`));
    }
  }
  const used = new Set<Acceptance>();
  const reported = findings.map((finding): ReportedFinding => {
    const accept = live.get(`${subjectKey(finding.subject)}\u0000${finding.rule}`)?.accept;
    if (!accept) return finding;
    used.add(accept);
    return { ...finding, accepted: accept };
  });
  for (const { accept, subject } of live.values()) {
    if (!used.has(accept)) diagnostics.push(stale(accept, subject, `no ${accept.rule} finding is about this ${subject.kind}`));
  }
  return { findings: reported, diagnostics };
}

function holders(model: AccessModel): { subject: FindingSubject; accepts: readonly Acceptance[] }[] {
  return [...model.users, ...model.roles, ...model.groups, ...model.providers.map((p) => ({ ...p, kind: 'provider' as const }))]
    .filter((entity) => entity.accepts !== undefined)
    .map((entity) => ({ subject: { kind: entity.kind, account: entity.account, name: entity.name }, accepts: entity.accepts! }));
}

function stale(accept: Acceptance, subject: FindingSubject, why: string): Diagnostic {
  return warning('stale-accept', `stale acceptance: ${why}; delete it (${subject.kind} ${subject.account}/${subject.name})`, accept.source);
}

function notSecurityRule(rule: string, securityRules: ReadonlySet<string>): string {
  return `"${rule}" is no security rule: only the security rules of docs/rules.md can be accepted; any other finding is fixed in the config${didYouMean(rule, securityRules)}`;
}

/** An accepted finding is a warning: still reported, with its reason, but it fails neither validate nor synth. */
export function reportedDiagnostic(finding: ReportedFinding): Diagnostic {
  const diagnostic = toDiagnostic(finding);
  const accept = finding.accepted;
  if (!accept) return diagnostic;
  return {
    ...diagnostic,
    severity: 'warning',
    accepted: {
      reason: accept.reason,
      ...(accept.ticket !== undefined ? { ticket: accept.ticket } : {}),
      ...(accept.expires !== undefined ? { expires: accept.expires } : {}),
      source: accept.source,
    },
  };
}
