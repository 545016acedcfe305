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

/**
 * `". Did you mean X?"`, a sentence to end a message with, for the closest candidate; `''` when
 * there is none.
 *
 * @example
 * ```ts
 * `unknown option --limt${didYouMean('limt', ['limit'], '--')}`; // 'unknown option --limt. Did you mean --limit?'
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  const match = closestName(word, candidates);
  return match === undefined ? '' : `. Did you mean ${prefix}${match}?`;
}

/**
 * `a, b or c`: the names a value may take, for a message.
 *
 * @example
 * ```ts
 * anyOf(['table', 'json', 'csv']); // 'table, json or csv'
 * ```
 */
export function anyOf(names: readonly string[]): string {
  return names.length < 2
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * A name that is not one of `candidates`: `unknown <what> "<word>"; expected a, b or c. Did you
 * mean b?` (without the list when `listed` is false: the flags of a command, say).
 *
 * @example
 * ```ts
 * unknownName('command', 'lst', ['list', 'best']); // 'unknown command "lst"; expected list or best. Did you mean list?'
 * ```
 */
export function unknownName(
  what: string,
  word: string,
  candidates: readonly string[],
  listed = true,
): string {
  const expected = listed ? `; expected ${anyOf(candidates)}` : '';
  return `unknown ${what} ${JSON.stringify(word)}${expected}${didYouMean(word, candidates)}`;
}
