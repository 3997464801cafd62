/**
 * The proof that what rolecall marks read-only is read-only: every action of
 * `s3ReadOnly` (by bucket, and `all`, which is AmazonS3ReadOnlyAccess) is of
 * the Read or List access level in the AWS catalog, wildcards expanded, for
 * any list of buckets and prefixes, on the policy as emitted.
 */
import fc from 'fast-check';
import { loadActionCatalog } from '../../src/catalog/iamDataCatalog';
import { matchActions, type ActionCatalog } from '../../src/model/actionCatalog';
import { s3ReadOnlyStatements } from '../../src/model/s3ReadOnly';
import { bucketNameProblem } from '../../src/schema/primitives';
import { compileYaml } from '../support/compileYaml';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog(['s3', 's3-object-lambda']);
});

/** Every action an emitted policy document holds that is not Read or List only, wildcards expanded; and patterns that match nothing. */
function beyondReadAndList(documentJson: string): string[] {
  const document = JSON.parse(documentJson) as { Statement: { Effect: string; Action?: string | string[]; NotAction?: unknown }[] };
  const problems: string[] = [];
  for (const statement of document.Statement) {
    if (statement.NotAction !== undefined) problems.push('a NotAction statement');
    if (statement.Effect !== 'Allow') continue;
    for (const pattern of [statement.Action ?? []].flat()) {
      const matched = pattern === '*' ? undefined : matchActions(catalog, pattern);
      if (matched === undefined || matched.length === 0) {
        problems.push(`${pattern} (matches no action the catalog knows)`);
        continue;
      }
      const service = pattern.slice(0, pattern.indexOf(':'));
      for (const action of matched) {
        if (action.accessLevels.length === 0 || !action.accessLevels.every((level) => level === 'Read' || level === 'List')) {
          problems.push(`${service}:${action.name} (${action.accessLevels.join(', ')})`);
        }
      }
    }
  }
  return problems;
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const bucket = fc
  .tuple(label, fc.constantFrom('', '.logs', '-prod'))
  .map(([name, suffix]) => `${name.padEnd(3, '0')}${suffix}`)
  .filter((name) => bucketNameProblem(name) === undefined);
const prefix = fc.array(fc.stringMatching(/^[A-Za-z0-9_.=-]{1,8}$/), { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}/`);
const scope = fc.oneof(bucket, fc.tuple(bucket, prefix).map(([b, p]) => `${b}/${p}`));
const scopes = fc.uniqueArray(scope, { minLength: 1, maxLength: 6 });

describe('s3ReadOnly holds nothing outside Read and List', () => {
  it('by bucket: for any buckets and prefixes, in every partition', () => {
    fc.assert(
      fc.property(scopes, fc.constantFrom('aws' as const, 'aws-cn' as const, 'aws-us-gov' as const), (list, partition) => {
        const statements = s3ReadOnlyStatements(list, partition, catalog, { file: 't.yaml', path: [] });
        const json = JSON.stringify({ Statement: statements.map((s) => ({ Effect: s.effect, Action: s.actions })) });
        expect(statements.every((s) => s.effect === 'Allow' && s.notActions === undefined && s.notResources === undefined)).toBe(true);
        expect(beyondReadAndList(json)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('by bucket, on the policy the pipeline emits for the role', async () => {
    await fc.assert(
      fc.asyncProperty(scopes, async (list) => {
        const yaml = `accounts:\n  - name: main\n    id: "123456789012"\nroles:\n  - name: reader\n    trust:\n      - service: ec2.amazonaws.com\n    s3ReadOnly:\n      buckets: [${list.map((s) => JSON.stringify(s)).join(', ')}]\n`;
        const result = await compileYaml({ 'org.yaml': yaml });
        expect(result.errors).toEqual([]);
        const policy = result.model!.roles[0]!.inlinePolicies.find((p) => p.name === 'rolecall-s3-read-only')!;
        expect(beyondReadAndList(policy.json)).toEqual([]);
        // Nothing else the role holds: the read-only policy is all of it.
        expect(result.model!.roles[0]!.inlinePolicies.map((p) => p.name)).toEqual(['rolecall-s3-read-only']);
      }),
      { numRuns: 25 },
    );
  });

  it('all: the AmazonS3ReadOnlyAccess document, its wildcards expanded', async () => {
    const yaml = `accounts:\n  - name: main\n    id: "123456789012"\nroles:\n  - name: reader\n    trust:\n      - service: ec2.amazonaws.com\n    s3ReadOnly: all\n`;
    const result = await compileYaml({ 'org.yaml': yaml });
    const attachment = result.model!.roles[0]!.managedPolicies.find((m) => m.arn === 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')!;
    const json = JSON.stringify({ Statement: attachment.document!.statements.map((s) => ({ Effect: s.effect, Action: s.actions, NotAction: s.notActions })) });
    expect(attachment.document!.statements.flatMap((s) => s.actions ?? [])).toEqual(expect.arrayContaining(['s3:Get*', 's3:List*']));
    expect(beyondReadAndList(json)).toEqual([]);
  });

  it('the check itself sees a write, a wildcard that reaches one, and a NotAction', () => {
    expect(beyondReadAndList(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'] }] }))).toEqual(['s3:PutObject (Write)']);
    expect(beyondReadAndList(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*Object' }] })).length).toBeGreaterThan(3);
    expect(beyondReadAndList(JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: 's3:PutObject' }] }))).toEqual(['a NotAction statement']);
  });
});
