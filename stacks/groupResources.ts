import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupMembership } from '@cdktf/provider-aws/lib/iam-group-membership';
import { IamGroupPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-group-policies-exclusive';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamGroupPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-group-policy-attachments-exclusive';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import type { Construct } from 'constructs';
import type { Group } from '../src/model/accessModel';
import { adoptPrincipal } from './adoption';
import { terraformName } from './logicalId';
import { addNamedResource, attributeReference } from './namedResource';
import { addPrincipalPolicies } from './principalPolicies';

/**
 * `aws_iam_group.group_NAME`, its one membership (the YAML is the whole
 * membership: `aws_iam_group_membership` removes anyone added by hand), its
 * policies and the two `_exclusive` resources. The members' users must be in
 * the same scope already (add them first): the membership names them by
 * reference, so Terraform creates the users before it.
 */
export function addGroup(scope: Construct, group: Group): IamGroup {
  const iamGroup = addNamedResource(scope, IamGroup, terraformName('group', group.name), {
    name: group.name,
    path: group.path,
  });
  const groupName = attributeReference(iamGroup, 'name');
  addNamedResource(
    scope,
    IamGroupMembership,
    terraformName('group', group.name),
    // The membership's own name in Terraform state; IAM has no such thing.
    { name: `rolecall-${group.name}` },
    { group: groupName, users: group.members.map((member) => attributeReference(memberUser(scope, group, member.name), 'name')) },
  );
  addPrincipalPolicies(group, iamGroup, {
    inlinePolicy: (logicalId, policyName, policyJson) =>
      addNamedResource(scope, IamGroupPolicy, logicalId, { name: policyName, policy: policyJson }, { group: groupName }),
    attachment: (logicalId, policyArn) =>
      addNamedResource(scope, IamGroupPolicyAttachment, logicalId, { policyArn }, { group: groupName }),
    exclusivePolicies: (logicalId, policyNames, dependsOn) =>
      addNamedResource(scope, IamGroupPoliciesExclusive, logicalId, { policyNames }, { groupName }, dependsOn),
    exclusiveAttachments: (logicalId, policyArns, dependsOn) =>
      addNamedResource(scope, IamGroupPolicyAttachmentsExclusive, logicalId, { policyArns }, { groupName }, dependsOn),
  });
  adoptPrincipal(scope, group);
  return iamGroup;
}

/** A member's `aws_iam_user`, found by its address (addNamedResource's construct id). */
function memberUser(scope: Construct, group: Group, name: string): IamUser {
  const user = scope.node.tryFindChild(`${IamUser.tfResourceType}.${terraformName('user', name)}`);
  if (!(user instanceof IamUser)) throw new Error(`model bug: group ${group.account}/${group.name} lists ${name}, whose user is not in this stack`);
  return user;
}
