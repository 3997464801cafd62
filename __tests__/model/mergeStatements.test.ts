/**
 * The one statement merger (trust principals, caller resources): it joins
 * statements equal in everything but the merged field and never widens.
 */
import fc from 'fast-check';
import type { ConditionBlock, PolicyStatement } from '../../src/model/accessModel';
import { mergeStatements, type MergedField } from '../../src/model/mergeStatements';

const source = { file: 'org.yaml', path: [] };

describe('mergeStatements', () => {
  it('joins principals of statements alike but for them, type by type, first statement first', () => {
    const merged = mergeStatements(
      [
        { effect: 'Allow', actions: ['sts:AssumeRole'], principals: { AWS: ['arn:a'] }, conditions: {}, source },
        { effect: 'Allow', actions: ['sts:AssumeRole'], principals: { Service: ['ec2.amazonaws.com'] }, conditions: {}, source },
        { effect: 'Allow', actions: ['sts:AssumeRole'], principals: { AWS: ['arn:b'] }, conditions: {}, source },
      ],
      'principals',
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.principals).toEqual({ AWS: ['arn:a', 'arn:b'], Service: ['ec2.amazonaws.com'] });
  });

  it('keeps apart statements whose conditions, actions or effect differ', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } };
    const statements: PolicyStatement[] = [
      { effect: 'Allow', actions: ['sts:AssumeRole'], resources: ['arn:r1'], conditions: mfa, source },
      { effect: 'Allow', actions: ['sts:AssumeRole'], resources: ['arn:r2'], conditions: {}, source },
      { effect: 'Allow', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: ['arn:r3'], conditions: mfa, source },
      { effect: 'Deny', actions: ['sts:AssumeRole'], resources: ['arn:r4'], conditions: mfa, source },
      { effect: 'Allow', actions: ['sts:AssumeRole'], resources: ['arn:r5'], conditions: mfa, source },
    ];
    expect(mergeStatements(statements, 'resources').map((s) => s.resources)).toEqual([['arn:r1', 'arn:r5'], ['arn:r2'], ['arn:r3'], ['arn:r4']]);
  });

  it('merging one field never joins statements that differ in the other', () => {
    const statements: PolicyStatement[] = [
      { effect: 'Allow', actions: ['s3:GetObject'], principals: { AWS: ['arn:a'] }, resources: ['arn:r1'], source },
      { effect: 'Allow', actions: ['s3:GetObject'], principals: { AWS: ['arn:b'] }, resources: ['arn:r2'], source },
    ];
    expect(mergeStatements(statements, 'resources')).toHaveLength(2);
    expect(mergeStatements(statements, 'principals')).toHaveLength(2);
  });

  /** Every (effect, action, principal, resource, conditions) a list of statements allows or denies. */
  function grantsOf(statements: readonly PolicyStatement[]): string[] {
    const out = new Set<string>();
    for (const s of statements) {
      for (const action of s.actions ?? []) {
        for (const principal of Object.entries(s.principals ?? { none: ['-'] }).flatMap(([t, vs]) => (vs as string[]).map((v) => `${t}:${v}`))) {
          for (const resource of s.resources ?? ['-']) out.add(JSON.stringify([s.effect, action, principal, resource, s.conditions ?? {}]));
        }
      }
    }
    return [...out].sort();
  }

  it('never widens: what the merged list allows is exactly what the input allowed (property)', () => {
    const statement = fc.record({
      effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      actions: fc.subarray(['sts:AssumeRole', 'sts:TagSession'], { minLength: 1 }),
      principals: fc.record({ AWS: fc.subarray(['arn:a', 'arn:b']), Service: fc.subarray(['ec2.amazonaws.com']) }),
      resources: fc.subarray(['arn:r1', 'arn:r2', 'arn:r3'], { minLength: 1 }),
      conditions: fc.constantFrom<ConditionBlock>({}, { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } }, { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }),
    });
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 8 }), fc.constantFrom<MergedField>('principals', 'resources'), (raw, field) => {
        const statements: PolicyStatement[] = raw.map((s) => ({ ...s, source }));
        const merged = mergeStatements(statements, field);
        expect(grantsOf(merged)).toEqual(grantsOf(statements));
        expect(merged.length).toBeLessThanOrEqual(statements.length);
      }),
    );
  });
});
