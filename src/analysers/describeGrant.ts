import type { ConditionBlock, Grant, Grantee } from '../model/accessModel';
import { formatDuration } from '../model/duration';

/** Who a grant lets in, in words: "user identity/alice", "GitHub Actions acme/app on branch main". */
export function describeGrantee(grantee: Grantee, trustKind: Grant['trustKind']): string {
  switch (grantee.kind) {
    case 'user':
    case 'role':
      return `${grantee.kind} ${grantee.account}/${grantee.name}`;
    case 'account':
      return grantee.external
        ? `any principal of external account ${grantee.account === grantee.accountId ? grantee.accountId : `${grantee.account} (${grantee.accountId})`} that its admins allow`
        : `any principal of account ${grantee.account} (${grantee.accountId}) whose own policy allows it`;
    case 'service':
      return `service ${grantee.service}`;
    case 'saml':
      return `people signing in through SAML provider ${grantee.provider}`;
    case 'web-identity':
      if (trustKind === 'github') return `GitHub Actions ${grantee.subjects.map(githubSubject).join(' or ')}`;
      if (trustKind === 'cognito') return `Cognito identities of pool ${grantee.audiences.join(', ')}`;
      return `OIDC identities of ${grantee.provider} with subject ${grantee.subjects.join(' or ')}`;
  }
}

export function githubSubject(subject: string): string {
  const match = /^repo:([^:]+):(?:ref:refs\/heads\/(.+)|environment:(.+)|ref:refs\/tags\/(.+)|ref:(.+))$/.exec(subject);
  if (!match) return subject;
  const [, repo, branch, environment, tag, ref] = match;
  if (branch !== undefined) return `${repo} on branch ${branch}`;
  if (environment !== undefined) return `${repo} in environment ${environment}`;
  if (tag !== undefined) return `${repo} at tag ${tag}`;
  return `${repo} at ${ref}`;
}

/** The conditions of a trust statement, in words; keys rolecall does not know are shown as written. */
export function describeConditions(block: ConditionBlock): string[] {
  const words: { rank: number; text: string }[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) {
      const rank = CONDITION_ORDER.indexOf(key);
      words.push({ rank: rank === -1 ? CONDITION_ORDER.length : rank, text: describeCondition(operator, key, values) });
    }
  }
  return words.sort((a, b) => a.rank - b.rank || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)).map((w) => w.text);
}

/** The order a reader takes conditions in: how one signs in, then when, from where, on whose behalf. */
const CONDITION_ORDER = [
  'aws:MultiFactorAuthPresent',
  'aws:MultiFactorAuthAge',
  'sts:ExternalId',
  'aws:CurrentTime',
  'aws:SourceIp',
  'aws:SourceAccount',
  'aws:SourceArn',
];

function describeCondition(operator: string, key: string, values: readonly string[]): string {
  const list = values.join(', ');
  switch (key) {
    case 'aws:MultiFactorAuthPresent':
      return values.includes('true') ? 'with MFA' : values.includes('false') ? 'without MFA' : `MFA ${list}`;
    case 'aws:MultiFactorAuthAge':
      return `MFA signed in within ${formatDuration(Number(values[0]))}`;
    case 'aws:CurrentTime':
      return operator.startsWith('DateLessThan') ? `until ${list}` : `${operator} ${list}`;
    case 'aws:SourceIp':
      return `${operator === 'NotIpAddress' ? 'not from' : 'from'} ${list}`;
    case 'sts:ExternalId':
      return `with external id ${list}`;
    case 'aws:SourceAccount':
      return `on behalf of account ${list}`;
    case 'aws:SourceArn':
      return `on behalf of ${list}`;
    case 'SAML:aud':
      return 'through the AWS sign-in page';
    default:
      if (key.endsWith(':aud')) return `token audience ${list}`;
      if (key.endsWith(':sub')) return `token subject ${list}`;
      if (key.endsWith(':amr')) return list;
      return `${key} ${operator} ${list}`;
  }
}
