import { broader, loosened } from '../../src/analysers/diffGates';
import type { PrincipalData, WayConditions } from '../../src/analysers/wayData';

const NONE: WayConditions = {
  mfa: null,
  externalId: null,
  expires: null,
  sourceIp: [],
  sourceAccount: [],
  sourceArn: [],
  other: [],
  callerAllow: [],
  deniedWhen: [],
  certainty: 'sure',
  unseen: [],
};
const github = (subjects: string[], audiences = ['sts.amazonaws.com']): PrincipalData => ({
  kind: 'web-identity',
  trust: 'github',
  provider: 'github',
  providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  subjects,
  audiences,
  outside: true,
});
const user = (accountId: string): PrincipalData => ({ kind: 'user', account: 'a', accountId, name: 'u', arn: `arn:aws:iam::${accountId}:user/u`, outside: false });
const account = (accountId: string): PrincipalData => ({ kind: 'account', account: 'a', accountId, arn: `arn:aws:iam::${accountId}:root`, outside: false });

describe('broader: one principal lets in everyone the other does, and more', () => {
  it.each<[string, PrincipalData, PrincipalData, boolean]>([
    ['an account covers its users', account('123456789012'), user('123456789012'), true],
    ["an account does not cover another account's users", account('123456789012'), user('210987654321'), false],
    ['a user covers nobody', user('123456789012'), user('123456789012'), false],
    ['a branch pattern covers a branch', github(['repo:acme/app:ref:refs/heads/release/*']), github(['repo:acme/app:ref:refs/heads/release/1']), true],
    ['a pattern covers itself only as the same principal: not broader', github(['repo:acme/app:*']), github(['repo:acme/app:*']), false],
    ['another branch is not broader', github(['repo:acme/app:ref:refs/heads/main']), github(['repo:acme/app:ref:refs/heads/dev']), false],
    ['? is one character', github(['repo:acme/app:ref:refs/heads/v?']), github(['repo:acme/app:ref:refs/heads/v10']), false],
    ['a dot in a pattern is a dot', github(['repo:acme/app:ref:refs/tags/v1.0']), github(['repo:acme/app:ref:refs/tags/v1x0']), false],
    ['more audiences with the same subjects', github(['repo:acme/app:*'], ['a', 'b']), github(['repo:acme/app:*'], ['a']), true],
    ['fewer audiences is not broader', github(['repo:acme/app:*'], ['a']), github(['repo:acme/app:ref:x'], ['a', 'b']), false],
  ])('%s', (_what, wider, narrower, expected) => {
    expect(broader(wider, narrower)).toBe(expected);
  });
});

describe('loosened: the guards a way in had and has no more', () => {
  it.each<[string, Partial<WayConditions>, Partial<WayConditions>, string[]]>([
    ['nothing changes', {}, {}, []],
    ['a guard added is narrower', {}, { mfa: { maxAgeSeconds: null, enforcedBy: ['trust'] }, externalId: 'x', sourceIp: ['10.0.0.0/8'] }, []],
    ['mfa dropped', { mfa: { maxAgeSeconds: 3600, enforcedBy: ['trust'] } }, {}, ['mfa-removed']],
    ['mfa kept by the caller policy only', { mfa: { maxAgeSeconds: null, enforcedBy: ['trust', 'caller-policy'] } }, { mfa: { maxAgeSeconds: null, enforcedBy: ['caller-policy'] } }, []],
    ['an older sign-in', { mfa: { maxAgeSeconds: 3600, enforcedBy: ['trust'] } }, { mfa: { maxAgeSeconds: 7200, enforcedBy: ['trust'] } }, ['mfa-age-longer']],
    ['a younger sign-in', { mfa: { maxAgeSeconds: 3600, enforcedBy: ['trust'] } }, { mfa: { maxAgeSeconds: 600, enforcedBy: ['trust'] } }, []],
    ['no age limit any more', { mfa: { maxAgeSeconds: 3600, enforcedBy: ['trust'] } }, { mfa: { maxAgeSeconds: null, enforcedBy: ['trust'] } }, ['mfa-age-longer']],
    ['external id dropped', { externalId: 'x' }, {}, ['external-id-removed']],
    ['external id changed', { externalId: 'x' }, { externalId: 'y' }, []],
    ['expiry dropped', { expires: '2030-01-01T00:00:00Z' }, {}, ['expiry-removed']],
    ['expiry earlier', { expires: '2030-01-01T00:00:00Z' }, { expires: '2029-01-01T00:00:00Z' }, []],
    ['a range inside the old one', { sourceIp: ['203.0.113.0/24'] }, { sourceIp: ['203.0.113.128/25'] }, []],
    ['a range beside the old one', { sourceIp: ['203.0.113.0/24'] }, { sourceIp: ['203.0.114.0/24'] }, ['source-ip-widened']],
    ['a range around the old one', { sourceIp: ['203.0.113.0/24'] }, { sourceIp: ['203.0.0.0/16'] }, ['source-ip-widened']],
    ['one address inside', { sourceIp: ['203.0.113.0/24'] }, { sourceIp: ['203.0.113.7'] }, []],
    ['an IPv6 range, other than before', { sourceIp: ['2001:db8::/32'] }, { sourceIp: ['2001:db8::/48'] }, ['source-ip-widened']],
    ['no source account any more', { sourceAccount: ['123456789012'] }, {}, ['source-account-widened']],
    ['another source ARN', { sourceArn: ['arn:aws:s3:::a'] }, { sourceArn: ['arn:aws:s3:::b'] }, ['source-arn-widened']],
    ['an other condition gone', { other: [{ operator: 'StringEquals', key: 'k', values: ['v'] }] }, {}, ['condition-removed']],
    ['a conditional deny of the caller gone', { deniedWhen: [{ policy: 'p', conditions: [{ operator: 'Bool', key: 'k', values: ['v'] }] }] }, {}, ['condition-removed']],
  ])('%s', (_what, before, after, expected) => {
    expect(loosened({ ...NONE, ...before }, { ...NONE, ...after })).toEqual(expected);
  });
});
