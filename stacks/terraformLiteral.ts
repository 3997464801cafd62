/**
 * Terraform reads every string of a `.tf.json` file as a template: `${...}`
 * is an expression (`${file("/proc/self/environ")}` reads a file of the
 * machine running the plan) and `%{...}` a directive. Text from the YAML is
 * data, never code, so it reaches Terraform through `terraformLiteral`,
 * which Terraform reads back as exactly the text given.
 *
 * cdktf adds a second reader: before writing the JSON it scans every string
 * for its own token markers (`${TfToken[TOKEN.0]}`, and `#{TfToken[`,
 * `&{TfToken[` for lists and maps) and replaces them with references, or
 * crashes on an unknown number. A marker in the YAML is broken up with an
 * empty interpolation `${""}`, which Terraform reads as nothing.
 */
export function terraformLiteral(text: string): string {
  // Functions, not replacement strings, in which `$$` would mean `$`.
  return text
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{')
    .replace(/\{TfToken\[/g, () => '{${""}TfToken[');
}

/** Plain data for a resource's arguments: strings, numbers, booleans, lists, records, undefined. */
export type LiteralData = string | number | boolean | undefined | readonly LiteralData[] | { readonly [key: string]: LiteralData };

/**
 * Every string in `value` (record keys included) as a Terraform literal.
 * Only plain data: a construct or a token object here is a bug, since
 * references must not be escaped and walking a construct never ends.
 */
export function terraformLiterals<T>(value: T): T {
  return literalsOf(value as LiteralData) as T;
}

function literalsOf(value: LiteralData): LiteralData {
  if (typeof value === 'string') return terraformLiteral(value);
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(literalsOf);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new Error(`terraformLiterals: a ${value.constructor.name} is not plain data; pass references apart`);
  }
  return Object.fromEntries(
    Object.entries(value as { readonly [key: string]: LiteralData }).map(([key, item]) => [terraformLiteral(key), literalsOf(item)]),
  );
}
