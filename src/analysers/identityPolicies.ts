import type { SourceRef } from '../diagnostics/diagnostic';
import type { AccessModel, Group, PolicyStatement, Role, User } from '../model/accessModel';

/** A statement of a principal's identity policies, with the policy it belongs to. */
export interface LabelledStatement {
  readonly statement: PolicyStatement;
  /** The inline policy name, or the managed policy ARN. */
  readonly policy: string;
  /** `account/name` of the group the policy is attached to, when it reaches a user through one of its groups. */
  readonly group?: string;
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

export function identityPolicies(principal: User | Role, groups: readonly Group[] = []): IdentityPolicies {
  const statements: LabelledStatement[] = [];
  const unseen: string[] = [];
  // A user's groups' policies are its own as far as IAM is concerned (a group's boundary does not exist).
  for (const holder of [principal, ...groups]) {
    const group = holder.kind === 'group' ? { group: `${holder.account}/${holder.name}` } : {};
    for (const policy of holder.inlinePolicies) statements.push(...policy.document.statements.map((statement) => ({ statement, policy: policy.name, ...group })));
    for (const attachment of holder.managedPolicies) {
      if (attachment.document) {
        statements.push(...attachment.document.statements.map((statement) => ({ statement, policy: attachment.arn, ...group })));
      } else {
        unseen.push(holder.kind === 'group' ? `${attachment.arn} (through group ${group.group})` : attachment.arn);
      }
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

/** The groups of each user of the model (none for a role): what identityPolicies adds to a user's own. */
export function groupsOf(model: AccessModel): (principal: User | Role) => readonly Group[] {
  const byKey = new Map(model.groups.map((g) => [`${g.account}/${g.name}`, g]));
  return (principal) =>
    principal.kind === 'user' ? principal.groups.map((name) => byKey.get(`${principal.account}/${name}`)).filter((g): g is Group => g !== undefined) : [];
}
