/**
 * The checkpoints of each job, in the order the API serves them (newest first), with an id index
 * so that resolving an `after` cursor costs O(1) instead of a scan per page; and the part of them
 * a growing job has made so far.
 */
import type { FineTuningJobCheckpoint } from '../types.js';

/** One job's checkpoints, newest first, and where each id sits in that order. */
export interface JobCheckpoints {
  readonly ordered: readonly FineTuningJobCheckpoint[];
  /** The position of the checkpoint `id` in `ordered`, or `undefined` when it has none. */
  positionOf(id: string): number | undefined;
}

/**
 * Sorts newest first: `created_at` descending, then `step_number` descending. `Array#sort` is
 * stable, so checkpoints equal on both keep their input order.
 */
function newestFirst(a: FineTuningJobCheckpoint, b: FineTuningJobCheckpoint): number {
  return b.created_at - a.created_at || b.step_number - a.step_number;
}

/**
 * Indexes one job's checkpoints (copied, never mutated), newest first; `where` names the job in
 * errors.
 *
 * @throws TypeError when two checkpoints have the same id (cursors would be ambiguous).
 */
export function indexCheckpoints(
  checkpoints: readonly FineTuningJobCheckpoint[],
  where: string,
): JobCheckpoints {
  const ordered = [...checkpoints].sort(newestFirst);
  const indexById = new Map<string, number>();
  ordered.forEach((checkpoint, i) => {
    if (indexById.has(checkpoint.id)) {
      throw new TypeError(`${where} has two checkpoints with id ${JSON.stringify(checkpoint.id)}`);
    }
    indexById.set(checkpoint.id, i);
  });
  return { ordered, positionOf: (id) => indexById.get(id) };
}

/**
 * The `count` oldest checkpoints of `job`: what a growing job has made so far. A cursor naming a
 * checkpoint not made yet names nothing, as it would on the API.
 */
export function oldest(job: JobCheckpoints, count: number): JobCheckpoints {
  const hidden = job.ordered.length - Math.max(0, Math.min(count, job.ordered.length));
  if (hidden === 0) return job;
  return {
    ordered: job.ordered.slice(hidden),
    positionOf(id) {
      const position = job.positionOf(id);
      return position === undefined || position < hidden ? undefined : position - hidden;
    },
  };
}

/** The page of at most `limit` items that follows position `start` (inclusive). */
export function sliceFrom<Item>(
  ordered: readonly Item[],
  start: number,
  limit: number,
): { data: Item[]; hasMore: boolean } {
  const end = start + limit;
  return { data: ordered.slice(start, end), hasMore: end < ordered.length };
}
