import fc from 'fast-check';
import { locate, parseSource } from '../../src/source/sourceFile';

const TEXT = `accounts:
  - name: main
    id: "123456789012"
roles:
  - name: reader
    trust:
      - user: alice
        mfa: true
    empty:
`;

const parsed = parseSource('org.yaml', '/org.yaml', TEXT);
const at = (path: (string | number)[], where?: 'key' | 'value') =>
  locate(parsed.source, { file: 'org.yaml', path, ...(where ? { at: where } : {}) });

describe('locate', () => {
  it('points a wrong value at the value', () => {
    expect(at(['accounts', 0, 'id'])).toEqual({ line: 3, column: 9 });
    expect(at(['roles', 0, 'trust', 0, 'user'])).toEqual({ line: 7, column: 15 });
  });

  it('points at the key when asked', () => {
    expect(at(['accounts', 0, 'id'], 'key')).toEqual({ line: 3, column: 5 });
    expect(at(['roles', 0, 'trust'], 'key')).toEqual({ line: 6, column: 5 });
  });

  it('points a list item at its first line', () => {
    expect(at(['roles', 0])).toEqual({ line: 5, column: 5 });
    expect(at(['roles', 0, 'trust', 0])).toEqual({ line: 7, column: 9 });
  });

  it('points a missing key at the mapping that lacks it, or the key whose value lacks it', () => {
    expect(at(['roles', 0, 'trust', 0, 'externalId'])).toEqual({ line: 7, column: 9 });
    expect(at(['accounts', 0, 'region'])).toEqual({ line: 2, column: 5 });
  });

  it('points a key with no value at the key', () => {
    expect(at(['roles', 0, 'empty'])).toEqual({ line: 9, column: 5 });
  });

  it('gives 1:1 for the whole document or a file without YAML', () => {
    expect(at([])).toEqual({ line: 1, column: 1 });
    const empty = parseSource('empty.yaml', '/empty.yaml', '');
    expect(locate(empty.source, { file: 'empty.yaml', path: ['a', 0] })).toEqual({ line: 1, column: 1 });
  });

  it('never throws, whatever the text and path, and stays within the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(5)), { maxLength: 6 }),
        (text, path) => {
          const source = parseSource('f.yaml', '/f.yaml', text).source;
          const { line, column } = locate(source, { file: 'f.yaml', path });
          expect(line).toBeGreaterThanOrEqual(1);
          expect(column).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(text.split('\n').length + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseSource', () => {
  it('turns YAML errors into findings with their own position, and gives no config', () => {
    const broken = parseSource('bad.yaml', '/bad.yaml', 'roles:\n  - name: a\n   trust: []\n');
    expect(broken.config).toBeUndefined();
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(broken.diagnostics[0]).toMatchObject({ severity: 'error', rule: 'yaml-syntax', position: { line: 3 } });
  });

  it('reports a duplicate key', () => {
    const dup = parseSource('dup.yaml', '/dup.yaml', 'users:\n  - name: a\n    name: b\n');
    expect(dup.diagnostics.map((d) => [d.rule, d.position?.line])).toEqual([['yaml-syntax', 3]]);
    expect(dup.diagnostics[0]!.message).toMatch(/merge the two or remove one/);
  });

  it('refuses a second document in one file', () => {
    const two = parseSource('two.yaml', '/two.yaml', 'users: []\n---\nroles: []\n');
    expect(two.diagnostics.map((d) => [d.rule, d.position?.line])).toEqual([['yaml-multiple-documents', 2]]);
  });

  it('keeps the source text of scalars: a bare account id keeps its leading zero', () => {
    const file = parseSource('ids.yaml', '/ids.yaml', 'accounts:\n  - id: 012345678901\n');
    expect(file.config?.scalarText(['accounts', 0, 'id'])).toBe('012345678901');
    expect((file.config?.value as { accounts: { id: unknown }[] }).accounts[0]!.id).toBe(12345678901);
  });

  it('reports an alias to an undefined anchor as a finding, not an exception', () => {
    const alias = parseSource('a.yaml', '/a.yaml', 'users:\n  - *missing\n');
    expect(alias.config).toBeUndefined();
    expect(alias.diagnostics.map((d) => d.rule)).toEqual(['yaml-syntax']);
  });

  it('takes an empty file as declaring nothing', () => {
    expect(parseSource('e.yaml', '/e.yaml', '# nothing yet\n')).toMatchObject({ diagnostics: [], config: { value: null } });
  });
});
