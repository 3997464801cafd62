import type { SourceRef } from '../diagnostics/diagnostic';
import type { PolicyStatement, Role, User } from '../model/accessModel';

/** A statement of a principal's identity policies, with the policy it belongs to. */
export interface LabelledStatement {
  readonly statement: PolicyStatement;
  /** The inline policy name, or the managed policy ARN. */
  readonly policy: string;
}

/**
 * Everything that decides what a principal may do, as far as rolecall can
 * see: its inline policies, the documents of its AWS managed policies, and
 * its permissions boundary. What it cannot see (customer managed policies
 * given by ARN, a customer managed boundary) is named in `unseen`, so a
 * report never passes off a partial answer as the whole one.
 */
export interface IdentityPolicies {
  readonly statements: readonly LabelledStatement[];
  /** Undefined: no boundary. A document: the boundary every action must also pass. */
  readonly boundary?: { readonly arn: string; readonly statements?: readonly PolicyStatement[] };
  /** Policies that may grant more than `statements` show. */
  readonly unseen: readonly string[];
  readonly source: SourceRef;
}

export function identityPolicies(principal: User | Role): IdentityPolicies {
  const statements: LabelledStatement[] = principal.inlinePolicies.flatMap((policy) =>
    policy.document.statements.map((statement) => ({ statement, policy: policy.name })),
  );
  const unseen: string[] = [];
  for (const attachment of principal.managedPolicies) {
    if (attachment.document) {
      statements.push(...attachment.document.statements.map((statement) => ({ statement, policy: attachment.arn })));
    } else {
      unseen.push(attachment.arn);
    }
  }
  const boundaryArn = principal.permissionsBoundaryArn;
  const boundaryDocument = principal.permissionsBoundaryDocument;
  if (boundaryArn !== undefined && boundaryDocument === undefined) unseen.push(`${boundaryArn} (permissions boundary)`);
  return {
    statements,
    ...(boundaryArn !== undefined
      ? { boundary: { arn: boundaryArn, ...(boundaryDocument ? { statements: boundaryDocument.statements } : {}) } }
      : {}),
    unseen,
    source: principal.source,
  };
}
