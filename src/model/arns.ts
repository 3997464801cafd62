import type { Partition } from './accessModel';

export function accountRootArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function userArn(partition: Partition, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:user${path}${name}`;
}

export function groupArn(partition: Partition, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:group${path}${name}`;
}

export function roleArn(partition: Partition, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role${path}${name}`;
}

export function oidcProviderArn(partition: Partition, accountId: string, url: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${oidcHost(url)}`;
}

export function samlProviderArn(partition: Partition, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:saml-provider/${name}`;
}

/** The issuer without scheme or trailing slash: the ARN suffix and the prefix of its condition keys. */
export function oidcHost(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

/** A policy name or ARN: bare names are AWS managed policies (`AmazonS3ReadOnlyAccess`). */
export function awsManagedPolicyArn(partition: Partition, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${partition}:iam::aws:policy/${nameOrArn}`;
}

/** A permissions boundary: a bare name is a customer managed policy of the principal's account. */
export function boundaryArn(partition: Partition, accountId: string, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${partition}:iam::${accountId}:policy/${nameOrArn}`;
}

export function s3Arn(partition: Partition, resource: string): string {
  return `arn:${partition}:s3:::${resource}`;
}

export function federatedUserArn(partition: Partition, accountId: string, name: string): string {
  return `arn:${partition}:sts::${accountId}:federated-user/${name}`;
}

export function samlAudience(partition: Partition): string {
  switch (partition) {
    case 'aws-cn':
      return 'https://signin.amazonaws.cn/saml';
    case 'aws-us-gov':
      return 'https://signin.amazonaws-us-gov.com/saml';
    default:
      return 'https://signin.aws.amazon.com/saml';
  }
}

export function defaultRegion(partition: Partition): string {
  switch (partition) {
    case 'aws-cn':
      return 'cn-north-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return 'us-east-1';
  }
}
