/**
 * The spec-faithful behaviour of the endpoint: what the API would answer to a request, before any
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
import { bearerToken, type Route } from './request.js';
import type { FineTuningJobCheckpoint, ListFineTuningJobCheckpointsResponse } from '../types.js';
import { sliceFrom, type JobCheckpoints } from './store.js';

/** What the answer depends on besides the request. */
export interface AnswerSettings {
  jobs: ReadonlyMap<string, JobCheckpoints>;
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
function parseLimit(raw: string | undefined, settings: AnswerSettings): number | Reply {
  if (raw === undefined) return settings.pageSize;
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

/** Computes the reply the real API would give. */
export function answer(request: AnswerRequest, settings: AnswerSettings): Outcome {
  const { method, path, route, query } = request;
  if (route.kind === 'unknown') return { reply: invalidUrl(method, path) };
  if (method !== 'GET') return { reply: methodNotAllowed(method, path) };

  const token = bearerToken(request.authorization);
  if (token === undefined || (settings.apiKey !== undefined && token !== settings.apiKey)) {
    return { reply: unauthorized(token) };
  }

  const job = settings.jobs.get(route.jobId);
  if (job === undefined) return { reply: jobNotFound(route.jobId) };

  const limit = parseLimit(query.limit, settings);
  if (typeof limit !== 'number') return { reply: limit };

  let afterIndex = -1;
  if (query.after !== undefined) {
    const found = job.indexById.get(query.after);
    if (found === undefined) {
      return {
        reply: invalidParam(
          'after',
          `Invalid 'after': no checkpoint with id ${JSON.stringify(query.after)} in fine-tuning job ${route.jobId}.`,
          null,
        ),
      };
    }
    afterIndex = found;
  }

  const { data, hasMore } = sliceFrom(job, afterIndex + 1, limit);
  return { reply: pageReply(data, hasMore), page: { job, afterIndex, limit } };
}
