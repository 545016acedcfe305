// createCheckpointsClient: one openapi-fetch client, typed by the generated `paths`, whose fetch is
// this package's transport and whose first middleware is its boundary. `client.raw` is that very
// client; `listCheckpoints` is `paginate` over it, with the client's defaults, and every error it
// ends with is a `CheckpointsError` scrubbed of the key.
import createClient, { type Client } from 'openapi-fetch';
import { operations } from '../generated/checkpoints.operations.js';
import { createAbortFanout } from './abort-fanout.js';
import { boundary, checkedPath, checkedQuery } from './boundary.js';
import {
  CALL_KEYS,
  resolveClientConfig,
  type CheckpointsClientOptions,
  type ListCheckpointsOptions,
} from './config.js';
import { asArgumentError, asCheckpointsError } from './errors.js';
import { listing, refusedListing, type ListingCall, type PagePromise } from './pagination.js';
import { redactError } from './redact.js';
import { createScheduler } from './scheduler.js';
import { createTransport } from './transport.js';
import type {
  CheckpointsPath,
  FineTuningJobCheckpoint,
  ListCheckpointsQuery,
  paths,
} from './types.js';
import { checkOptions, checkPathSegment } from './validate.js';

const CHECKPOINTS_PATH: CheckpointsPath = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

/** The client. */
export interface CheckpointsClient {
  /**
   * Lists the checkpoints of a fine-tuning job. `await` it for the first page; `for await` it for
   * every checkpoint of every page; `.pages()` for page by page; `.toArray()` to collect.
   * Every checkpoint is checked against the spec's schema before it is delivered.
   */
  listCheckpoints(
    jobId: string,
    query?: ListCheckpointsQuery,
    options?: ListCheckpointsOptions,
  ): PagePromise<FineTuningJobCheckpoint>;
  /**
   * The typed openapi-fetch client underneath, with the same auth, retries, timeouts, checks and
   * middleware as `listCheckpoints`. Per-call `fetch`, `baseUrl`, `pathSerializer` and `Request`
   * are refused: they would bypass the transport, the origin or the path check.
   */
  readonly raw: Client<paths>;
}

/**
 * openapi-fetch's `Request` option: the platform's Request, looked up when a request is built,
 * not when a client is (in Node, the first look loads the whole HTTP stack: cold start).
 */
class PlatformRequest {
  constructor(url: string, init: RequestInit) {
    return new globalThis.Request(url, init);
  }

  /**
   * openapi-fetch accepts a Request from `onRequest` middleware only if it is `instanceof` this
   * option: a platform Request is one, so the documented `return new Request(...)` works.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof globalThis.Request;
  }
}

/**
 * Creates a client. Throws `InvalidArgumentError` for bad options (no request is sent), including
 * a missing API key, and in a browser unless `dangerouslyAllowBrowser` is set.
 *
 * @example
 * const client = createCheckpointsClient(); // OPENAI_API_KEY, OPENAI_BASE_URL
 * for await (const checkpoint of client.listCheckpoints('ftjob-abc123')) console.log(checkpoint.id);
 */
export function createCheckpointsClient(options: CheckpointsClientOptions = {}): CheckpointsClient {
  const config = resolveClientConfig(options);
  // One fan-out per client: however many calls wait on one caller's signal, one listener.
  const abortFanout = createAbortFanout();
  const { maxConcurrency, limiter } = config;
  const transport = createTransport({
    origin: new URL(config.baseUrl).origin,
    secret: config.secret,
    fetch: config.fetch,
    defaults: config.request,
    scheduler: createScheduler({ maxConcurrency, limiter, abortFanout }),
  });
  const raw = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    Request: PlatformRequest as unknown as typeof Request,
    pathSerializer: checkedPath,
    querySerializer: checkedQuery(),
    fetch: transport.fetch,
  });
  raw.use(boundary({ config, transport, operations }));
  const call: ListingCall = {
    query: 'query',
    options: 'options',
    defaults: config.listing,
    fail: (error) => redactError(asCheckpointsError(error), config.secret),
    subscribe: abortFanout.subscribe,
  };

  function listCheckpoints(
    jobId: string,
    query: ListCheckpointsQuery = {},
    callOptions: ListCheckpointsOptions = {},
  ): PagePromise<FineTuningJobCheckpoint> {
    let init;
    try {
      // Its own arguments, by their own names; the listing checks what they hold.
      const path = { fine_tuning_job_id: checkPathSegment('jobId', jobId) };
      checkOptions('query', query, ['after', 'limit']);
      init = { ...checkOptions('options', callOptions, CALL_KEYS), params: { path, query } };
    } catch (problem) {
      return refusedListing(call.fail(asArgumentError(problem)));
    }
    return listing(raw, CHECKPOINTS_PATH, init, call);
  }

  return { listCheckpoints, raw };
}
