/**
 * Whether a resource pattern of a policy can name a resource of a type, from
 * the type's documented ARN format (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`):
 * is there one ARN both describe? Both sides are patterns, so this is an
 * intersection of two globs, part by part as IAM compares ARNs.
 *
 * In the policy pattern `*` is any run and `?` any one character within a
 * part, `${*}`, `${?}`, `${$}` are literal, and a policy variable
 * (`${aws:username}`) may be anything. In the format every `${Name}` is a
 * value of at least one character, which may hold a `/` (role paths, object
 * keys, secret and log group names do) unless it is a name that never can:
 * a bucket name, so `bucket/*` is no bucket.
 */
export function patternFitsFormat(pattern: string, format: string): boolean {
  if (pattern === '*') return true;
  const patternParts = arnParts(pattern);
  const formatParts = arnParts(format);
  if (patternParts.length !== 6 || formatParts.length !== 6) return false;
  return patternParts.every((part, i) => globsIntersect(policyTokens(part), formatTokens(formatParts[i]!)));
}

/** Whether two action patterns (`ec2:Create*`, `ec2:*Vpc*`) can match one action: case-insensitive, as IAM matches actions. */
export function actionPatternsOverlap(a: string, b: string): boolean {
  return globsIntersect(policyTokens(a), policyTokens(b));
}

/** `one` and `any` stand for one character and for any run; `slash: false` ones never hold a `/`. */
type Token = { readonly kind: 'char'; readonly char: string } | { readonly kind: 'one' | 'any'; readonly slash: boolean };

const ANY: Token = { kind: 'any', slash: true };
const ONE: Token = { kind: 'one', slash: true };
const char = (c: string): Token => ({ kind: 'char', char: c.toLowerCase() });

/** Format variables whose values never contain `/`. */
const SLASH_FREE = new Set(['Partition', 'Region', 'Account', 'BucketName']);

/** The six parts of an ARN; a shorter pattern stands for its missing parts with `*` (as policyEvaluation reads it). */
function arnParts(arn: string): string[] {
  const parts = arn.split(':');
  if (parts.length > 6) return [...parts.slice(0, 5), parts.slice(5).join(':')];
  while (parts.length < 6) parts.push('*');
  return parts;
}

function policyTokens(text: string): Token[] {
  return (text.match(/\$\{[^}]*\}|[\s\S]/g) ?? []).map((token) => {
    if (token === '*') return ANY;
    if (token === '?') return ONE;
    if (token === '${*}') return char('*');
    if (token === '${?}') return char('?');
    if (token === '${$}') return char('$');
    if (token.startsWith('${') && token.length > 2) return ANY;
    return char(token);
  });
}

function formatTokens(text: string): Token[] {
  return (text.match(/\$\{[^}]*\}|[\s\S]/g) ?? []).flatMap((token): Token[] => {
    if (!token.startsWith('${') || token.length <= 2) return [char(token)];
    const slash = !SLASH_FREE.has(token.slice(2, -1));
    return [{ kind: 'one', slash }, { kind: 'any', slash }];
  });
}

/** Whether some string matches both token lists: a walk over pairs of positions, each pair visited once. */
function globsIntersect(a: readonly Token[], b: readonly Token[]): boolean {
  const seen = new Set<number>();
  const width = b.length + 1;
  const walk = (i: number, j: number): boolean => {
    const key = i * width + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x?.kind === 'any' && walk(i + 1, j)) return true;
    if (y?.kind === 'any' && walk(i, j + 1)) return true;
    if (x === undefined || y === undefined) return false;
    // A run on one side takes the other side's next character and stays (a run against a run: one of them ends first).
    if (x.kind === 'any') return y.kind !== 'any' && admits(x, y) && walk(i, j + 1);
    if (y.kind === 'any') return admits(y, x) && walk(i + 1, j);
    return admits(x, y) && walk(i + 1, j + 1);
  };
  return walk(0, 0);
}

/** Whether one character can stand for both tokens (neither a run here but `wide`, which may be): a `/` only where both allow it. */
function admits(wide: Token, other: Token): boolean {
  if (wide.kind === 'char' && other.kind === 'char') return wide.char === other.char;
  const slashFree = (t: Token) => t.kind !== 'char' && !t.slash;
  const isSlash = (t: Token) => t.kind === 'char' && t.char === '/';
  // Two classes always share a character that is no slash; a slash needs both to allow one.
  return !((slashFree(wide) && isSlash(other)) || (slashFree(other) && isSlash(wide)));
}
