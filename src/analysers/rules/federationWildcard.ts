import { at, type SourceRef } from '../../diagnostics/diagnostic';
import type { PolicyStatement, User } from '../../model/accessModel';
import type { RuleContext, SecurityFinding, SecurityRule } from './rule';

const broker = (allow: string) =>
  `accounts:\n  - name: main\n    id: "123456789012"\nusers:\n  - name: upload-broker\n    federation:\n      allow:\n${allow}`;

/**
 * A token broker's `federation.allow` with a wildcard action or a resource
 * that is a whole service (`*`, `arn:aws:s3:::*`): broader than a broker's
 * purpose, which is to hand out one narrow thing. The broker's own policy
 * must hold all of it (a federated session gets at most what both allow),
 * so the broker's long-term access keys carry it too.
 */
export const FEDERATION_WILDCARD: SecurityRule = {
  id: 'federation-wildcard',
  severity: 'warning',
  summary: "A token broker's federation.allow with wildcard actions or every resource",
  docs: {
    why:
      "A token broker exists to hand out one narrow thing (upload to one prefix, read one table). rolecall writes federation.allow into the broker's own policy, because a federated session gets at most what the broker holds: `s3:*` or `s3:Get*` there, or a resource of `*`, is held by the broker's long-term access keys and by every session it mints, and actions AWS adds later come with it.",
    fires: broker('        - actions: ["s3:*"]\n          resources: ["arn:aws:s3:::uploads/*"]\n'),
    quiet: broker('        - actions: [s3:PutObject, s3:AbortMultipartUpload]\n          resources: ["arn:aws:s3:::uploads/incoming/*"]\n'),
    fix: 'list the exact actions the sessions need (s3:PutObject, not s3:*), on the bucket prefix or resources they use; the broker can still narrow each session with its session policy.',
  },
  check: ({ model }: RuleContext) => model.users.flatMap((user) => (user.federation?.statements ?? []).flatMap((s) => broad(user, s))),
};

function broad(user: User, statement: PolicyStatement): SecurityFinding[] {
  const actions = statement.actions ?? [];
  const resources = statement.resources ?? [];
  const actionIndex = actions.findIndex((a) => /[*?]/.test(a));
  const resourceIndex = resources.findIndex(everyResourceOfAService);
  // notActions / notResources hand out everything but a few: broader than any wildcard.
  const allBut = statement.notActions ? 'notActions' : statement.notResources ? 'notResources' : undefined;
  if (actionIndex === -1 && resourceIndex === -1 && allBut === undefined) return [];
  const what = [
    ...(statement.notActions ? [`every action but ${statement.notActions.join(', ')}`] : []),
    ...(actionIndex !== -1 ? [`the wildcard action ${actions[actionIndex]}`] : []),
    ...(statement.notResources ? [`every resource but ${statement.notResources.join(', ')}`] : []),
    ...(resourceIndex !== -1 ? [`every resource (${resources[resourceIndex]})`] : []),
  ].join(' and ');
  const source: SourceRef =
    allBut !== undefined
      ? { ...at(statement.source, allBut), at: 'key' }
      : actionIndex !== -1
        ? at(statement.source, 'actions', actionIndex)
        : at(statement.source, 'resources', resourceIndex);
  return [
    {
      rule: FEDERATION_WILDCARD.id,
      severity: FEDERATION_WILDCARD.severity,
      message: `token broker user ${user.account}/${user.name} hands out ${what} in federation.allow, and holds it itself (its access keys carry it too): broader than a broker needs. Fix: list the exact actions its sessions need, on the resources or bucket prefix they use`,
      source,
      subject: { kind: 'user', account: user.account, name: user.name },
    },
  ];
}

/** `*`, or an ARN whose resource part is only a wildcard (`arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:*`). */
function everyResourceOfAService(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  return parts.length >= 6 && /^[*?]*$/.test(parts.slice(5).join(':'));
}
