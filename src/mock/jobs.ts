/**
 * The jobs a mock serves: each job's checkpoints and the `fine_tuning.job` object that
 * `GET /fine_tuning/jobs/{id}` and `GET /fine_tuning/jobs` answer with. A job with a `tickMs`
 * is still training: it shows its checkpoints one at a time, oldest first, from the first request
 * for it, and reaches its status with the last one.
 */
import { checkFineTuningJobWhole } from '../../generated/checkpoints.checks.js';
import type { FineTuningJob, FineTuningJobCheckpoint, FineTuningJobStatus } from '../types.js';
import { DEMO_MODEL, DEMO_START_TIME } from './generate.js';
import { indexCheckpoints, oldest, type JobCheckpoints } from './store.js';
import { MAX_TIMER_DELAY_MS } from './timers.js';
import type { MockJob, MockJobs } from './types.js';

/** One job as the mock holds it, checked. */
export interface JobEntry {
  readonly id: string;
  /** Every checkpoint it will have, newest first. */
  readonly checkpoints: JobCheckpoints;
  /** The status it has once it has all its checkpoints. */
  readonly status: FineTuningJobStatus;
  readonly model: string;
  readonly error: string | undefined;
  readonly tickMs: number | undefined;
}

/** What a job looks like at one moment: the checkpoints it has made, and its object. */
interface JobView {
  readonly checkpoints: JobCheckpoints;
  readonly job: FineTuningJob;
}

/** What the message of a failed job says when its `error` is not given. */
const DEFAULT_FAILURE_MESSAGE = 'The mock fine-tuning job failed, as it was told to.';

/** Seconds between a job's creation and its first checkpoint, and its last one and its end. */
const MARGIN_SECONDS = 60;

const JOB_KEYS = ['checkpoints', 'status', 'model', 'error', 'tickMs'];

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

function asMockJob(value: FineTuningJobCheckpoint[] | MockJob, where: string): MockJob {
  if (Array.isArray(value)) return { checkpoints: value };
  if (typeof value !== 'object' || value === null || !Array.isArray(value.checkpoints)) {
    throw new TypeError(
      `${where} must be an array of checkpoints or { checkpoints, status?, model?, error?, tickMs? }`,
    );
  }
  const unknown = Object.keys(value).find((key) => !JOB_KEYS.includes(key));
  if (unknown !== undefined) {
    throw new TypeError(`${where} has an unknown key ${JSON.stringify(unknown)}`);
  }
  for (const key of ['status', 'model', 'error'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      throw new TypeError(`${where}.${key} must be a string, got ${typeof value[key]}`);
    }
  }
  if (value.model === '') throw new TypeError(`${where}.model must not be empty`);
  const { tickMs } = value;
  if (
    tickMs !== undefined &&
    !(Number.isInteger(tickMs) && tickMs >= 1 && tickMs <= MAX_TIMER_DELAY_MS)
  ) {
    throw new RangeError(
      `${where}.tickMs must be an integer from 1 to ${MAX_TIMER_DELAY_MS} ms, got ${String(tickMs)}`,
    );
  }
  return value;
}

/**
 * `ft:<model>:…` without its `:ckpt-step-N`: the name the API gives the model a job ends with,
 * read off its last checkpoint.
 */
function fineTunedModelOf(entry: JobEntry): string {
  const last = entry.checkpoints.ordered[0]?.fine_tuned_model_checkpoint;
  const stripped = last?.replace(/:ckpt-step-\d+$/, '');
  return stripped !== undefined && stripped !== last ? stripped : `ft:${entry.model}:my-org::mock`;
}

