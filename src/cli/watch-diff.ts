/**
 * What `watch` prints after a poll: the checkpoints it has not printed before. Pure, so the
 * "never repeats, never misses" promise is tested without a clock or a server.
 *
 * The API lists newest first, so new checkpoints are at the top of the first page. A poll reads
 * pages until one holds a checkpoint already seen (everything after it is older, and was seen)
 * or the last page; only a poll that finds a whole page of new checkpoints reads a second page.
 */
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';

/** What one page of a poll adds. */
export interface PageDiff {
  /** Checkpoints not seen before (nor earlier in this poll), in server order. */
  readonly fresh: Checkpoint[];
  /** Whether the page reached checkpoints already seen: no need to read further. */
  readonly reachedSeen: boolean;
}

/**
 * Compares one page of a poll with what was printed before (`seen`) and what this poll already
 * found (`found`, ids). Neither set is changed.
 */
export function diffPage(
  seen: ReadonlySet<string>,
  found: ReadonlySet<string>,
  page: readonly Checkpoint[],
): PageDiff {
  const fresh: Checkpoint[] = [];
  const inPage = new Set<string>();
  for (const checkpoint of page) {
    if (seen.has(checkpoint.id) || found.has(checkpoint.id) || inPage.has(checkpoint.id)) continue;
    inPage.add(checkpoint.id);
    fresh.push(checkpoint);
  }
  return { fresh, reachedSeen: page.some((checkpoint) => seen.has(checkpoint.id)) };
}

/** The new checkpoints of a poll in the order they are printed: oldest first (reverse order). */
export function inPrintOrder(fresh: readonly Checkpoint[]): Checkpoint[] {
  return [...fresh].reverse();
}
