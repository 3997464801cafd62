/** Levenshtein distance, small inputs only (keys, names, action names). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within `maxDistance` edits (case-insensitive), if any. */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (bestDistance <= maxDistance) return best;
  // Singular for plural and the like: one candidate that the word begins (or is begun by).
  const related = [...candidates].filter((c) => {
    const lc = c.toLowerCase();
    return Math.min(lc.length, lower.length) >= 4 && (lc.startsWith(lower.slice(0, -1)) || lower.startsWith(lc.slice(0, -1)));
  });
  return related.length === 1 ? related[0] : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>, maxDistance = 2): string {
  const match = closest(word, candidates, maxDistance);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
