// createCheckpointsClient: one openapi-fetch client, typed by the generated `paths`, over one
// transport. listCheckpoints, paginate(client.raw) and client.raw all go through it, so
// middleware added to client.raw sees every call. This module is also the client's boundary:
// every error leaving it is a CheckpointsError, scrubbed of the key.
import createClient, { type Client } from 'openapi-fetch';
import {
  resolveCall,
  resolveClientConfig,
  type CheckpointsClientOptions,
  type ListCheckpointsOptions,
} from './config.js';
import {
  asArgumentError,
  asCheckpointsError,
  errorFromResponse,
  InvalidArgumentError,
  InvalidResponseError,
} from './errors.js';
import { pageQuery, PagePromise, unusableSource, type PageSource } from './pagination.js';
import { redactError } from './redact.js';
import { idProblem, shapeChecker } from './shape.js';
import { createTransport, PlatformRequest, readableResponse, type Exchange } from './transport.js';
import type {
  CheckpointsPath,
  FineTuningJobCheckpoint,
  ListCheckpointsQuery,
  paths,
} from './types.js';
import {
  checkInteger,
  checkOptions,
  checkPathSegment,
  checkQueryString,
  isWellFormed,
} from './validate.js';

export {
  DEFAULT_BASE_URL,
  type CheckpointsClientOptions,
  type ListCheckpointsOptions,
} from './config.js';

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
 * The client's path serializer, the one place path parameters are checked and encoded: each
 * must be present and stay one path segment, or the call throws before anything is sent
 * (openapi-fetch leaves a missing one as a literal `{name}` and lets `..` climb to a parent).
 */
function checkedPath(url: string, params: Record<string, unknown>): string {
  let filled = 0;
  const path = url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    filled++;
    return encodeURIComponent(checkPathSegment(`path.${name}`, params[name]));
  });
  // A value for no placeholder is a mistake (a misspelt name, say).
  if (Object.keys(params).length > filled) {
    for (const name in params) {
      if (!url.includes(`{${name}}`))
        throw new InvalidArgumentError(`path.${name}`, 'is not a parameter of this path');
    }
  }
  return path;
}

/** Whether every string in `value` (a query: strings, arrays, nested objects) is well-formed. */
function wellFormedDeep(value: unknown): boolean {
  if (typeof value === 'string') return isWellFormed(value);
  if (typeof value !== 'object' || value === null) return true;
  return Object.entries(value).every(([key, child]) => isWellFormed(key) && wellFormedDeep(child));
}

/** Per-call options of openapi-fetch that would replace what the client guarantees. */
const REFUSED_PER_CALL = ['fetch', 'baseUrl', 'pathSerializer', 'Request'] as const;

/**
 * `client`, with each call's options checked first: the refused ones throw, and `params.path`
 * is always present so that the path serializer always runs. Errors leave scrubbed.
 */
function guarded(client: Client<paths>, boundary: (error: unknown) => never): Client<paths> {
  type Call = (path: string, init?: Record<string, unknown>) => Promise<unknown>;
  const checked = (init: Record<string, unknown> = {}) => {
    for (const key of REFUSED_PER_CALL) {
      if (init[key] !== undefined) {
        throw new InvalidArgumentError(
          `init.${key}`,
          'cannot be set per call on client.raw: it would bypass its checks (use middleware)',
        );
      }
    }
    const params = checkOptions('init.params', init.params);
    // No URL can encode a lone surrogate: refused here, not as a failure inside openapi-fetch.
    if (!wellFormedDeep(params.query)) {
      throw new InvalidArgumentError(
        'init.params.query',
        'holds a string that is not well-formed Unicode (a lone surrogate)',
      );
    }
    return { ...init, params: { ...params, path: params.path ?? {} } };
  };
  const guard = async (send: () => Promise<unknown>) => {
    try {
      return await send();
    } catch (error) {
      return boundary(error);
    }
  };
  const request = client.request as unknown as (
    verb: string,
    ...call: Parameters<Call>
  ) => Promise<unknown>;
  const methods = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
  const raw = {
    request: (verb: string, path: string, init?: Record<string, unknown>) =>
      guard(() => request(verb, path, checked(init))),
    use: client.use,
    eject: client.eject,
    ...Object.fromEntries(
      methods.map((name) => {
        const send = client[name] as unknown as Call;
        return [
          name,
          (path: string, init?: Record<string, unknown>) => guard(() => send(path, checked(init))),
        ];
      }),
    ),
  };
  return raw as unknown as Client<paths>;
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
  const transport = createTransport(config.fetch, config.secret, new URL(config.baseUrl).origin);
  const boundary = (error: unknown): never => {
    throw redactError(asCheckpointsError(error), config.secret);
  };
  const client = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    Request: PlatformRequest as unknown as typeof Request,
    pathSerializer: checkedPath,
    fetch: async (request) => readableResponse(await transport.exchange(request, config.call)),
  });
  const raw = guarded(client, boundary);
  // What is wrong with a checkpoint: the spec's schema, then a usable `id`.
  const checkpointShape = shapeChecker('FineTuningJobCheckpoint');
  const checkpointProblem = (item: unknown) => checkpointShape(item) ?? idProblem(item);

  function listCheckpoints(
    jobId: string,
    query: ListCheckpointsQuery = {},
    callOptions: ListCheckpointsOptions = {},
  ): PagePromise<FineTuningJobCheckpoint> {
    try {
      checkPathSegment('jobId', jobId);
      const { limit, after } = checkOptions('query', query, ['after', 'limit']);
      if (limit !== undefined) checkInteger('query.limit', limit);
      if (after !== undefined) checkQueryString('query.after', after);
      const given: { limit?: number } = limit === undefined ? {} : { limit: limit as number };
      const call = resolveCall(config.call, callOptions, 'options');
      const source: PageSource = {
        call,
        itemProblem: checkpointProblem,
        async fetchPage(cursor, signal, remaining) {
          // What the transport learns about this page reaches it through this closure only.
          let exchange: Exchange | undefined;
          try {
            const { response } = await client.GET(CHECKPOINTS_PATH, {
              params: {
                path: { fine_tuning_job_id: jobId },
                query: pageQuery(given, cursor, remaining),
              },
              // The transport has read and parsed the body; openapi-fetch is not to read it again.
              parseAs: 'stream',
              // The same scrubbed, readable copy that client.raw answers with: middleware's
              // onResponse sees no key in the headers and can still read the body.
              fetch: async (request) =>
                readableResponse((exchange = await transport.exchange(request, call, signal))),
            });
            if (!exchange) {
              throw new InvalidResponseError({
                status: response.status,
                attempts: 1,
                problem: 'a middleware answered in place of the API',
              });
            }
            const { json, text, attempts, requestId, scrubbed } = exchange;
            if (!exchange.response.ok) throw errorFromResponse(scrubbed(null), text);
            const { status } = exchange.response;
            // Bound, not an arrow: an arrow here would keep this call's whole scope (the exchange,
            // with the body text and the items) alive as long as the page.
            const pageResponse = scrubbed.bind(undefined, null);
            return { body: json, status, requestId, attempts, response: pageResponse };
          } catch (error) {
            return boundary(error);
          }
        },
      };
      return new PagePromise<FineTuningJobCheckpoint>(source, after as string | undefined);
    } catch (problem) {
      // Even a throwing getter in the caller's options leaves as a CheckpointsError.
      const error = redactError(asArgumentError(problem), config.secret);
      return new PagePromise<FineTuningJobCheckpoint>(unusableSource(), undefined, error);
    }
  }

  return { listCheckpoints, raw };
}
