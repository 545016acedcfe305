// The error classes. Every error this package throws is a `CheckpointsError`, so a service can
// catch "anything from the checkpoints client" in one clause and narrow with `instanceof`.
//
// Why explicit `name` fields: bundlers rename classes, and `err.name` must stay meaningful in logs.
// Why no request or headers on errors: the request carries `Authorization`; an error only keeps
// what is safe to log (status, ids, the API's message), so `util.inspect(err)` and
// `JSON.stringify(err)` can never print the key.
import type { components } from '../generated/checkpoints.js';
import { checkErrorResponse } from '../generated/checkpoints.checks.js';
import { serverRetryDelay } from './retry.js';

/** The API's error object (`error` in the envelope), as the spec types it. */
export type ApiErrorObject = components['schemas']['Error'];

/**
 * Base class of every error thrown by this package.
 *
 * @example
 * ```ts
 * try {
 *   await client.listCheckpoints(jobId);
 * } catch (error) {
 *   if (error instanceof CheckpointsError) logger.warn(error.toJSON()); // never holds the key
 *   else throw error;
 * }
 * ```
 */
export class CheckpointsError extends Error {
  /** The class's name, even when a bundler renames the class (each subclass sets its own). */
  override name = 'CheckpointsError';

  /** A plain object for structured logs: name, message and this error's own public fields. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'cause') fields[key] = value;
    }
    return fields;
  }
}

/**
 * Input that could never be sent: thrown (or rejected) before any request leaves.
 *
 * @example
 * ```ts
 * // Thrown before anything is sent:
 * await client.listCheckpoints('../admin'); // InvalidArgumentError, argument 'jobId'
 * ```
 */
export class InvalidArgumentError extends CheckpointsError {
  override name = 'InvalidArgumentError';
  /** The argument or option at fault, e.g. `jobId`, `query.limit`, `options.timeoutMs`. */
  declare readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`${argument} ${problem}`);
    this.argument = argument;
  }
}

/** What every error that follows a request knows about it. */
export interface RequestOutcome {
  /** How many attempts were made (1 + retries). */
  attempts: number;
  /** The `x-request-id` of the last response, when one arrived. */
  requestId?: string | undefined;
}

/**
 * What a response says about the request it answers, for an error: its status, its
 * `x-request-id`, and the attempts made (counted by this package's transport; 1 for a response
 * from elsewhere).
 *
 * @example
 * ```ts
 * throw new InvalidResponseError({ ...outcomeOf(response), problem: 'the body is not a page' });
 * ```
 */
export function outcomeOf(response: Response & { readonly attempts?: number }) {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return { status: response.status, requestId, attempts: response.attempts ?? 1 };
}

function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : '';
}

/** Details an `ApiError` is built from. */
export interface ApiErrorInit extends RequestOutcome {
  /** The HTTP status of the response. */
  status: number;
  /** Its status text, when the server sent one. */
  statusText?: string;
  /**
   * The body: its text (parsed here when it is JSON, whatever the content type says, e.g.
   * `application/problem+json`) or a value already parsed.
   */
  body: unknown;
  /** The response's headers, already scrubbed of the key. */
  headers: Headers;
  /** Milliseconds the server asked to wait (`retry-after-ms` / `Retry-After`), if it said. */
  retryAfterMs?: number | undefined;
}

/**
 * The API answered with an error status (after any retries).
 *
 * @example
 * ```ts
 * if (error instanceof ApiError) console.error(error.status, error.code, error.requestId);
 * ```
 */
export class ApiError extends CheckpointsError {
  override name = 'ApiError';
  /** The HTTP status. */
  declare readonly status: number;
  /** The API's error code, e.g. `invalid_api_key`, `fine_tune_not_found`; `null` when absent. */
  declare readonly code: string | null;
  /** The API's error type, e.g. `invalid_request_error`. */
  declare readonly type: string | undefined;
  /** The parameter the API blames, if any. */
  declare readonly param: string | null;
  /** The `x-request-id` response header: quote it to OpenAI support. */
  declare readonly requestId: string | undefined;
  /** How many attempts were made (1 + retries). */
  declare readonly attempts: number;
  /** What the server asked to wait before retrying, in ms, when it said. */
  declare readonly retryAfterMs: number | undefined;
  /** The error object from the body, when the body was the API's envelope. */
  declare readonly error: ApiErrorObject | undefined;

  /** The response headers, e.g. `x-ratelimit-remaining-requests`. */
  declare readonly headers: Headers;

