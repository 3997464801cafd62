import fc from 'fast-check';
import { stringify } from 'yaml';
import type { AccessModel } from '../../src/model/accessModel';
import { compileValid } from '../support/compileYaml';

/** The model without its source references: what must not depend on where things were written. */
function fingerprint(model: AccessModel): string {
  return JSON.stringify(model, (key, value: unknown) => (key === 'source' ? undefined : value));
}

const accounts = [
  { name: 'identity', id: '111111111111' },
  { name: 'prod', id: '222222222222' },
  { name: 'partner', id: '333333333333', external: true },
];
const users = ['alice', 'bob', 'carol', 'dave'].map((name) => ({ name, account: 'identity', requireMfa: name === 'alice' }));
const roles: { name: string; account: string; trust: Record<string, unknown>[]; [key: string]: unknown }[] = [
  { name: 'reader', account: 'prod', trust: [{ users: ['identity/alice', 'identity/bob'], mfa: true }, { account: 'partner', externalId: 'px-1' }], s3ReadOnly: 'all' },
  { name: 'writer', account: 'prod', trust: [{ user: 'identity/carol' }, { role: 'identity/hub' }], allow: [{ actions: ['s3:PutObject', 's3:GetObject'], resources: ['arn:aws:s3:::bucket-b/*'] }] },
  { name: 'hub', account: 'identity', trust: [{ user: 'dave', sourceIp: ['203.0.113.0/24'] }], deny: [{ actions: ['iam:*'], resources: ['*'] }] },
  { name: 'svc', account: 'prod', trust: [{ service: 'ec2.amazonaws.com' }], s3ReadOnly: { buckets: ['bucket-b', 'bucket-c/x/'] } },
];

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length]! * 31 + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

describe('resolve invariants', () => {
  let reference: string;
  beforeAll(async () => {
    reference = fingerprint(await compileValid({ 'org.yaml': stringify({ accounts, users, roles }) }));
  });

  it('is deterministic: the same config gives the same model', async () => {
    const again = fingerprint(await compileValid({ 'org.yaml': stringify({ accounts, users, roles }) }));
    expect(again).toBe(reference);
  });

  it('ignores the order of entries, of trust entries and of files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(100), { minLength: 4, maxLength: 8 }), fc.nat(3), async (keys, split) => {
        const reordered = shuffled(roles, keys).map((role) => ({ ...role, trust: shuffled(role.trust, [...keys].reverse()) }));
        const everything = [
          ...shuffled(accounts, keys).map((a) => ['accounts', a] as const),
          ...shuffled(users, keys).map((u) => ['users', u] as const),
          ...reordered.map((r) => ['roles', r] as const),
        ];
        // Spread the entries over split+1 files.
        const files: Record<string, Record<string, unknown[]>> = {};
        everything.forEach(([section, entry], i) => {
          const file = `part-${(i * 7 + keys[0]!) % (split + 1)}.yaml`;
          ((files[file] ??= {})[section] ??= []).push(entry);
        });
        const texts = Object.fromEntries(Object.entries(files).map(([name, body]) => [name, stringify(body)]));
        expect(fingerprint(await compileValid(texts))).toBe(reference);
      }),
      { numRuns: 12 },
    );
  });
});
