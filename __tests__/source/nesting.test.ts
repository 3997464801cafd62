/** Hostile nesting is a finding at its place, never a stack overflow or an exhausted heap. */
import { MAX_NESTING, parseSource, tooDeep } from '../../src/source/sourceFile';

describe('nesting depth', () => {
  it.each([
    ['flow sequences', (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['flow mappings', (n: number) => `a: ${'{b: '.repeat(n)}${'}'.repeat(n)}\n`],
    ['a chain of block sequence items', (n: number) => `a:\n  ${'- '.repeat(n)}x\n`],
  ])('%s: fine at the limit, one finding past it, even at 100,000 levels', (_name, nest) => {
    expect(tooDeep(nest(MAX_NESTING))).toBeUndefined();
    expect(parseSource('f.yaml', '/f.yaml', nest(MAX_NESTING)).diagnostics).toEqual([]);
    const deep = parseSource('f.yaml', '/f.yaml', nest(100_000));
    expect(deep.config).toBeUndefined();
    expect(deep.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'yaml-syntax', message: expect.stringMatching(/more than 256 levels/) }),
    ]);
    expect(deep.diagnostics[0]!.position!.line).toBe(nest(1).startsWith('a:\n') ? 2 : 1);
  });

  it('brackets inside quotes and comments do not count', () => {
    const text = `a: "${'['.repeat(1000)}"\nb: '${'{'.repeat(1000)}'\n# ${'['.repeat(1000)}\n`;
    expect(tooDeep(text)).toBeUndefined();
    expect(parseSource('f.yaml', '/f.yaml', text).diagnostics).toEqual([]);
  });
});