  constructor(init: ApiErrorInit) {
    const body = parsedBody(init.body);
    const error = checkErrorResponse(body) ? undefined : (body as { error: ApiErrorObject }).error;
    super(`${init.status} ${describeBody(init, error)}${attemptsSuffix(init.attempts)}`);
    // In the order the fields are declared, so logs and toJSON list them in that order.
    this.status = init.status;
    this.code = error?.code ?? null;
    this.type = error?.type;
    this.param = error?.param ?? null;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
    this.error = error;
    // Not enumerable: logs (util.inspect, toJSON) never print response headers.
    Object.defineProperty(this, 'headers', { value: init.headers });
  }
}

/**
 * The base of one `ApiError` subclass: `ApiError` with its own `name` (a bundler may rename the
 * class; the name must stay meaningful in logs).
 */
function named(name: string): typeof ApiError {
  return class extends ApiError {
    override name = name;
  };
}

/** A body text parsed when it is JSON; anything else as it is. */
function parsedBody(body: unknown): unknown {
  if (typeof body !== 'string' || !/^\s*[[{]/.test(body)) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** A one-line description even when the body is empty, HTML or truncated. */
function describeBody(init: ApiErrorInit, error: ApiErrorObject | undefined): string {
  if (error) return error.message;
  // The platform's status text ("Bad Gateway"); HTTP/2 has none.
  const reason = init.statusText || 'error';
  // A JSON body that is not the API's envelope (a proxy's problem+json, say) is shown as JSON.
  const body =
    typeof init.body === 'string' || init.body == null ? init.body : JSON.stringify(init.body);
  if (typeof body === 'string' && body.trim() !== '') {
    const text = body.replace(/\s+/g, ' ').trim();
    return `${reason}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
  }
  return `${reason} (empty response body)`;
}

/**
 * 400: the request was malformed (e.g. a bad `limit` or `after`).
 *
 * @example
 * ```ts
 * if (error instanceof BadRequestError) console.error('bad request:', error.param);
 * ```
 */
export class BadRequestError extends named('BadRequestError') {}
/**
 * 401: the API key is missing, wrong or revoked.
 *
 * @example
 * ```ts
 * if (error instanceof AuthenticationError) console.error('check OPENAI_API_KEY');
 * ```
 */
export class AuthenticationError extends named('AuthenticationError') {}
/**
 * 403: the key may not access this job, organization or project.
 *
 * @example
 * ```ts
 * if (error instanceof PermissionDeniedError) console.error('this key cannot read that job');
 * ```
 */
export class PermissionDeniedError extends named('PermissionDeniedError') {}
/**
 * 404: no such fine-tuning job (or no such route).
 *
 * @example
 * ```ts
 * if (error instanceof NotFoundError) console.error(`no job ${jobId} (request ${error.requestId})`);
 * ```
 */
export class NotFoundError extends named('NotFoundError') {}
/**
 * 409: a conflicting request; retried by default.
 *
 * @example
 * ```ts
 * if (error instanceof ConflictError) console.error('conflict, after', error.attempts, 'attempts');
 * ```
 */
export class ConflictError extends named('ConflictError') {}
/**
 * 422: the request was understood but not processable.
 *
 * @example
 * ```ts
 * if (error instanceof UnprocessableEntityError) console.error(error.message);
 * ```
 */
export class UnprocessableEntityError extends named('UnprocessableEntityError') {}
/**
 * 429: rate limited; retried by default, honouring `Retry-After`.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitError) console.error('retry in', error.retryAfterMs, 'ms');
 * ```
 */
export class RateLimitError extends named('RateLimitError') {}
/**
 * 5xx: the server failed; retried by default.
 *
 * @example
 * ```ts
 * if (error instanceof InternalServerError) console.error('OpenAI had a problem:', error.status);
 * ```
 */
export class InternalServerError extends named('InternalServerError') {}

const API_ERROR_BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * The one way an error response becomes an error: the most specific `ApiError`, with the
 * message the body gives (the API's envelope, or any JSON or text), `Retry-After` read once.
 * `attempts` is read from a response of this package's transport (1 otherwise).
 */
export function errorFromResponse(
  response: Response & { readonly attempts?: number },
  body: unknown,
): ApiError {
  const { status, headers } = response;
  const ErrorClass =
    API_ERROR_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : ApiError);
  return new ErrorClass({
    ...outcomeOf(response),
    statusText: response.statusText,
    body,
    headers,
    retryAfterMs: serverRetryDelay(headers),
  });
}

/**
 * No response arrived: refused, reset, DNS failure, closed before the headers. (A body cut off
 * after the headers is an `InvalidResponseError`, retried the same way, because it has a status
 * and a request id to report.)
 *
 * @example
 * ```ts
 * if (error instanceof ConnectionError) console.error('network:', error.cause);
 * ```
 */
export class ConnectionError extends CheckpointsError {
  override name = 'ConnectionError';
  /** How many attempts were made (1 + retries). */
  declare readonly attempts: number;

  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super(`${message}${attemptsSuffix(attempts)}`, options);
    this.attempts = attempts;
  }
}

/**
 * An attempt took longer than `timeoutMs` (reading the body included), and so did every retry;
 * or the caller's `signal` aborted with a `TimeoutError` reason (e.g. `AbortSignal.timeout()`),
 * which is never retried and keeps that reason as `cause`.
 *
 * @example
 * ```ts
 * await client.listCheckpoints(jobId, {}, { timeoutMs: 5_000 }); // TimeoutError after 5 s per attempt
 * ```
 */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
  /** The per-attempt limit that was exceeded, in ms; `undefined` when the caller's signal timed out. */
  declare readonly timeoutMs: number | undefined;

  constructor(timeoutMs: number | undefined, attempts: number, options?: { cause?: unknown }) {
    super(
      timeoutMs === undefined
        ? "request timed out (the caller's signal)"
        : `request timed out after ${timeoutMs} ms`,
      attempts,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The caller's `AbortSignal` fired. Never retried. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const listing = client.listCheckpoints(jobId, {}, { signal: controller.signal });
 * controller.abort('shutting down'); // the listing rejects with AbortError, cause 'shutting down'
 * ```
 */
export class AbortError extends CheckpointsError {
  override name = 'AbortError';

  constructor(options?: { cause?: unknown }) {
    super('request aborted by the caller', options);
  }
}

/** Details an `InvalidResponseError` is built from. */
export interface InvalidResponseInit extends RequestOutcome {
  /** The HTTP status of the offending response (0 when none was usable). */
  status: number;
  /** What is wrong with it, one line, e.g. `data is not an array`. */
  problem: string;
  /** The underlying error, e.g. a JSON parse error. */
  cause?: unknown;
}

/**
 * The server answered, but not with the JSON the spec promises.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidResponseError) console.error(error.problem, error.requestId);
 * ```
 */
export class InvalidResponseError extends CheckpointsError {
  override name = 'InvalidResponseError';
  /** The HTTP status of the offending response. */
  declare readonly status: number;
  /** The `x-request-id` of the offending response. */
  declare readonly requestId: string | undefined;
  /** How many attempts were made (1 + retries). */
  declare readonly attempts: number;
  /** What is wrong, one line: ``page 2, item 1: `step_number`: expected integer``. */
  declare readonly problem: string;

  constructor(init: InvalidResponseInit) {
    const id = init.requestId ? `, request ${init.requestId}` : '';
    super(
      `invalid response (status ${init.status}${id}): ${init.problem}${attemptsSuffix(init.attempts)}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
    this.problem = init.problem;
  }
}

/** Why an iteration stopped instead of looping or silently truncating. */
export type PaginationProblem =
  'repeated-cursor' | 'missing-cursor' | 'max-pages' | 'no-more-pages' | 'duplicate-item';

/**
 * Pagination could not go on safely: a loop, a missing cursor, the `maxPages` cap, or an item
 * whose id already came on the same or the previous page (`duplicate-item`).
 *
 * @example
 * ```ts
 * if (error instanceof PaginationError && error.problem === 'max-pages') console.error('raise maxPages');
 * ```
 */
export class PaginationError extends CheckpointsError {
  override name = 'PaginationError';
  /** Which guard stopped the iteration. */
  declare readonly problem: PaginationProblem;
  /** Pages received before stopping. */
  declare readonly pages: number;

  constructor(problem: PaginationProblem, pages: number, detail: string) {
    super(detail);
    this.problem = problem;
    this.pages = pages;
  }
}

/**
 * What a failure outside this package's own checks becomes: our errors pass as they are;
 * anything else (a throwing middleware, a foreign client's fetch) becomes a `ConnectionError`
 * that keeps it as `cause`, so every error a listing ends with is a `CheckpointsError`.
 */
export function asCheckpointsError(error: unknown): CheckpointsError {
  if (error instanceof CheckpointsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`request failed: ${message}`, 1, { cause: error });
}

/**
 * What a failure while reading the caller's own arguments becomes: our errors pass as they are;
 * anything else (a getter or a Proxy in the options that throws) is an `InvalidArgumentError`, so
 * bad input is always a `CheckpointsError` and sends nothing.
 *
 * @example
 * ```ts
 * try {
 *   checkOptions('query', query, ['after', 'limit']);
 * } catch (problem) {
 *   throw asArgumentError(problem);
 * }
 * ```
 */
export function asArgumentError(error: unknown): CheckpointsError {
  if (error instanceof CheckpointsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InvalidArgumentError('arguments', `could not be read: ${message}`);
}
