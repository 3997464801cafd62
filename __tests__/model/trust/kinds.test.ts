/**
 * Each trust kind's module on its own: the targets it renders from one
 * entry (principal, action, conditions, deploy order), what it refuses,
 * and the table that dispatches to it.
 */
import type { Diagnostic, SourceRef } from '../../../src/diagnostics/diagnostic';
import type { Account, IdentityProvider } from '../../../src/model/accessModel';
import type { Placed, Registry } from '../../../src/model/registry';
import { kindOf, ruleOf, TRUST_KINDS } from '../../../src/model/trust/kinds';
import { resolveGuards } from '../../../src/model/trust/guards';
import type { Directory, TrustContext, TrustTarget } from '../../../src/model/trust/target';
import type { GroupEntry } from '../../../src/model/groups';
import type { GroupConfig, RoleConfig } from '../../../src/schema/configSchema';
import type { TrustEntryConfig } from '../../../src/schema/trustSchema';
import { TRUST_KIND_KEYS } from '../../../src/schema/trustKinds';

const source: SourceRef = { file: 'org.yaml', path: ['roles', 0, 'trust', 0] };
const account = (name: string, id: string, extra: Partial<Account> = {}): Account => ({
  name, id, region: 'us-east-1', partition: 'aws', external: false, declared: true, source, ...extra,
});
const prod = account('prod', '222222222222');
const identity = account('identity', '111111111111');
const partner = account('partner', '333333333333', { external: true });

