import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-group-policies-exclusive';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamGroupPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-group-policy-attachments-exclusive';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-user-policies-exclusive';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { IamUserPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-user-policy-attachments-exclusive';
import { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { Group, IdentityProvider, Role, User } from '../src/model/accessModel';
import { terraformName } from './logicalId';
import { sortedStrings } from './namedResource';
import { policyIdParts } from './principalPolicies';
import { terraformLiteral } from './terraformLiteral';

/**
 * Adoption (`adopt: true`): Terraform `import` blocks, so the first deploy
 * takes over what already exists in AWS instead of failing on
 * EntityAlreadyExists. Each id is the one the hashicorp/aws provider's
 * "Import" section gives for its resource type.
 *
 * Imported, for an adopted user, group or role: the principal itself (its
 * name), each managed policy attachment (`NAME/ARN`) and the two
 * `_exclusive` resources (the name). Not imported:
 * - the inline policies: rolecall writes its own (`rolecall-permissions`,
 *   ...), which an adopted principal does not have yet, and an import of a
 *   policy that does not exist fails the plan; creating one is a
 *   PutUserPolicy/PutRolePolicy/PutGroupPolicy, which replaces a policy of
 *   the same name, so it never conflicts. The principal's other inline
 *   policies are removed by the imported `_policies_exclusive` on apply.
 * - `aws_iam_group_membership`: the provider has no import for it; its
 *   create is AddUserToGroup per member, which succeeds for a member
 *   already in the group.
 *
 * The resources are found by their address in `scope`; one that is not
 * there (in another stack) is that stack's to adopt.
 */
export function adoptPrincipal(scope: Construct, principal: User | Role | Group): void {
  if (!principal.adopt) return;
  for (const { address, id } of principalImports(principal)) {
    const resource = scope.node.tryFindChild(address);
    if (resource instanceof TerraformResource) resource.importFrom(terraformLiteral(id));
  }
}

/** An identity provider rolecall creates, adopted: imported by its ARN. */
export function adoptProvider(resource: TerraformResource, provider: IdentityProvider): void {
  if (provider.adopt && provider.managed) resource.importFrom(terraformLiteral(provider.arn));
}

/** One import: the resource's address (`TYPE.NAME`) and the provider's import id. */
export interface PrincipalImport {
  readonly address: string;
  readonly id: string;
}

const TYPES = {
  user: { principal: IamUser, attachment: IamUserPolicyAttachment, policies: IamUserPoliciesExclusive, attachments: IamUserPolicyAttachmentsExclusive },
  role: { principal: IamRole, attachment: IamRolePolicyAttachment, policies: IamRolePoliciesExclusive, attachments: IamRolePolicyAttachmentsExclusive },
  group: { principal: IamGroup, attachment: IamGroupPolicyAttachment, policies: IamGroupPoliciesExclusive, attachments: IamGroupPolicyAttachmentsExclusive },
} as const;

/** The imports of an adopted principal, at the addresses addUser/addRole/addGroup give its resources. */
export function principalImports(principal: User | Role | Group): PrincipalImport[] {
  const types = TYPES[principal.kind];
  const own = terraformName(principal.kind, principal.name);
  const at = (type: { readonly tfResourceType: string }, name: string, id: string): PrincipalImport => ({ address: `${type.tfResourceType}.${name}`, id });
  return [
    at(types.principal, own, principal.name),
    ...sortedStrings(principal.managedPolicies.map((m) => m.arn)).map((arn) =>
      at(types.attachment, terraformName(principal.kind, principal.name, ...policyIdParts(arn)), `${principal.name}/${arn}`),
    ),
    at(types.policies, own, principal.name),
    at(types.attachments, own, principal.name),
  ];
}
