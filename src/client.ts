// createCheckpointsClient: configuration, auth headers, and listCheckpoints on top of an
// openapi-fetch client typed by the generated `paths`.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { InvalidArgumentError } from './errors.js';
import {
  apiErrorFromResponse,
  DEFAULT_MAX_PAGES,
  iterationOptions,
  Page,
  PagePromise,
  toCursorPageBody,
  unusableSource,
  type PageSource,
  type PaginationOptions,
} from './pagination.js';
import { defaultBackoff, type RetryPolicy } from './retry.js';
import { exchangeOf, parsedFetch, readableFetch, type FetchFunction } from './transport.js';
import type {
  CheckpointsPath,
  FineTuningJobCheckpoint,
  ListCheckpointsQuery,
  paths,
} from './types.js';
import {
  checkBaseUrl,
  checkDuration,
  checkHeaderValue,
  checkKnownKeys,
  checkNonEmptyString,
  checkNonNegativeInteger,
  checkOptionsObject,
  checkPathSegment,
  checkPositiveInteger,
} from './validate.js';
import { VERSION } from './version.js';

/** The spec's server; a test keeps it equal to `servers[0].url` in openapi/checkpoints.yaml. */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

const CHECKPOINTS_PATH: CheckpointsPath = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

/** Options of `createCheckpointsClient`. All are optional. */
export interface CheckpointsClientOptions extends PaginationOptions {
  /** API key. Default: the `OPENAI_API_KEY` environment variable. */
  apiKey?: string;
  /** API base URL. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseUrl?: string;
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
  /** Extra headers for every request (they cannot override `Authorization`). */
  headers?: Record<string, string>;
  /** A `fetch` to send with, e.g. one with a proxy agent. Default: the platform's. */
  fetch?: FetchFunction;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Limit per attempt, reading the body included, in ms (default 60,000; `Infinity`: none). */
  timeoutMs?: number;
  /** Wait before retry `n` (1-based) when the server gives no `Retry-After`, in ms. */
  backoff?: (retry: number) => number;
}