const provider = (name: string, extra: Partial<IdentityProvider>): IdentityProvider => ({
  name, account: 'prod', kind: 'oidc', arn: `arn:aws:iam::222222222222:oidc-provider/${name}`, managed: true, source, ...extra,
});
const providers = new Map<string, IdentityProvider>([
  ['github', provider('github', { conditionKeyPrefix: 'token.actions.githubusercontent.com', audiences: ['sts.amazonaws.com'] })],
  ['eks', provider('eks', { conditionKeyPrefix: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC', audiences: ['sts.amazonaws.com'] })],
  ['okta', provider('okta', { kind: 'saml', arn: 'arn:aws:iam::222222222222:saml-provider/okta' })],
  ['legacy', provider('legacy', { kind: 'saml', managed: false, arn: 'arn:aws:iam::222222222222:saml-provider/legacy' })],
]);

const registry = {
  accounts: new Map([prod, identity, partner].map((a) => [a.name, a])),
  accountConfigs: new Map(),
  accountsById: new Map([prod, identity, partner].map((a) => [a.id, a])),
  providers: new Map(),
  users: new Map(),
  roles: new Map(),
  groups: new Map(),
  broken: { accounts: new Set<string>(), providers: new Set<string>(), users: new Set<string>(), roles: new Set<string>(), groups: new Set<string>() },
  defaultAccount: undefined,
} as unknown as Registry;

const directory: Directory = {
  registry,
  userArns: new Map([['prod/carol', 'arn:aws:iam::222222222222:user/carol'], ['identity/alice', 'arn:aws:iam::111111111111:user/alice']]),
  roleArns: new Map([['prod/deployer', 'arn:aws:iam::222222222222:role/deployer'], ['identity/staff', 'arn:aws:iam::111111111111:role/staff']]),
  groups: new Map([
    groupEntry(identity, 'engineers', ['alice', 'bob']),
    groupEntry(prod, 'ops', ['carol']),
    groupEntry(prod, 'nobody', []),
  ]),
  providers,
};

function groupEntry(account: typeof prod, name: string, members: string[]): [string, GroupEntry] {
  const placed = { value: { name, members }, account, source: { file: 'org.yaml', path: ['groups', 0] } } as unknown as Placed<GroupConfig>;
  const arn = (user: string) => `arn:aws:iam::${account.id}:user/${user}`;
  return [`${account.name}/${name}`, { placed, arn: `arn:aws:iam::${account.id}:group/${name}`, members: members.map((m) => ({ name: m, arn: arn(m), source })) }];
}
const role = { value: { name: 'deployer', trust: [] }, account: prod, source: { file: 'org.yaml', path: ['roles', 0] } } as unknown as Placed<RoleConfig>;

function targets(entry: TrustEntryConfig): { targets: TrustTarget[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const context: TrustContext = { role, directory, source, report: (d) => diagnostics.push(d) };
  const kinded = kindOf(entry)!;
  return { targets: ruleOf(kinded.kind).targets(kinded.entry as never, context), diagnostics };
}

const only = (entry: TrustEntryConfig): TrustTarget => {
  const result = targets(entry);
  expect(result.diagnostics).toEqual([]);
  expect(result.targets).toHaveLength(1);
  return result.targets[0]!;
};

describe('the table of kinds', () => {
  it('has a module for every kind key, and kindOf finds each', () => {
    expect(Object.keys(TRUST_KINDS).sort()).toEqual([...TRUST_KIND_KEYS].sort());
  });

  it('says as data which guards a kind can never satisfy', () => {
    const refusing = (guard: 'mfa' | 'sourceIp') => TRUST_KIND_KEYS.filter((k) => ruleOf(k).refuses[guard] !== undefined).sort();
    expect(refusing('mfa')).toEqual(['cognito', 'github', 'oidc', 'saml', 'service']);
    expect(refusing('sourceIp')).toEqual(['service']);
  });

  it('the one guard function refuses what the kind refuses, at the guard', () => {
    const diagnostics: Diagnostic[] = [];
    const guards = resolveGuards({ service: 'ec2.amazonaws.com', sourceIp: ['203.0.113.0/24'] }, ruleOf('service').refuses, new Date('2026-01-01T00:00:00Z'), {
      source,
      report: (d) => diagnostics.push(d),
    });
    expect(guards).toBeUndefined();
    expect(diagnostics.map((d) => [d.rule, d.source.path.at(-1)])).toEqual([['source-ip-not-applicable', 'sourceIp']]);
  });
});

describe('guards', () => {
  const guardsAt = (entry: TrustEntryConfig, now: string) => {
    const diagnostics: Diagnostic[] = [];
    const guards = resolveGuards(entry, ruleOf('user').refuses, new Date(now), { source, report: (d) => diagnostics.push(d) });
    return { guards, rules: diagnostics.map((d) => d.rule) };
  };

  it('a grant expiring at this very instant has expired; a second later it still stands, with a warning', () => {
    expect(guardsAt({ user: 'carol', expires: '2026-12-06' }, '2026-12-06T00:00:00Z')).toEqual({ guards: undefined, rules: ['expired-grant'] });
    const before = guardsAt({ user: 'carol', expires: '2026-12-06' }, '2026-12-05T23:59:59Z');
    expect(before.rules).toEqual(['expires-soon']);
    expect(before.guards?.shared).toEqual({ DateLessThan: { 'aws:CurrentTime': ['2026-12-06T00:00:00Z'] } });
  });

  it('mfa, mfa.maxAge and sourceIp become the shared conditions, written on both sides', () => {
    const { guards } = guardsAt({ user: 'carol', mfa: { maxAge: '1h' }, sourceIp: ['203.0.113.0/24'], tagSession: true }, '2026-01-01T00:00:00Z');
    expect(guards).toEqual({
      shared: {
        Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
        NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] },
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
      },
      conditions: { tagSession: true, mfa: { maxAgeSeconds: 3600 }, sourceIp: ['203.0.113.0/24'] },
    });
  });
});

describe('user and role', () => {
  it('user of the same account: its ARN, created first', () => {
    const target = only({ user: 'carol' });
    expect(target).toMatchObject({ kind: 'user', principal: { type: 'AWS', value: 'arn:aws:iam::222222222222:user/carol' }, action: 'sts:AssumeRole' });
    expect(target.createAfter).toEqual([{ kind: 'user', account: 'prod', name: 'carol' }]);
    expect(target.dependsOnAccounts).toEqual([]);
  });

  it('role of another account: its stack deploys first', () => {
    const target = only({ role: 'identity/staff' });
    expect(target.createAfter).toEqual([]);
    expect(target.dependsOnAccounts).toEqual(['identity']);
  });

  it('users: one target per user, each at its own list item', () => {
    const { targets: out } = targets({ users: ['carol', 'identity/alice'] });
    expect(out.map((t) => t.source.path.slice(-2))).toEqual([['users', 0], ['users', 1]]);
  });

  it('a role naming itself, or nobody: no target, one finding', () => {
    expect(targets({ role: 'deployer' }).diagnostics.map((d) => d.rule)).toEqual(['self-trust']);
    expect(targets({ roles: ['ghost'] }).diagnostics.map((d) => d.rule)).toEqual(['unknown-reference']);
  });
});

describe('group and groups', () => {
  it('group of another account: one user target per member, through the group, that account deploys first', () => {
    const { targets: out, diagnostics } = targets({ group: 'identity/engineers' });
    expect(diagnostics).toEqual([]);
    expect(out.map((t) => [t.kind, t.grantee, t.principal.value, t.group?.name])).toEqual([
      ['group', { kind: 'user', account: 'identity', name: 'alice', arn: 'arn:aws:iam::111111111111:user/alice' }, 'arn:aws:iam::111111111111:user/alice', 'engineers'],
      ['group', { kind: 'user', account: 'identity', name: 'bob', arn: 'arn:aws:iam::111111111111:user/bob' }, 'arn:aws:iam::111111111111:user/bob', 'engineers'],
    ]);
    expect(out.flatMap((t) => t.createAfter)).toEqual([]);
    expect(out.flatMap((t) => t.dependsOnAccounts)).toEqual(['identity', 'identity']);
  });

  it('group of the same account: its members are created first', () => {
    expect(only({ group: 'ops' }).createAfter).toEqual([{ kind: 'user', account: 'prod', name: 'carol' }]);
  });

  it('groups: each group at its own item; an empty group or an unknown one is an error there', () => {
    const { targets: out, diagnostics } = targets({ groups: ['ops', 'nobody', 'opz'] });
    expect(out.map((t) => t.source.path.slice(-2))).toEqual([['groups', 0]]);
    expect(diagnostics.map((d) => [d.rule, d.source.path.slice(-2)])).toEqual([
      ['empty-group', ['groups', 1]],
      ['unknown-reference', ['groups', 2]],
    ]);
    expect(diagnostics[1]!.message).toContain('did you mean "ops"');
  });
});

describe('account and service', () => {
  it('an external account needs its external id, which becomes sts:ExternalId', () => {
    expect(targets({ account: 'partner' }).diagnostics.map((d) => d.rule)).toEqual(['external-id-required']);
    const target = only({ account: 'partner', externalId: 'ext-42' });
    expect(target).toMatchObject({ principal: { value: 'arn:aws:iam::333333333333:root' }, conditions: { StringEquals: { 'sts:ExternalId': ['ext-42'] } }, externalId: 'ext-42' });
  });

  it('service: sourceAccount by name becomes the id', () => {
    const target = only({ service: 'lambda.amazonaws.com', sourceAccount: 'identity' });
    expect(target).toMatchObject({ principal: { type: 'Service', value: 'lambda.amazonaws.com' }, conditions: { StringEquals: { 'aws:SourceAccount': ['111111111111'] } } });
  });
});

describe('web identity and SAML', () => {
  it('github: the sub GitHub issues for the branch, the provider created first', () => {
    const target = only({ github: { repo: 'acme/app', branch: 'main' } });
    expect(target.conditions).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'], 'token.actions.githubusercontent.com:sub': ['repo:acme/app:ref:refs/heads/main'] },
    });
    expect(target.createAfter).toEqual([{ kind: 'provider', account: 'prod', name: 'github' }]);
  });

  it('oidc: a wildcard subject uses StringLike; a refused subject yields nothing', () => {
    const target = only({ oidc: { provider: 'github', audience: 'sts.amazonaws.com', subject: 'repo:acme/app:ref:refs/heads/release/*' } });
    expect(target.conditions['StringLike']).toEqual({ 'token.actions.githubusercontent.com:sub': ['repo:acme/app:ref:refs/heads/release/*'] });
    const refused = targets({ oidc: { provider: 'eks', audience: 'sts.amazonaws.com', subject: ['system:serviceaccount:a:b', 'system:serviceaccount:a:*'] } });
    expect(refused.targets).toEqual([]);
    expect(refused.diagnostics.map((d) => [d.rule, d.source.path.slice(-3)])).toEqual([['oidc-subject', ['oidc', 'subject', 1]]]);
  });

  it('saml: SAML:aud of the partition; an existing provider is not waited for', () => {
    const managed = only({ saml: { provider: 'okta' } });
    expect(managed).toMatchObject({ action: 'sts:AssumeRoleWithSAML', conditions: { StringEquals: { 'SAML:aud': ['https://signin.aws.amazon.com/saml'] } } });
    expect(managed.createAfter).toEqual([{ kind: 'provider', account: 'prod', name: 'okta' }]);
    expect(only({ saml: { provider: 'legacy' } }).createAfter).toEqual([]);
    expect(targets({ saml: { provider: 'github' } }).diagnostics.map((d) => d.rule)).toEqual(['provider-kind']);
  });

  it('cognito: the pool as aud; guests are a warning, not a refusal', () => {
    const result = targets({ cognito: { identityPool: 'eu-west-1:12345678-1234-1234-1234-123456789012', authenticated: false } });
    expect(result.diagnostics.map((d) => [d.severity, d.rule])).toEqual([['warning', 'cognito-guests']]);
    expect(result.targets[0]!.conditions['ForAnyValue:StringLike']).toEqual({ 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] });
  });
});
