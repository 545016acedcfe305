/**
 * Reading the jobs a mock serves from a JSON file (`ft-checkpoints mock --jobs file.json`). Each
 * job is either a list of checkpoints or an object: a recipe for {@link generateCheckpoints} or a
 * list of `checkpoints`, and what the file says about the job (`status`, `model`, `error`,
 * `tickMs`, as in {@link MockJob}).
 */
import { open, stat } from 'node:fs/promises';
import { generateCheckpoints, type GenerateCheckpointsOptions } from './generate.js';
import { checkFineTuningJobCheckpointWhole } from '../../generated/checkpoints.checks.js';
import type { FineTuningJobCheckpoint } from '../types.js';
import { jobEntry } from './jobs.js';
import type { MockJob, MockJobs } from './types.js';

/**
 * Thrown for a jobs file that cannot be read or does not have the expected shape; its message is
 * one line naming the file, the job and the field.
 *
 * @example
 * ```ts
 * try {
 *   await loadJobsFile('jobs.json');
 * } catch (error) {
 *   if (error instanceof JobsFileError) console.error(error.message);
 * }
 * ```
 */
export class JobsFileError extends Error {
  /** Always `'JobsFileError'`, even when a bundler renames the class. */
  override name = 'JobsFileError';
}

/**
 * What one jobs file may ask the mock to hold: checkpoints over all its jobs (each costs about
 * 1 KB of heap, so the bound is ~200 MB) and bytes of file. More is refused with a one-line
 * error rather than ending the process out of memory.
 *
 * @example
 * ```ts
 * const count = Math.min(wanted, JOBS_FILE_LIMITS.checkpoints);
 * ```
 */
export const JOBS_FILE_LIMITS = Object.freeze({
  /** The most checkpoints one jobs file may hold or generate, over all its jobs. */
  checkpoints: 200_000,
  /** The largest jobs file read, in bytes (64 MiB). */
  bytes: 64 * 1024 * 1024,
});

/** Keys a generation recipe may have: the options of generateCheckpoints except jobId. */
const RECIPE_KEYS = ['count', 'seed', 'stepsPerCheckpoint', 'model', 'startTime'];
/** Keys that say something about the job itself (`model` is both: the job's, and its checkpoints'). */
const JOB_KEYS = ['status', 'model', 'error', 'tickMs'] as const;
/** Every key a job's object may have. */
const OBJECT_KEYS = [...RECIPE_KEYS, 'checkpoints', ...JOB_KEYS.filter((key) => key !== 'model')];

function recipe(
  jobId: string,
  value: Record<string, unknown>,
  where: string,
): GenerateCheckpointsOptions {
  const { count, seed, stepsPerCheckpoint, model, startTime } = value;
  if (!Number.isInteger(count) || (count as number) < 0) {
    throw new JobsFileError(`${where}.count must be an integer >= 0`);
  }
  if ((count as number) > JOBS_FILE_LIMITS.checkpoints) {
    throw new JobsFileError(
      `${where}.count ${count} is more than a mock holds (at most ${JOBS_FILE_LIMITS.checkpoints} checkpoints per jobs file)`,
    );
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new JobsFileError(`${where}.seed must be an integer`);
  }
  if (
    stepsPerCheckpoint !== undefined &&
    !(Number.isInteger(stepsPerCheckpoint) && (stepsPerCheckpoint as number) > 0)
  ) {
    throw new JobsFileError(`${where}.stepsPerCheckpoint must be a positive integer`);
  }
  if (model !== undefined && (typeof model !== 'string' || model === '')) {
    throw new JobsFileError(`${where}.model must be a non-empty string`);
  }
  if (startTime !== undefined && !Number.isInteger(startTime)) {
    throw new JobsFileError(`${where}.startTime must be an integer (Unix seconds)`);
  }
  const options: GenerateCheckpointsOptions = { jobId, count: count as number };
  if (seed !== undefined) options.seed = seed as number;
  if (stepsPerCheckpoint !== undefined) options.stepsPerCheckpoint = stepsPerCheckpoint as number;
  if (model !== undefined) options.model = model as string;
  if (startTime !== undefined) options.startTime = startTime as number;
  return options;
}

