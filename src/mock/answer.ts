/**
 * The spec-faithful behaviour of the endpoints: what the API would answer to a request, before any
 * fault is injected. Checks run in the order route, method, auth, job, `limit`, `after`, so each
 * request gets the single most fundamental error.
 */
import {
  invalidParam,
  invalidUrl,
  jobNotFound,
  methodNotAllowed,
  unauthorized,
  type Reply,
} from './errors.js';
import { newestJobsFirst, viewJob, type JobClocks, type JobEntry } from './jobs.js';
import { bearerToken, type Route } from './request.js';
import type {
  FineTuningJobCheckpoint,
  ListFineTuningJobCheckpointsResponse,
  ListPaginatedFineTuningJobsResponse,
} from '../types.js';
import { sliceFrom, type JobCheckpoints } from './store.js';

/** What the answer depends on besides the request. */
export interface AnswerSettings {
  jobs: ReadonlyMap<string, JobEntry>;
  /** The jobs as `GET /fine_tuning/jobs` lists them, newest first. */
  jobOrder: readonly JobEntry[];
  /** When the first request for each growing job came. */
  clocks: JobClocks;
  pageSize: number;
  maxLimit: number;
  apiKey: string | undefined;
}

/** The request, as far as the answer is concerned. */
export interface AnswerRequest {
  method: string;
  path: string;
  route: Route;
  query: Record<string, string>;
  authorization: string | undefined;
}

/** A valid page request, kept so a `repeat-cursor` fault can rebuild the page around it. */
export interface PageRequest {
  job: JobCheckpoints;
  /** Position of the `after` checkpoint, or -1 when the request has no `after`. */
  afterIndex: number;
  limit: number;
}

/** The normal reply and, for a successful page, the page request behind it. */
export interface Outcome {
  reply: Reply;
  page?: PageRequest;
}

/** The page size of `GET /fine_tuning/jobs` without a `limit`: the spec's default. */
const JOBS_PAGE_SIZE = 20;

/** Serialises a page in the key order of the API reference's example. */
export function pageReply(data: FineTuningJobCheckpoint[], hasMore: boolean): Reply {
  const body: ListFineTuningJobCheckpointsResponse = {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: hasMore,
  };
  return { status: 200, headers: {}, body: JSON.stringify(body) };
}

/**
 * Parses `limit`. The spec types it as an integer without bounds; like the real API, the mock
 * accepts only 1..maxLimit. Only plain decimal digits count, so `1e1`, `+5` or `2.0` are rejected
 * rather than silently coerced.
 */
function parseLimit(
  raw: string | undefined,
  fallback: number,
  settings: AnswerSettings,
): number | Reply {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    return invalidParam(
      'limit',
      `Invalid 'limit': expected an integer, but got ${JSON.stringify(raw)} instead.`,
      'invalid_type',
    );
  }
  const limit = Number(raw);
  if (limit < 1) {
    return invalidParam(
      'limit',
      `Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${raw} instead.`,
      'integer_below_min_value',
    );
  }
  if (limit > settings.maxLimit) {
    return invalidParam(
      'limit',
      `Invalid 'limit': integer above maximum value. Expected a value <= ${settings.maxLimit}, but got ${raw} instead.`,
      'integer_above_max_value',
    );
  }
  return limit;
}

/**
 * `after` as a position in `positionOf`'s list (-1 without one), or the 400 for an id it does
 * not have, whose message `unknown` words.
 */
function parseAfter(
  after: string | undefined,
  positionOf: (id: string) => number | undefined,
  unknown: (quotedId: string) => string,
): number | Reply {
  if (after === undefined) return -1;
  const found = positionOf(after);
  if (found !== undefined) return found;
  return invalidParam('after', `Invalid 'after': ${unknown(JSON.stringify(after))}.`, null);
}

/**
 * Whether a job passes the query's `metadata` filter (`metadata[k]=v`; `metadata=null` asks for
 * jobs without metadata). The mock's jobs have none, so any `metadata[k]` filter leaves none.
 */
function passesMetadataFilter(query: Record<string, string>): boolean {
  return !Object.keys(query).some((name) => name.startsWith('metadata['));
}

function jsonReply(body: unknown): Reply {
  return { status: 200, headers: {}, body: JSON.stringify(body) };
}

/** `GET /fine_tuning/jobs`: newest first, `after` a job id; no `first_id`/`last_id` (the spec has none). */
function listJobs(query: Record<string, string>, settings: AnswerSettings): Outcome {
  const limit = parseLimit(query.limit, JOBS_PAGE_SIZE, settings);
  if (typeof limit !== 'number') return { reply: limit };
  const order = passesMetadataFilter(query) ? settings.jobOrder : [];
  const after = parseAfter(
    query.after,
    (id) => {
      const at = settings.jobOrder.findIndex((entry) => entry.id === id);
      return at === -1 ? undefined : at;
    },
    (id) => `no fine-tuning job with id ${id}`,
  );
  if (typeof after !== 'number') return { reply: after };
  const { data, hasMore } = sliceFrom(order, after + 1, limit);
  const body: ListPaginatedFineTuningJobsResponse = {
    object: 'list',
    data: data.map((entry) => viewJob(entry, settings.clocks.peek(entry.id)).job),
    has_more: hasMore,
  };
  return { reply: jsonReply(body) };
}

/** `GET /fine_tuning/jobs/{id}/checkpoints`: the checkpoints the job has made so far. */
function listCheckpoints(
  job: JobCheckpoints,
  query: Record<string, string>,
  settings: AnswerSettings,
  jobId: string,
): Outcome {
  const limit = parseLimit(query.limit, settings.pageSize, settings);
  if (typeof limit !== 'number') return { reply: limit };
  const afterIndex = parseAfter(
    query.after,
    job.positionOf,
    (id) => `no checkpoint with id ${id} in fine-tuning job ${jobId}`,
  );
  if (typeof afterIndex !== 'number') return { reply: afterIndex };
  const { data, hasMore } = sliceFrom(job.ordered, afterIndex + 1, limit);
  return { reply: pageReply(data, hasMore), page: { job, afterIndex, limit } };
}

/** Computes the reply the real API would give. */
export function answer(request: AnswerRequest, settings: AnswerSettings): Outcome {
  const { method, path, route, query } = request;
  if (route.kind === 'unknown') return { reply: invalidUrl(method, path) };
  if (method !== 'GET') return { reply: methodNotAllowed(method, path) };

  const token = bearerToken(request.authorization);
  if (token === undefined || (settings.apiKey !== undefined && token !== settings.apiKey)) {
    return { reply: unauthorized(token) };
  }
  if (route.kind === 'jobs') return listJobs(query, settings);

  const entry = settings.jobs.get(route.jobId);
  if (entry === undefined) return { reply: jobNotFound(route.jobId) };
  // The first request for a growing job starts its clock.
  const view = viewJob(entry, settings.clocks.start(route.jobId));
  if (route.kind === 'job') return { reply: jsonReply(view.job) };
  return listCheckpoints(view.checkpoints, query, settings, route.jobId);
}
