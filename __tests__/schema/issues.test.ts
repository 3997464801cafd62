import { z } from 'zod';
import { defaultMessage, issuesToDiagnostics } from '../../src/schema/issues';
import { strictObject } from '../../src/schema/primitives';

const base = { file: 'a.yaml', path: [] };

/** The findings for `value` against `schema`, as `rule: message`. */
function translate(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return issuesToDiagnostics(result.error.issues, base, { value, scalarText: () => undefined }).map((d) => `${d.rule}: ${d.message}`);
}

describe('zod issues are read by code and params, never by their English', () => {
  const schema = strictObject({ team: z.string(), name: z.string().optional() });

  it('an unknown key carries the known keys as params, and no JSON in its message', () => {
    const result = schema.safeParse({ taem: 'x' });
    const issue = result.error?.issues.find((i) => i.code === 'unrecognized_keys');
    expect(issue).toMatchObject({ keys: ['taem'], params: { knownKeys: ['team', 'name'] } });
    expect(issue?.message).not.toContain('[');
    expect(issue?.message).not.toContain('name');
  });

  it('suggests the known key, or lists them', () => {
    expect(translate(schema, { team: 'x', nmae: 'y' })).toEqual(['unknown-key: unknown key "nmae"; did you mean "name"?']);
    expect(translate(schema, { team: 'x', zzz: 1 })).toEqual(['unknown-key: unknown key "zzz"; the keys here are team, name']);
  });

  it('reports unknown keys beside wrong fields in one run, as zod\'s strict object does', () => {
    expect(translate(schema, { team: [], nmae: 'y' })).toEqual(['invalid-type: team should be text, not a list', 'unknown-key: unknown key "nmae"; did you mean "name"?']);
  });

  it('a schema\'s own message is kept even when it reads like zod\'s ("Invalid ...")', () => {
    const own = z.object({ size: z.array(z.string(), { error: 'Invalid input here: size is a list of names' }) });
    expect(translate(own, { size: 'big' })).toEqual(['invalid-type: Invalid input here: size is a list of names']);
    const key = z.record(z.string().regex(/^[a-z]+$/, 'Invalid key: lowercase letters only'), z.string());
    expect(translate(key, { ABC: 'x' })).toEqual(['invalid-value: "ABC": Invalid key: lowercase letters only']);
  });

  it('a schema without a message of its own gets rolecall\'s wording', () => {
    expect(translate(z.object({ actions: z.array(z.string()) }), { actions: 's3:GetObject' })).toEqual(['invalid-type: actions should be a list, not the text "s3:GetObject"']);
    expect(translate(z.object({ kind: z.enum(['a', 'b']) }), { kind: 'z' })).toEqual(['invalid-value: "z": expected one of "a", "b"']);
    expect(translate(z.object({ v: z.union([z.string(), z.array(z.string())]) }), { v: 5 })).toEqual(['invalid-type: v should be text or a list, not number 5']);
    // A long value is quoted shortened once, not again in front.
    const long = 'x'.repeat(80);
    expect(translate(z.object({ v: z.union([z.number(), z.boolean()]) }), { v: long })).toEqual([`invalid-type: v should be a number or true or false, not the text "${'x'.repeat(57)}..."`]);
  });

  it('a union that wanted a literal is a wrong value; one that wanted other types is a wrong type', () => {
    expect(translate(z.object({ s: z.union([z.literal('all'), z.object({ b: z.string() })], { error: 's is "all" or { b }' }) }), { s: true })).toEqual(['invalid-value: s is "all" or { b }']);
    expect(translate(z.object({ d: z.union([z.number(), z.string()], { error: 'd is a number or a string' }) }), { d: true })).toEqual(['invalid-type: d is a number or a string']);
  });

  it('defaultMessage answers only for the codes it words', () => {
    expect(defaultMessage({ code: 'too_small', origin: 'string', minimum: 1, input: '', path: [] } as never)).toBeUndefined();
  });
});
