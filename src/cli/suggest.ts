/**
 * "Did you mean …?": the closest of a set of valid names to a mistyped one, for usage errors.
 */

/** The edit distance (insertions, deletions, substitutions) between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  // One row of the classic dynamic-programming table at a time: O(|b|) memory.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, or `undefined` when none is close enough to be a plausible
 * typo (more than a third of the word would have to change). Ties go to the earlier candidate.
 *
 * @example
 * ```ts
 * closestName('limt', ['limit', 'all', 'format']); // 'limit'
 * closestName('zzz', ['limit']); // undefined
 * ```
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    // A prefix (`--max` for `--max-items`) is as good as one edit: people shorten flags.
    const distance = candidate.startsWith(word) ? 1 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** `"; did you mean X?"` for the closest candidate, or `''` when there is none. */
export function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  const match = closestName(word, candidates);
  return match === undefined ? '' : `; did you mean ${prefix}${match}?`;
}
