/**
 * Checking the options of `createMockServer` before anything listens: every option is of its
 * type and in its range, a delay fits in a timer, and the fault plan is valid. A mistake is a
 * `TypeError` (wrong type, unknown fault field) or a `RangeError` (a number out of range), never
 * a server that misbehaves, or crashes its host, at the first request.
 */
import type { AnswerSettings } from './answer.js';
import { createFaultPicker, type FaultPicker } from './faults.js';
import { createJobClocks, indexJobs, newestJobsFirst } from './jobs.js';
import { MAX_TIMER_DELAY_MS } from './timers.js';
import type { MockServerOptions } from './types.js';

/**
 * How many requests `requests` keeps unless `maxRecordedRequests` says otherwise: the most
 * recent 10,000 (about 10 MB), so a long-running mock does not grow without bound.
 *
 * @example
 * ```ts
 * const mock = await createMockServer({ jobs, maxRecordedRequests: DEFAULT_RECORDED_REQUESTS });
 * ```
 */
export const DEFAULT_RECORDED_REQUESTS = 10_000;

/** The options, checked, with their defaults applied. */
export interface CheckedOptions {
  answer: AnswerSettings;
  latencyMs: number;
  cors: boolean;
  pickFault: FaultPicker;
  /** How many of the most recent requests the log keeps (`Infinity`: all). */
  recordLimit: number;
  port: number;
}

function positiveInteger(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value as number;
}

function delay(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number of milliseconds, got ${typeof value}`);
  }
  if (!(value >= 0 && value <= MAX_TIMER_DELAY_MS)) {
    throw new RangeError(
      `${name} must be from 0 to ${MAX_TIMER_DELAY_MS} ms (the longest a timer holds), got ${String(value)}`,
    );
  }
  return value;
}

function recordLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_RECORDED_REQUESTS;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RangeError(
      `maxRecordedRequests must be an integer >= 0 or Infinity, got ${String(value)}`,
    );
  }
  return value as number;
}

function port(value: unknown): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(value)}`);
  }
  return value as number;
}

function optionalOf<T>(type: string, value: unknown, name: string): T | undefined {
  if (value !== undefined && typeof value !== type) {
    throw new TypeError(`${name} must be a ${type}, got ${String(value)}`);
  }
  return value as T | undefined;
}

function clock(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') {
    throw new TypeError(`now must be a function returning milliseconds, got ${typeof value}`);
  }
  return value as () => number;
}

function seed(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`seed must be a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks `options` and applies the defaults.
 *
 * @throws TypeError or RangeError naming the first bad option.
 */
export function checkOptions(options: MockServerOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createMockServer needs an options object with `jobs`');
  }
  if (typeof options.jobs !== 'object' || options.jobs === null) {
    throw new TypeError('jobs must be an object mapping job ids to checkpoints or jobs');
  }
  const jobs = indexJobs(options.jobs);
  return {
    answer: {
      jobs,
      jobOrder: newestJobsFirst(jobs),
      clocks: createJobClocks(clock(options.now)),
      pageSize: positiveInteger(options.pageSize, 10, 'pageSize'),
      maxLimit: positiveInteger(options.maxLimit, 100, 'maxLimit'),
      apiKey: optionalOf<string>('string', options.apiKey, 'apiKey'),
    },
    latencyMs: delay(options.latencyMs, 'latencyMs'),
    cors: optionalOf<boolean>('boolean', options.cors, 'cors') ?? false,
    pickFault: createFaultPicker(options.faults, seed(options.seed)),
    recordLimit: recordLimit(options.maxRecordedRequests),
    port: port(options.port),
  };
}
