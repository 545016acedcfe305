/**
 * fine-tuning-checkpoints: list the checkpoints of an OpenAI fine-tuning job, typed from the
 * OpenAPI spec, with retries, timeouts, safe pagination and prefetch.
 *
 * @packageDocumentation
 */
export { createCheckpointsClient, type CheckpointsClient } from './client.js';
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_PAGES,
  DEFAULT_MAX_RESPONSE_BYTES,
  type CheckpointsClientOptions,
  type FetchFunction,
  type ListCheckpointsOptions,
  type PaginationOptions,
  type RequestOptions,
} from './config.js';
export {
  paginate,
  Page,
  PagePromise,
  type CursorPageBody,
  type PaginatedPath,
  type PaginatedItem,
  type PaginateInit,
  type ToArrayOptions,
} from './pagination.js';
export {
  CheckpointsError,
  InvalidArgumentError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  AbortError,
  InvalidResponseError,
  PaginationError,
  type ApiErrorObject,
  type PaginationProblem,
  type ApiErrorInit,
  type InvalidResponseInit,
  type RequestOutcome,
} from './errors.js';
export { defaultBackoff, isRetryableStatus, MAX_RETRY_AFTER_MS } from './retry.js';
export { DEFAULT_MAX_CONCURRENCY, type Limiter, type LimiterObservation } from './scheduler.js';
export type { RateLimitState } from './rate-limit-headers.js';
export type { CheckedResponse } from './checked-response.js';
export { VERSION } from './version.js';
// Every export of these two modules is public: the spec's types by name, and bestCheckpoint.
export * from './types.js';
export * from './best.js';
