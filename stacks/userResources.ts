import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-user-policies-exclusive';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { IamUserPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-user-policy-attachments-exclusive';
import type { Construct } from 'constructs';
import type { User } from '../src/model/accessModel';
import { adoptPrincipal } from './adoption';
import { terraformName } from './logicalId';
import { addNamedResource, attributeReference, tagsOrNothing } from './namedResource';
import { addPrincipalPolicies } from './principalPolicies';

/** `aws_iam_user.user_NAME` and its policies; returns the user resource. */
export function addUser(scope: Construct, user: User): IamUser {
  const iamUser = addNamedResource(scope, IamUser, terraformName('user', user.name), {
    name: user.name,
    path: user.path,
    permissionsBoundary: user.permissionsBoundaryArn,
    tags: tagsOrNothing(user.tags),
  });
  // A reference rather than the literal name, so Terraform orders each
  // policy after the user it belongs to.
  const userName = attributeReference(iamUser, 'name');
  addPrincipalPolicies(user, iamUser, {
    inlinePolicy: (logicalId, policyName, policyJson) =>
      addNamedResource(scope, IamUserPolicy, logicalId, { name: policyName, policy: policyJson }, { user: userName }),
    attachment: (logicalId, policyArn) =>
      addNamedResource(scope, IamUserPolicyAttachment, logicalId, { policyArn }, { user: userName }),
    exclusivePolicies: (logicalId, policyNames, dependsOn) =>
      addNamedResource(scope, IamUserPoliciesExclusive, logicalId, { policyNames }, { userName }, dependsOn),
    exclusiveAttachments: (logicalId, policyArns, dependsOn) =>
      addNamedResource(scope, IamUserPolicyAttachmentsExclusive, logicalId, { policyArns }, { userName }, dependsOn),
  });
  adoptPrincipal(scope, user);
  return iamUser;
}
