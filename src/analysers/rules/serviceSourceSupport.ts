/**
 * Services that assume a role WITHOUT putting aws:SourceAccount or
 * aws:SourceArn into the request context, so a trust condition on them would
 * never match and the role could not be used. Every other service is taken to
 * send them (the default: AWS documents the confused-deputy guard service by
 * service, e.g. Lambda, ECS tasks, Personalize, IoT, CodeBuild, and adds it to
 * new services), so a trust in one of them without `sourceAccount` or
 * `sourceArn` is reported.
 *
 * Keep this list small and cited: an entry silences the rule for that service.
 */
export interface SourceGuardException {
  readonly service: string;
  readonly why: string;
  readonly source: string;
}

export const SERVICES_WITHOUT_SOURCE_CONTEXT: readonly SourceGuardException[] = [
  {
    service: 'ec2.amazonaws.com',
    why: 'EC2 assumes an instance profile role for the instance without aws:SourceAccount or aws:SourceArn; a role can only be passed to an instance of its own account (iam:PassRole never crosses accounts), which is the guard',
    source: 'https://github.com/prowler-cloud/prowler/issues/2810 (false positive of iam_role_cross_service_confused_deputy_prevention on ec2.amazonaws.com); https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
  },
  {
    service: 'cloudtrail.amazonaws.com',
    why: 'the role CloudTrail assumes to deliver a trail to CloudWatch Logs stops working once aws:SourceArn or aws:SourceAccount is required in its trust',
    source: 'https://github.com/prowler-cloud/prowler/issues/4714',
  },
  {
    service: 'elastictranscoder.amazonaws.com',
    why: 'the Elastic Transcoder pipeline role stops working once aws:SourceArn or aws:SourceAccount is required in its trust',
    source: 'https://github.com/prowler-cloud/prowler/issues/4714',
  },
];

/** Whether a service principal sends aws:SourceAccount / aws:SourceArn when it assumes a role (China's `.amazonaws.com.cn` alike). */
export function sendsSourceContext(service: string): boolean {
  const name = service.toLowerCase().replace(/\.amazonaws\.com\.cn$/, '.amazonaws.com');
  return !SERVICES_WITHOUT_SOURCE_CONTEXT.some((e) => e.service === name);
}
