/**
 * The checkpoints of each job, in the order the API serves them (newest first), with an id index
 * so that resolving an `after` cursor costs O(1) instead of a scan per page.
 */
import type { FineTuningJobCheckpoint } from '../types.js';

/** One job's checkpoints, newest first, and where each id sits in that order. */
export interface JobCheckpoints {
  readonly ordered: readonly FineTuningJobCheckpoint[];
  readonly indexById: ReadonlyMap<string, number>;
}

/** A slice of a job's checkpoints, before it is shaped into a response body. */
export interface PageSlice {
  data: FineTuningJobCheckpoint[];
  hasMore: boolean;
}

/**
 * Sorts newest first: `created_at` descending, then `step_number` descending. `Array#sort` is
 * stable, so checkpoints equal on both keep their input order.
 */
function newestFirst(a: FineTuningJobCheckpoint, b: FineTuningJobCheckpoint): number {
  return b.created_at - a.created_at || b.step_number - a.step_number;
}

/**
 * Indexes the jobs given to the server. The input arrays are copied, never mutated.
 *
 * A `Map` keyed by job id, not the input object, so that ids such as `constructor` or
 * `__proto__` do not resolve to inherited properties.
 *
 * @throws TypeError when a job has two checkpoints with the same id (cursors would be ambiguous).
 */
export function indexJobs(
  jobs: Record<string, FineTuningJobCheckpoint[]>,
): Map<string, JobCheckpoints> {
  const index = new Map<string, JobCheckpoints>();
  for (const [jobId, checkpoints] of Object.entries(jobs)) {
    if (!Array.isArray(checkpoints)) {
      throw new TypeError(`jobs[${JSON.stringify(jobId)}] must be an array of checkpoints`);
    }
    const ordered = [...checkpoints].sort(newestFirst);
    const indexById = new Map<string, number>();
    ordered.forEach((checkpoint, i) => {
      if (indexById.has(checkpoint.id)) {
        throw new TypeError(
          `jobs[${JSON.stringify(jobId)}] has two checkpoints with id ${JSON.stringify(checkpoint.id)}`,
        );
      }
      indexById.set(checkpoint.id, i);
    });
    index.set(jobId, { ordered, indexById });
  }
  return index;
}

/** The page of at most `limit` checkpoints that follows position `start` (inclusive). */
export function sliceFrom(job: JobCheckpoints, start: number, limit: number): PageSlice {
  const end = start + limit;
  return { data: job.ordered.slice(start, end), hasMore: end < job.ordered.length };
}