function checkpoints(jobId: string, list: unknown[], where: string): FineTuningJobCheckpoint[] {
  // The spec's schema, by the check the pipeline generates (generated/, never a copy): every
  // field present must have its type, optional ones included, since the mock serves the data as
  // it is; and an id a listing can page by, as the client demands of every item.
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const problem =
      checkFineTuningJobCheckpointWhole(item) ??
      ((item as FineTuningJobCheckpoint).id === ''
        ? '`id`: expected a non-empty string'
        : undefined);
    if (problem !== undefined) throw new JobsFileError(`${where}[${i}]: ${problem}`);
    const checkpoint = item as FineTuningJobCheckpoint;
    // The API never lists another job's checkpoint; a mismatch is almost surely a paste error.
    if (checkpoint.fine_tuning_job_id !== jobId) {
      throw new JobsFileError(
        `${where}[${i}].fine_tuning_job_id is ${JSON.stringify(checkpoint.fine_tuning_job_id)}, expected ${JSON.stringify(jobId)}`,
      );
    }
    if (seen.has(checkpoint.id)) {
      throw new JobsFileError(`${where}[${i}].id ${JSON.stringify(checkpoint.id)} is a duplicate`);
    }
    seen.add(checkpoint.id);
  });
  return list as FineTuningJobCheckpoint[];
}

/**
 * Validates parsed jobs-file content and expands generation recipes.
 *
 * @param value - the parsed JSON: `{ "<jobId>": [checkpoint, ...] | { "count": N, "seed"?: S, ... }
 * | { "checkpoints": [...], "status"?: "failed", ... } }`. A job that says nothing but its
 * checkpoints comes back as their array, any other as a {@link MockJob}.
 * @param source - names the input in error messages, e.g. the file path.
 * @throws JobsFileError describing the first problem found.
 * @example
 * ```ts
 * const jobs = parseJobs({ 'ftjob-a': { count: 500, seed: 7 } }, 'inline');
 * const mock = await createMockServer({ jobs });
 * ```
 */
export function parseJobs(value: unknown, source = 'jobs'): MockJobs {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JobsFileError(
      `${source}: expected an object mapping job ids to checkpoint arrays or job objects`,
    );
  }
  // Every entry is checked and counted before anything is generated: the bound must hold
  // before the memory is spent.
  const entries: [string, FileJob][] = [];
  let total = 0;
  for (const [jobId, entry] of Object.entries(value)) {
    if (jobId === '') throw new JobsFileError(`${source}: a job id must not be empty`);
    const job = fileJob(jobId, entry, `${source}: ${JSON.stringify(jobId)}`);
    entries.push([jobId, job]);
    total += Array.isArray(job.source) ? job.source.length : job.source.count;
    if (total > JOBS_FILE_LIMITS.checkpoints) {
      throw new JobsFileError(
        `${source}: more than ${JOBS_FILE_LIMITS.checkpoints} checkpoints in all (at ${JSON.stringify(jobId)}); a mock holds at most that many`,
      );
    }
  }
  const jobs = entries.map(([jobId, { source: from, about }]): [string, MockJobs[string]] => {
    const where = `${source}: ${JSON.stringify(jobId)}`;
    const list = Array.isArray(from) ? checkpoints(jobId, from, where) : generateCheckpoints(from);
    if (Object.keys(about).length === 0) return [jobId, list];
    const job: MockJob = { checkpoints: list, ...about };
    try {
      // The job as the mock will hold it: a status the spec does not list is caught here.
      jobEntry(jobId, job, where);
    } catch (error) {
      throw new JobsFileError(error instanceof Error ? error.message : String(error));
    }
    return [jobId, job];
  });
  // fromEntries defines own properties, so even a job named "__proto__" survives.
  return Object.fromEntries(jobs);
}

