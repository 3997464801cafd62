/**
 * IAM's `*` (any run of characters) and `?` (any one character) in strings
 * such as token subjects and resource ARNs, read literally otherwise.
 */

export function globMatches(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const body = [...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`).test(value);
}

/**
 * A string both patterns match, if there is one: a concrete resource that
 * stands for what a wildcard ARN in `cannot` and a statement's resource
 * have in common. Shortest first; where both sides are wildcards, "x".
 * Breadth first over pairs of positions, so each pair is visited once.
 */
export function commonWitness(a: string, b: string): string | undefined {
  const key = (i: number, j: number) => i * (b.length + 1) + j;
  const parent = new Map<number, { from: number; char: string }>();
  const start = key(0, 0);
  parent.set(start, { from: -1, char: '' });
  const queue: [number, number][] = [[0, 0]];
  const visit = (from: number, i: number, j: number, char: string) => {
    const k = key(i, j);
    if (parent.has(k)) return;
    parent.set(k, { from, char });
    // Empty moves go first so that shorter witnesses are found first.
    if (char === '') queue.unshift([i, j]);
    else queue.push([i, j]);
  };
  while (queue.length > 0) {
    const [i, j] = queue.shift()!;
    const here = key(i, j);
    if (i === a.length && j === b.length) return spell(parent, here);
    if (a[i] === '*') visit(here, i + 1, j, '');
    if (b[j] === '*') visit(here, i, j + 1, '');
    if (i === a.length || j === b.length) continue;
    const left = a[i]!;
    const right = b[j]!;
    const wild = (c: string) => c === '*' || c === '?';
    let char: string | undefined;
    if (wild(left) && wild(right)) char = 'x';
    else if (wild(left)) char = right;
    else if (wild(right) || left === right) char = left;
    if (char === undefined) continue;
    visit(here, left === '*' ? i : i + 1, right === '*' ? j : j + 1, char);
  }
  return undefined;
}

function spell(parent: ReadonlyMap<number, { from: number; char: string }>, end: number): string {
  const chars: string[] = [];
  for (let at = end; at !== -1; at = parent.get(at)!.from) chars.push(parent.get(at)!.char);
  return chars.reverse().join('');
}
