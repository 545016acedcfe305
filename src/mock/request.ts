/**
 * Reading an incoming request: its route, query, headers and bearer token. Works on the raw
 * request target, never on a normalised URL, so what a client actually sent (an encoded `..`, a
 * trailing slash) is what gets routed and recorded.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { MockOperation } from './types.js';

/** The path prefix every route lives under, as in the spec's server URL `.../v1`. */
export const BASE_PATH = '/v1';

/** Where a request path points. */
export type Route =
  | { kind: 'checkpoints'; jobId: string }
  | { kind: 'job'; jobId: string }
  | { kind: 'jobs' }
  /** Not a path the mock serves (404). */
  | { kind: 'unknown' };

/** The operation of the spec each route serves, by its operationId. */
export const OPERATION_OF_ROUTE = {
  checkpoints: 'listFineTuningJobCheckpoints',
  job: 'retrieveFineTuningJob',
  jobs: 'listPaginatedFineTuningJobs',
} as const satisfies Record<Exclude<Route['kind'], 'unknown'>, MockOperation>;

/** Splits a request target into its raw path and raw query string. */
export function splitTarget(target: string): { path: string; search: string } {
  const q = target.indexOf('?');
  return q === -1
    ? { path: target, search: '' }
    : { path: target.slice(0, q), search: target.slice(q + 1) };
}

/**
 * Matches `/v1/fine_tuning/jobs`, `/v1/fine_tuning/jobs/{fine_tuning_job_id}` and
 * `/v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints`. The id segment is percent-decoded
 * before use, so `%2E%2E` becomes the literal id `..` (which names no job) rather than a path
 * traversal; an empty id or a malformed escape makes the path unknown.
 */
export function matchRoute(path: string): Route {
  const [empty, base, fineTuning, jobs, raw, checkpoints, ...rest] = path.split('/');
  if (
    empty !== '' ||
    `/${base}` !== BASE_PATH ||
    fineTuning !== 'fine_tuning' ||
    jobs !== 'jobs' ||
    rest.length > 0 ||
    (checkpoints !== undefined && checkpoints !== 'checkpoints')
  ) {
    return { kind: 'unknown' };
  }
  if (raw === undefined) return { kind: 'jobs' };
  if (raw === '') return { kind: 'unknown' };
  let jobId: string;
  try {
    jobId = decodeURIComponent(raw);
  } catch {
    return { kind: 'unknown' };
  }
  return checkpoints === undefined ? { kind: 'job', jobId } : { kind: 'checkpoints', jobId };
}

/**
 * Parses a query string; when a name repeats, the first value wins (as `URLSearchParams#get`
 * does), so the record and the behaviour agree.
 */
export function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  return query;
}

/** Flattens Node's headers into single strings (repeated headers joined with `, `). */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Extracts the token of `Authorization: Bearer <token>`; the scheme is case-insensitive as in
 * RFC 9110. Returns `undefined` when there is no usable bearer token.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
  const token = match?.[1]?.trim();
  return token === undefined || token === '' ? undefined : token;
}