/** Per-call options of `listCheckpoints`. */
export interface ListCheckpointsOptions extends PaginationOptions {
  /** Aborts the call (and any page in flight) at once, without retrying. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}

/** The client. */
export interface CheckpointsClient {
  /**
   * Lists the checkpoints of a fine-tuning job. `await` it for the first page; `for await` it for
   * every checkpoint of every page; `.pages()` for page by page; `.toArray()` to collect.
   */
  listCheckpoints(
    jobId: string,
    query?: ListCheckpointsQuery,
    options?: ListCheckpointsOptions,
  ): PagePromise<FineTuningJobCheckpoint>;
  /** The typed openapi-fetch client underneath, with the same auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

const CLIENT_OPTION_KEYS = [
  'apiKey',
  'baseUrl',
  'organization',
  'project',
  'headers',
  'fetch',
  'maxRetries',
  'timeoutMs',
  'backoff',
  'prefetch',
  'maxPages',
] as const satisfies readonly (keyof CheckpointsClientOptions)[];
const CALL_OPTION_KEYS = [
  'signal',
  'timeoutMs',
  'maxRetries',
  'prefetch',
  'maxPages',
] as const satisfies readonly (keyof ListCheckpointsOptions)[];
const QUERY_KEYS = ['after', 'limit'] as const satisfies readonly (keyof ListCheckpointsQuery)[];
// Compile-time check: a query parameter added to the spec must be listed above.
const QUERY_KEYS_COMPLETE: Exclude<
  keyof ListCheckpointsQuery,
  (typeof QUERY_KEYS)[number]
> extends never
  ? true
  : false = true;
void QUERY_KEYS_COMPLETE;

/**
 * openapi-fetch middleware: every path parameter of every call (raw included) must be present
 * and stay one path segment, or the call throws before anything is sent. (openapi-fetch leaves
 * a missing parameter as a literal `{name}` and lets `..` climb to a parent route.)
 */
const pathParameterGuard: Middleware = {
  onRequest({ schemaPath, params }) {
    const values = (params.path ?? {}) as Record<string, unknown>;
    for (const [, name] of schemaPath.matchAll(/\{([^{}]+)\}/g)) {
      checkPathSegment(`path.${name}`, values[name!]);
    }
    // A value for no placeholder is unused, but a sign of a mistake: refuse it as well.
    for (const [name, value] of Object.entries(values)) checkPathSegment(`path.${name}`, value);
    return undefined;
  },
};

/** Reads an environment variable on Node, Bun and Deno; `undefined` elsewhere or when denied. */
function env(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env?.[name];
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** `fine-tuning-checkpoints/<version> <runtime>/<version>`; none in browsers, which forbid it. */
function userAgent(): string | undefined {
  const g = globalThis as Record<string, any>;
  if (typeof g.document !== 'undefined') return undefined;
  const runtime = g.Bun
    ? `bun/${g.Bun.version}`
    : g.Deno
      ? `deno/${g.Deno.version?.deno}`
      : g.process?.versions?.node
        ? `node/${g.process.versions.node}`
        : 'unknown-runtime';
  return `fine-tuning-checkpoints/${VERSION} ${runtime}`;
}

function buildHeaders(options: Record<string, unknown>, apiKey: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const agent = userAgent();
  if (agent) headers['User-Agent'] = agent;
  const extra = checkOptionsObject('headers', options.headers);
  for (const [name, value] of Object.entries(extra)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new InvalidArgumentError(
        `headers[${JSON.stringify(name)}]`,
        'is not a valid header name',
      );
    }
    headers[name] = checkHeaderValue(`headers[${JSON.stringify(name)}]`, value);
  }
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization') delete headers[name];
  }
  headers.Authorization = `Bearer ${apiKey}`;
  if (options.organization !== undefined) {
    headers['OpenAI-Organization'] = checkHeaderValue('organization', options.organization);
  }
  if (options.project !== undefined) {
    headers['OpenAI-Project'] = checkHeaderValue('project', options.project);
  }
  return headers;
}

/**
 * Creates a client. Throws `InvalidArgumentError` for bad options (no request is sent), including
 * a missing API key.
 *
 * @example
 * const client = createCheckpointsClient(); // OPENAI_API_KEY, OPENAI_BASE_URL
 * for await (const checkpoint of client.listCheckpoints('ftjob-abc123')) console.log(checkpoint.id);
 */
export function createCheckpointsClient(options: CheckpointsClientOptions = {}): CheckpointsClient {
  const config = checkOptionsObject('options', options);
  checkKnownKeys('options', config, CLIENT_OPTION_KEYS);
  const apiKey = config.apiKey ?? env('OPENAI_API_KEY');
  if (apiKey === undefined || apiKey === '') {
    throw new InvalidArgumentError(
      'apiKey',
      'is missing: pass createCheckpointsClient({ apiKey }) or set the OPENAI_API_KEY environment variable',
    );
  }
  checkHeaderValue('apiKey', apiKey);
  const baseUrl = checkBaseUrl(
    'baseUrl',
    config.baseUrl ?? env('OPENAI_BASE_URL') ?? DEFAULT_BASE_URL,
  );
  if (config.fetch !== undefined && typeof config.fetch !== 'function') {
    throw new InvalidArgumentError('fetch', 'must be a function');
  }
  if (config.backoff !== undefined && typeof config.backoff !== 'function') {
    throw new InvalidArgumentError('backoff', 'must be a function (retry) => milliseconds');
  }
  const policy: RetryPolicy = {
    maxRetries:
      config.maxRetries === undefined
        ? 2
        : checkNonNegativeInteger('maxRetries', config.maxRetries),
    timeoutMs:
      config.timeoutMs === undefined ? 60_000 : checkDuration('timeoutMs', config.timeoutMs),
    backoff: (config.backoff as RetryPolicy['backoff'] | undefined) ?? defaultBackoff,
  };
  const defaults = iterationOptions('options', config, {
    prefetch: true,
    maxPages: DEFAULT_MAX_PAGES,
  });
  const transport = {
    // Looked up per call, not captured: a test or an instrumentation may patch globalThis.fetch.
    fetch:
      (config.fetch as FetchFunction | undefined) ??
      ((request: Request) => globalThis.fetch(request)),
    secret: apiKey as string,
  };

  const raw = createClient<paths>({
    baseUrl,
    headers: buildHeaders(config, apiKey as string),
    fetch: readableFetch(policy, transport),
  });
  raw.use(pathParameterGuard);

  function listCheckpoints(
    jobId: string,
    query: ListCheckpointsQuery = {},
    callOptions: ListCheckpointsOptions = {},
  ): PagePromise<FineTuningJobCheckpoint> {
    type Item = FineTuningJobCheckpoint;
    let source: PageSource<Item>;
    let firstCursor: string | undefined;
    try {
      checkPathSegment('jobId', jobId);
      const checkedQuery = checkOptionsObject('query', query);
      checkKnownKeys('query', checkedQuery, QUERY_KEYS);
      if (checkedQuery.limit !== undefined) checkPositiveInteger('query.limit', checkedQuery.limit);
      if (checkedQuery.after !== undefined) {
        firstCursor = checkNonEmptyString('query.after', checkedQuery.after);
      }
      const call = checkOptionsObject('options', callOptions);
      checkKnownKeys('options', call, CALL_OPTION_KEYS);
      const callPolicy: RetryPolicy = {
        ...policy,
        maxRetries:
          call.maxRetries === undefined
            ? policy.maxRetries
            : checkNonNegativeInteger('options.maxRetries', call.maxRetries),
        timeoutMs:
          call.timeoutMs === undefined
            ? policy.timeoutMs
            : checkDuration('options.timeoutMs', call.timeoutMs),
      };
      const fetchForCall = parsedFetch(callPolicy, transport);
      const pageSource: PageSource<Item> = {
        ...iterationOptions('options', call, defaults),
        async fetchPage(after, signal) {
          const { response, error } = await raw.GET(CHECKPOINTS_PATH, {
            params: {
              path: { fine_tuning_job_id: jobId },
              query: after === undefined ? query : { ...query, after },
            },
            signal,
            // Parsed once by the transport; openapi-fetch is told not to parse it again.
            parseAs: 'stream',
            fetch: fetchForCall,
          });
          const exchange = exchangeOf(response);
          const attempts = exchange?.attempts ?? 1;
          if (!response.ok) throw apiErrorFromResponse(response, error, attempts);
          const body = toCursorPageBody(exchange?.json, response, attempts);
          return new Page<Item>(body, response, after, pageSource);
        },
      };
      source = pageSource;
    } catch (problem) {
      return new PagePromise<Item>(unusableSource(), undefined, problem);
    }
    return new PagePromise<Item>(source, firstCursor);
  }

  return { listCheckpoints, raw };
}
