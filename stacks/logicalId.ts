/**
 * Terraform logical ids (the NAME in `aws_iam_role.NAME`) built from names,
 * never from positions, so reordering or moving YAML never renames (and so
 * never destroys and re-creates) a resource.
 *
 * Scheme: `KIND` alone, or `KIND_` followed by the names, each encoded, joined
 * by `_-`.
 * - KIND is a fixed word chosen by the emitter (`user`, `role`, `provider`),
 *   `[a-z][a-z0-9-]*`: it starts with a letter as Terraform requires, and has
 *   no `_`, so the first `_` always ends it.
 * - In a name, `[A-Za-z0-9-]` stays as it is; everything else is escaped
 *   with `_` and one character that says which escape it is:
 *     `__`           a literal `_`
 *     `_hh`          a code point up to U+00FF (two lowercase hex digits)
 *     `_uhhhh`       a code point up to U+FFFF (or a lone surrogate)
 *     `_Uhhhhhh`     any other code point
 *   and `_-` separates two names.
 * The character after every `_` is one of `_`, `0-9a-f`, `u`, `U` or `-`,
 * each meaning exactly one thing, so the result decodes back to the kind
 * and the names: the encoding is injective. A plain `_` separator would not
 * be: `["x", "ab"]` and `["x\u00ab"]` would both give `x_ab`.
 *
 * Examples: `role_s3-reader`, `user_alice_40example_2ecom`,
 * `role_deployer_-rolecall-assume-roles`.
 */
export function terraformName(kind: string, ...names: readonly string[]): string {
  if (!KIND.test(kind)) {
    throw new Error(`terraformName: kind ${JSON.stringify(kind)} must match ${KIND}`);
  }
  return names.length === 0 ? kind : `${kind}_${names.map(encodeName).join(SEPARATOR)}`;
}

const KIND = /^[a-z][a-z0-9-]*$/;
const SEPARATOR = '_-';
const KEPT = /^[A-Za-z0-9-]$/;

function encodeName(name: string): string {
  let encoded = '';
  // for..of walks code points; a lone surrogate comes out on its own.
  for (const char of name) {
    if (KEPT.test(char)) encoded += char;
    else if (char === '_') encoded += '__';
    else encoded += escapeCodePoint(char.codePointAt(0) as number);
  }
  return encoded;
}

function escapeCodePoint(codePoint: number): string {
  if (codePoint <= 0xff) return `_${hex(codePoint, 2)}`;
  if (codePoint <= 0xffff) return `_u${hex(codePoint, 4)}`;
  return `_U${hex(codePoint, 6)}`;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
