import fc from 'fast-check';
import { terraformName } from '../../stacks/logicalId';

/** Inverts terraformName; that one exists proves the encoding injective. */
function decode(encoded: string): { kind: string; names: string[] } {
  const split = encoded.indexOf('_');
  if (split < 0) return { kind: encoded, names: [] };
  const names = [''];
  const append = (text: string) => (names[names.length - 1] += text);
  let i = split + 1;
  while (i < encoded.length) {
    if (encoded[i] !== '_') {
      append(encoded[i]);
      i += 1;
      continue;
    }
    const marker = encoded[i + 1];
    if (marker === '_') {
      append('_');
      i += 2;
    } else if (marker === '-') {
      names.push('');
      i += 2;
    } else {
      const [start, digits] = marker === 'u' ? [i + 2, 4] : marker === 'U' ? [i + 2, 6] : [i + 1, 2];
      const hex = encoded.slice(start, start + digits);
      if (hex.length !== digits || !/^[0-9a-f]+$/.test(hex)) throw new Error(`bad escape at ${i} in ${encoded}`);
      append(String.fromCodePoint(parseInt(hex, 16)));
      i = start + digits;
    }
  }
  return { kind: encoded.slice(0, split), names };
}

const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const kinds = fc.constantFrom('user', 'role', 'provider', 'a-b', 'x9');

describe('terraformName', () => {
  test.each([
    [['role', 's3-reader'], 'role_s3-reader'],
    [['user', 'alice'], 'user_alice'],
    [['user', 'ci_bot'], 'user_ci__bot'],
    [['user', 'alice@example.com'], 'user_alice_40example_2ecom'],
    [['user', 'a+b=c,d'], 'user_a_2bb_3dc_2cd'],
    [['role', 'deployer', 'rolecall-assume-roles'], 'role_deployer_-rolecall-assume-roles'],
    [['role', 'x', 'arn:aws:iam::aws:policy/ReadOnlyAccess'], 'role_x_-arn_3aaws_3aiam_3a_3aaws_3apolicy_2fReadOnlyAccess'],
    [['role', '3-tier'], 'role_3-tier'],
    [['role', 'é'], 'role__e9'],
    [['role', 'Ω'], 'role__u03a9'],
    [['role', '😀'], 'role__U01f600'],
    [['role'], 'role'],
    [['role', ''], 'role_'],
    [['role', '', ''], 'role__-'],
  ])('%j -> %s', (parts, expected) => {
    const [kind, ...names] = parts;
    expect(terraformName(kind, ...names)).toBe(expected);
  });

  test('names that a plain `_` join would confuse stay apart', () => {
    expect(terraformName('role', 'x', 'ab')).not.toBe(terraformName('role', 'x\u00ab'));
    expect(terraformName('role', 'a_', 'b')).not.toBe(terraformName('role', 'a', '_b'));
    expect(terraformName('role', 'a-b')).not.toBe(terraformName('role', 'a', 'b'));
  });

  test.each(['', 'User', '9role', 'role_x', 'rôle'])('refuses kind %j', (kind) => {
    expect(() => terraformName(kind, 'x')).toThrow(/kind/);
  });

  test('is always a valid Terraform identifier and decodes back (any code points, lone surrogates too)', () => {
    fc.assert(
      fc.property(kinds, fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (kind, names) => {
        const encoded = terraformName(kind, ...names);
        expect(encoded).toMatch(TERRAFORM_IDENTIFIER);
        expect(decode(encoded)).toEqual({ kind, names });
      }),
      { numRuns: 1000 },
    );
  });

  test('distinct inputs never collide, over an alphabet chosen to tempt collisions', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', 'b', '_', '-', '\u00ab', '\u00e9', 'u', 'U', '0'), maxLength: 5 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(kinds, fc.array(tricky, { maxLength: 3 })), {
          minLength: 2,
          maxLength: 60,
          selector: (input) => JSON.stringify(input),
        }),
        (inputs) => {
          const outputs = new Set(inputs.map(([kind, names]) => terraformName(kind, ...names)));
          expect(outputs.size).toBe(inputs.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
