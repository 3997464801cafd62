import type { TerraformResource } from 'cdktf';
import type { Group, Role, User } from '../src/model/accessModel';
import { terraformName } from './logicalId';
import { addressOf, compareCodeUnits, sortedStrings } from './namedResource';

/**
 * The four policy resources of one principal kind; users and roles use
 * different provider classes for the same job.
 */
export interface PolicyResourceWriters {
  inlinePolicy(logicalId: string, policyName: string, policyJson: string): TerraformResource;
  attachment(logicalId: string, policyArn: string): TerraformResource;
  /** `dependsOn`: Terraform addresses (`TYPE.NAME`). */
  exclusivePolicies(logicalId: string, policyNames: string[], dependsOn: string[]): TerraformResource;
  exclusiveAttachments(logicalId: string, policyArns: string[], dependsOn: string[]): TerraformResource;
}

/**
 * Inline policies, managed policy attachments, and the two `_exclusive`
 * resources that make the YAML the whole truth: anything attached by hand is
 * removed on the next apply. The exclusive resources are emitted even when
 * their list is empty (that is what removes a stray policy), and depend on
 * the principal and the resources they list, so they never run ahead of them.
 */
export function addPrincipalPolicies(
  principal: User | Role | Group,
  principalResource: TerraformResource,
  write: PolicyResourceWriters,
): void {
  const policies = [...principal.inlinePolicies].sort((a, b) => compareCodeUnits(a.name, b.name));
  const policyArns = sortedStrings(principal.managedPolicies.map((m) => m.arn));

  const policyResources = policies.map((policy) =>
    write.inlinePolicy(terraformName(principal.kind, principal.name, policy.name), policy.name, policy.json),
  );
  const attachmentResources = policyArns.map((arn) =>
    write.attachment(terraformName(principal.kind, principal.name, ...policyIdParts(arn)), arn),
  );

  // Named like the principal: the resource type already says what it is.
  const exclusiveId = terraformName(principal.kind, principal.name);
  write.exclusivePolicies(exclusiveId, policies.map((p) => p.name), [principalResource, ...policyResources].map(addressOf));
  write.exclusiveAttachments(exclusiveId, policyArns, [principalResource, ...attachmentResources].map(addressOf));
}

/**
 * A managed policy in a logical id: its owner (`aws` or the account id) and
 * its path and name, e.g. `aws`, `AmazonS3ReadOnlyAccess`. The partition is
 * left out: one stack has one partition, so the id stays unique and readable.
 */
export function policyIdParts(arn: string): string[] {
  const match = /^arn:[^:]+:iam::([^:]+):policy\/(.+)$/.exec(arn);
  return match ? [match[1]!, match[2]!] : [arn];
}