/** One job of a file, read: where its checkpoints come from, and what it says about the job. */
interface FileJob {
  source: unknown[] | GenerateCheckpointsOptions;
  about: Omit<MockJob, 'checkpoints'>;
}

/** Reads one entry of a jobs file, checking its keys and their types. */
function fileJob(jobId: string, entry: unknown, where: string): FileJob {
  if (Array.isArray(entry)) return { source: entry, about: {} };
  if (typeof entry !== 'object' || entry === null) {
    throw new JobsFileError(
      `${where} must be an array of checkpoints or an object ({ "count": N } or { "checkpoints": [...] }, with "status", "model", "error", "tickMs")`,
    );
  }
  const object = entry as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!OBJECT_KEYS.includes(key)) {
      throw new JobsFileError(
        `${where}: unknown key ${JSON.stringify(key)} (expected ${OBJECT_KEYS.join(', ')})`,
      );
    }
  }
  const listed = object.checkpoints;
  const given = RECIPE_KEYS.filter((key) => key !== 'model' && object[key] !== undefined);
  if (listed !== undefined && given.length > 0) {
    throw new JobsFileError(
      `${where}: "checkpoints" and ${JSON.stringify(given[0])} exclude each other`,
    );
  }
  if (listed !== undefined && !Array.isArray(listed)) {
    throw new JobsFileError(`${where}.checkpoints must be an array of checkpoints`);
  }
  const about: Omit<MockJob, 'checkpoints'> = {};
  for (const key of ['status', 'model', 'error'] as const) {
    const text = object[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text === '') {
      throw new JobsFileError(`${where}.${key} must be a non-empty string`);
    }
    // A status the spec does not list is refused by the job's generated check, below.
    (about as Record<typeof key, string>)[key] = text;
  }
  if (object.tickMs !== undefined) {
    if (!Number.isInteger(object.tickMs)) {
      throw new JobsFileError(`${where}.tickMs must be an integer (milliseconds)`);
    }
    about.tickMs = object.tickMs as number;
  }
  return { source: Array.isArray(listed) ? listed : recipe(jobId, object, where), about };
}

/** How much of the file one read asks for. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The file's bytes, counted as they are read: a device, a FIFO or a process substitution
 * (`/dev/zero`, `<(yes)`) has no size to check first, and must not be read past the bound.
 */
async function readBounded(path: string, limit: number): Promise<Buffer> {
  const { size } = await stat(path);
  if (size > limit) {
    throw new JobsFileError(
      `jobs file ${path} is ${size} bytes, more than a mock reads (at most ${limit})`,
    );
  }
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    // One buffer for every read, and a copy of what each brought: a pipe gives 64 KiB at a time.
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let total = 0;
    for (;;) {
      // At most one byte past the bound: enough to tell that there is more.
      const want = Math.min(READ_CHUNK_BYTES, limit + 1 - total);
      const { bytesRead } = await file.read(buffer, 0, want, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      total += bytesRead;
      if (total > limit) {
        throw new JobsFileError(
          `jobs file ${path} holds more than ${limit} bytes, more than a mock reads`,
        );
      }
    }
  } finally {
    await file.close();
  }
}

/**
 * Reads and validates a jobs file for {@link createMockServer}'s `jobs` option. The file is read
 * up to {@link JOBS_FILE_LIMITS}`.bytes` whatever it is (a regular file, a device, a FIFO).
 *
 * @throws JobsFileError when the file is unreadable, larger than the bound, not JSON, or not a
 * valid jobs map.
 * @example
 * ```ts
 * const mock = await createMockServer({ jobs: await loadJobsFile('test/jobs.json') });
 * ```
 */
export async function loadJobsFile(path: string): Promise<MockJobs> {
  let text: string;
  try {
    text = (await readBounded(path, JOBS_FILE_LIMITS.bytes)).toString('utf8');
  } catch (error) {
    if (error instanceof JobsFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobsFileError(`cannot read jobs file ${path}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobsFileError(`${path} is not valid JSON: ${reason}`);
  }
  return parseJobs(value, path);
}
