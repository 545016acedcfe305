// Robust summaries and fair scheduling for a noisy 2-core machine: medians (not means), and
// contenders interleaved round-robin with a rotating start so drift hits all of them alike.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), min: sorted[0], max: sorted.at(-1), samples: sorted.length };
}

/**
 * Runs `measure(contender)` for `warmup` discarded rounds, then `rounds` recorded ones. Each round
 * runs every contender once, starting one further along the list than the round before.
 * Returns a Map contender → array of measurements.
 */
export async function interleave(contenders, { rounds, warmup = 0 }, measure) {
  const samples = new Map(contenders.map((contender) => [contender, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length];
      const value = await measure(contender);
      if (round >= warmup) samples.get(contender).push(value);
    }
  }
  return samples;
}

/**
 * One table row per contender, in contender order: { id, name, median, min, max, samples,
 * values }. `values` keeps the measurements in round order, so ratios can be taken round by round.
 */
export function toRows(contenders, samples) {
  return contenders.map((c) => ({
    id: c.id,
    name: c.name,
    ...summarize(samples.get(c)),
    values: samples.get(c),
  }));
}

/**
 * The same rows from a child process's answer `{ [id]: measurements in round order }`, with each
 * id's name from `contenders`.
 */
export function rowsById(ids, values, contenders) {
  return ids.map((id) => ({
    id,
    name: contenders[id].name,
    ...summarize(values[id]),
    values: values[id],
  }));
}

/** The median of the per-round differences between `id` and `baseId` (same rounds). */
export function medianOver(values, id, baseId) {
  return median(values[id].map((value, round) => value - values[baseId][round]));
}
