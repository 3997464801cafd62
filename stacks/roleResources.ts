import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import type { Construct } from 'constructs';
import type { Role } from '../src/model/accessModel';
import { adoptPrincipal } from './adoption';
import { terraformName } from './logicalId';
import { addNamedResource, attributeReference, tagsOrNothing } from './namedResource';
import { addPrincipalPolicies } from './principalPolicies';

/**
 * `aws_iam_role.role_NAME` and its policies; returns the role resource.
 * Never the deprecated `inline_policy` / `managed_policy_arns` arguments:
 * they fight the separate policy resources over the same policies.
 */
export function addRole(scope: Construct, role: Role): IamRole {
  const iamRole = addNamedResource(scope, IamRole, terraformName('role', role.name), {
    name: role.name,
    path: role.path,
    description: role.description,
    maxSessionDuration: role.maxSessionDuration,
    permissionsBoundary: role.permissionsBoundaryArn,
    assumeRolePolicy: role.trustPolicyJson,
    tags: tagsOrNothing(role.tags),
  });
  // A reference rather than the literal name, so Terraform orders each
  // policy after the role it belongs to.
  const roleName = attributeReference(iamRole, 'name');
  addPrincipalPolicies(role, iamRole, {
    inlinePolicy: (logicalId, policyName, policyJson) =>
      addNamedResource(scope, IamRolePolicy, logicalId, { name: policyName, policy: policyJson }, { role: roleName }),
    attachment: (logicalId, policyArn) =>
      addNamedResource(scope, IamRolePolicyAttachment, logicalId, { policyArn }, { role: roleName }),
    exclusivePolicies: (logicalId, policyNames, dependsOn) =>
      addNamedResource(scope, IamRolePoliciesExclusive, logicalId, { policyNames }, { roleName }, dependsOn),
    exclusiveAttachments: (logicalId, policyArns, dependsOn) =>
      addNamedResource(scope, IamRolePolicyAttachmentsExclusive, logicalId, { policyArns }, { roleName }, dependsOn),
  });
  adoptPrincipal(scope, role);
  return iamRole;
}
