import fc from 'fast-check';
import { stringify } from 'yaml';
import type { PolicyStatement } from '../../src/model/accessModel';
import { uniqueSids } from '../../src/model/sids';
import { bucketNameProblem } from '../../src/schema/primitives';
import { parsePolicy } from '../support/policyJson';
import { compileValid } from '../support/compileYaml';

const accounts = [{ name: 'prod', id: '222222222222' }];
const SID = /^[A-Za-z0-9]+$/;

/** Every Sid of every inline policy of the model, one list per policy. */
function sidsPerPolicy(model: Awaited<ReturnType<typeof compileValid>>): string[][] {
  return [...model.roles, ...model.users].flatMap((principal) =>
    principal.inlinePolicies.map((policy) => parsePolicy(policy.json).Statement.flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]))),
  );
}

describe('generated Sids are unique per policy', () => {
  it('my-bucket/a/ and my.bucket/b/ get two different ListPrefixes Sids, the same on every run', async () => {
    const role = { name: 'reader', account: 'prod', trust: [{ service: 'ec2.amazonaws.com' }], s3ReadOnly: { buckets: ['my-bucket/a/', 'my.bucket/b/'] } };
    const model = await compileValid({ 'org.yaml': stringify({ accounts, roles: [role] }) });
    const [sids] = sidsPerPolicy(model);
    expect(sids).toEqual(expect.arrayContaining(['ListPrefixesMyBucket', 'ListPrefixesMyBucket2']));
    expect(new Set(sids).size).toBe(sids!.length);
    // The YAML's order does not decide which bucket gets the number.
    const reversed = await compileValid({ 'org.yaml': stringify({ accounts, roles: [{ ...role, s3ReadOnly: { buckets: ['my.bucket/b/', 'my-bucket/a/'] } }] }) });
    expect(reversed.roles[0]!.inlinePolicies[0]!.json).toBe(model.roles[0]!.inlinePolicies[0]!.json);
  });

  // Bucket names of few parts joined by "-" or ".", so that their Sids meet often (my-data, my.data).
  const part = fc.constantFrom('my', 'data', 'logs');
  const bucket = fc
    .tuple(part, fc.array(fc.tuple(fc.constantFrom('-', '.'), part), { minLength: 1, maxLength: 2 }))
    .map(([first, rest]) => first + rest.map(([sep, p]) => sep + p).join(''))
    .filter((name) => bucketNameProblem(name) === undefined);
  const prefix = fc.constantFrom('', 'a/', 'b/', 'a/b/', 'reports/2026/');
  const scope = fc.tuple(bucket, prefix).map(([b, p]) => (p ? `${b}/${p}` : b));

  it('property: every inline policy of random s3ReadOnly bucket lists has unique Sids of [A-Za-z0-9]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(scope, { minLength: 1, maxLength: 8 }), async (buckets) => {
        const role = { name: 'reader', account: 'prod', trust: [{ service: 'ec2.amazonaws.com' }], s3ReadOnly: { buckets } };
        const model = await compileValid({ 'org.yaml': stringify({ accounts, roles: [role] }) });
        for (const sids of sidsPerPolicy(model)) {
          expect(new Set(sids).size).toBe(sids.length);
          for (const sid of sids) expect(sid).toMatch(SID);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('uniqueSids', () => {
  const statement = (sid?: string): PolicyStatement => ({ ...(sid === undefined ? {} : { sid }), effect: 'Allow', actions: ['s3:GetObject'], resources: ['*'], source: { file: 'a.yaml', path: [] } });
  const sids = (list: (string | undefined)[]) => uniqueSids(list.map(statement)).map((s) => s.sid);

  it('keeps distinct Sids and statements without one as they are', () => {
    expect(sids(['A', undefined, 'B', undefined])).toEqual(['A', undefined, 'B', undefined]);
  });

  it('numbers the later of two equal Sids, never onto a Sid another statement holds', () => {
    expect(sids(['A', 'A', 'A'])).toEqual(['A', 'A2', 'A3']);
    expect(sids(['A', 'A', 'A2'])).toEqual(['A', 'A3', 'A2']);
    expect(sids(['A2', 'A', 'A'])).toEqual(['A2', 'A', 'A3']);
  });
});