/** The job's object, with `status`. */
function jobObject(entry: JobEntry, status: FineTuningJobStatus): FineTuningJob {
  const { ordered } = entry.checkpoints;
  const first = ordered.at(-1)?.created_at ?? DEMO_START_TIME + MARGIN_SECONDS;
  const last = ordered[0]?.created_at ?? first;
  const succeeded = status === 'succeeded';
  const message = entry.error ?? (status === 'failed' ? DEFAULT_FAILURE_MESSAGE : undefined);
  const auto = { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' } as const;
  return {
    object: 'fine_tuning.job',
    id: entry.id,
    model: entry.model,
    created_at: first - MARGIN_SECONDS,
    finished_at: TERMINAL.has(status) ? last + MARGIN_SECONDS : null,
    fine_tuned_model: succeeded ? fineTunedModelOf(entry) : null,
    organization_id: 'org-mock',
    result_files: succeeded ? ['file-mock-results'] : [],
    status,
    validation_file: 'file-mock-validation',
    training_file: 'file-mock-training',
    hyperparameters: auto,
    trained_tokens: succeeded ? (ordered[0]?.step_number ?? 0) * 1024 : null,
    error:
      message === undefined || (status !== 'failed' && status !== 'cancelled')
        ? null
        : { code: status === 'failed' ? 'job_failed' : 'job_cancelled', message, param: null },
    seed: 0,
    estimated_finish: null,
    method: { type: 'supervised', supervised: { hyperparameters: auto } },
    metadata: null,
  };
}

/**
 * One job, checked and indexed (its checkpoints copied, never mutated). `where` names it in
 * errors, e.g. `jobs["ftjob-a"]`.
 *
 * @throws TypeError for a job of the wrong shape (a status the spec does not have, two
 * checkpoints with one id), RangeError for a `tickMs` out of range.
 */
export function jobEntry(
  id: string,
  value: FineTuningJobCheckpoint[] | MockJob,
  where = `jobs[${JSON.stringify(id)}]`,
): JobEntry {
  const job = asMockJob(value, where);
  const entry: JobEntry = {
    id,
    checkpoints: indexCheckpoints(job.checkpoints, where),
    status: job.status ?? 'succeeded',
    model: job.model ?? DEMO_MODEL,
    error: job.error,
    tickMs: job.tickMs,
  };
  // The spec's own check, generated from it: a status it does not list is refused here, not
  // served.
  const problem = checkFineTuningJobWhole(jobObject(entry, entry.status));
  if (problem !== undefined) throw new TypeError(`${where}: ${problem}`);
  return entry;
}

/**
 * Checks and indexes the jobs given to the server ({@link jobEntry}).
 *
 * A `Map` keyed by job id, not the input object, so that ids such as `constructor` or
 * `__proto__` do not resolve to inherited properties.
 */
export function indexJobs(jobs: MockJobs): Map<string, JobEntry> {
  const index = new Map<string, JobEntry>();
  for (const [id, value] of Object.entries(jobs)) index.set(id, jobEntry(id, value));
  return index;
}

/**
 * The jobs newest first, as `GET /fine_tuning/jobs` lists them: by `created_at` descending (the
 * same whatever a job has made so far), ties in the order given.
 */
export function newestJobsFirst(index: ReadonlyMap<string, JobEntry>): JobEntry[] {
  const createdAt = (entry: JobEntry) => jobObject(entry, entry.status).created_at;
  return [...index.values()].sort((a, b) => createdAt(b) - createdAt(a));
}

/**
 * The job `elapsedMs` after the first request for it (`undefined`: none yet). A job without a
 * `tickMs` has everything from the start.
 */
export function viewJob(entry: JobEntry, elapsedMs: number | undefined): JobView {
  const all = entry.checkpoints;
  if (entry.tickMs === undefined) return { checkpoints: all, job: jobObject(entry, entry.status) };
  const made = Math.min(all.ordered.length, Math.floor((elapsedMs ?? 0) / entry.tickMs));
  const done = made === all.ordered.length && elapsedMs !== undefined;
  const checkpoints = oldest(all, made);
  return { checkpoints, job: jobObject(entry, done ? entry.status : 'running') };
}

/**
 * When the clock of each growing job started: at the first request for it. Owned by one server.
 */
export interface JobClocks {
  /** Milliseconds since the first request for `jobId`, starting its clock now if need be. */
  start(jobId: string): number;
  /** Milliseconds since the first request for `jobId`, or `undefined` when none came yet. */
  peek(jobId: string): number | undefined;
}

/** Clocks read from `now` (milliseconds). */
export function createJobClocks(now: () => number): JobClocks {
  const started = new Map<string, number>();
  const read = (): number => {
    const time = now();
    // Thrown at a request: the server answers it with a 500 that says so, and goes on.
    if (!Number.isFinite(time)) throw new TypeError(`now() returned ${String(time)}, not a time`);
    return time;
  };
  return {
    start(jobId) {
      const time = read();
      if (!started.has(jobId)) started.set(jobId, time);
      return time - (started.get(jobId) ?? time);
    },
    peek(jobId) {
      const at = started.get(jobId);
      return at === undefined ? undefined : read() - at;
    },
  };
}
