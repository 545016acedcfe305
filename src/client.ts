// createCheckpointsClient: configuration, auth headers, and listCheckpoints on top of an
// openapi-fetch client typed by the generated `paths`.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { InvalidArgumentError } from './errors.js';
import {
  apiErrorFromResponse,
  DEFAULT_MAX_PAGES,
  iterationOptions,
  PagePromise,
  pageOf,
  unusableSource,
  type PageSource,
  type PaginationOptions,
} from './pagination.js';
import { defaultBackoff, type RetryPolicy } from './retry.js';
import {
  exchangeOf,
  PageRequest,
  parsedFetch,
  readableFetch,
  type FetchFunction,
} from './transport.js';
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
  checkInteger,
  checkOptions,
  checkPathSegment,
  checkType,
} from './validate.js';
import { VERSION } from './version.js';

/** The spec's server; a test keeps it equal to `servers[0].url` in openapi/checkpoints.yaml. */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

const CHECKPOINTS_PATH: CheckpointsPath = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

/**
 * The pages client's path serializer. Its one path is CHECKPOINTS_PATH and its one parameter a
 * job id that listCheckpoints has checked to be a single URL segment, so a plain replace does
 * what openapi-fetch's generic, regex-driven serializer does, for a fifth of its cost per page.
 */
function jobIdIntoPath(url: string, path: Record<string, unknown>): string {
  return url.replace('{fine_tuning_job_id}', encodeURIComponent(path.fine_tuning_job_id as string));
}

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
// Compile-time checks: an option or query parameter added to a type must be listed above.
type Unlisted<T, Listed> = Exclude<keyof T, Listed>;
const LISTS_COMPLETE: [
  Unlisted<ListCheckpointsQuery, (typeof QUERY_KEYS)[number]>,
  Unlisted<CheckpointsClientOptions, (typeof CLIENT_OPTION_KEYS)[number]>,
  Unlisted<ListCheckpointsOptions, (typeof CALL_OPTION_KEYS)[number]>,
] extends [never, never, never]
  ? true
  : false = true;
void LISTS_COMPLETE;

/**
 * openapi-fetch middleware: every path parameter of every call (raw included) must be present
 * and stay one path segment, or the call throws before anything is sent. (openapi-fetch leaves
 * a missing parameter as a literal `{name}` and lets `..` climb to a parent route.)
 */
const pathParameterGuard: Middleware = {
  onRequest({ schemaPath, params }) {
    const values: Record<string, unknown> = { ...params.path };
    // Give every placeholder a key (undefined when the caller left it out), then check them all:
    // a missing value is refused, and so is a value for no placeholder (a mistake).
    for (const [, name] of schemaPath.matchAll(/\{([^{}]+)\}/g)) values[name!] = values[name!];
    for (const name in values) checkPathSegment(`path.${name}`, values[name]);
    return undefined;
  },
};

/** Reads an environment variable on Node, Bun and Deno; `undefined` elsewhere or when denied. */
function env(name: string): string | undefined {
  try {
    return (
      (globalThis as { process?: { env: Record<string, string> } }).process?.env[name] || undefined
    );
  } catch {
    return undefined;
  }
}

/** `fine-tuning-checkpoints/<version> <runtime>/<version>`; none in browsers, which forbid it. */
function userAgent(): string | undefined {
  const g = globalThis as { document?: unknown; process?: { versions?: Record<string, string> } };
  // Bun and Deno both fill process.versions; their own entry names them.
  const versions = g.process?.versions;
  const runtime = ['bun', 'deno', 'node'].find((name) => versions?.[name]);
  return g.document || !runtime
    ? undefined
    : `fine-tuning-checkpoints/${VERSION} ${runtime}/${versions![runtime]}`;
}

/** The headers of every request: user headers first, then auth (which they cannot override). */
function buildHeaders(options: Record<string, unknown>, apiKey: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const agent = userAgent();
  if (agent) headers['User-Agent'] = agent;
  for (const [name, value] of Object.entries(checkOptions('headers', options.headers))) {
    const argument = `headers[${JSON.stringify(name)}]`;
    // A header name is an HTTP token; an invalid one would fail later, inside fetch.
    if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name))
      throw new InvalidArgumentError(argument, 'is not a valid header name');
    checkHeaderValue(argument, value);
    if (name.toLowerCase() !== 'authorization') headers[name] = value as string;
  }
  headers.Authorization = `Bearer ${apiKey}`;
  for (const [option, name] of [
    ['organization', 'OpenAI-Organization'],
    ['project', 'OpenAI-Project'],
  ] as const) {
    if (options[option] !== undefined) headers[name] = checkHeaderValue(option, options[option]);
  }
  return headers;
}

/** A retry policy: `base`, with the `maxRetries` / `timeoutMs` of `options` when given. */
function policyOf(options: Record<string, unknown>, base: RetryPolicy, prefix = ''): RetryPolicy {
  const { maxRetries, timeoutMs, backoff } = options;
  return {
    maxRetries:
      maxRetries === undefined
        ? base.maxRetries
        : checkInteger(`${prefix}maxRetries`, maxRetries, 0),
    timeoutMs:
      timeoutMs === undefined ? base.timeoutMs : checkDuration(`${prefix}timeoutMs`, timeoutMs),
    backoff:
      backoff === undefined ? base.backoff : checkType(`${prefix}backoff`, backoff, 'function'),
  };
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
  const config = checkOptions('options', options, CLIENT_OPTION_KEYS);
  const apiKey = (config.apiKey as string | undefined) || env('OPENAI_API_KEY');
  if (!apiKey) {
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
  const policy = policyOf(config, { maxRetries: 2, timeoutMs: 60_000, backoff: defaultBackoff });
  const defaults = iterationOptions('options', config, {
    prefetch: true,
    maxPages: DEFAULT_MAX_PAGES,
  });
  const customFetch =
    config.fetch === undefined
      ? undefined
      : checkType<FetchFunction>('fetch', config.fetch, 'function');
  const transport = {
    // globalThis.fetch is looked up per call, not captured: tests and instrumentation patch it.
    send: customFetch
      ? (url: string, init: RequestInit) => customFetch(new Request(url, init))
      : (url: string, init: RequestInit) => globalThis.fetch(url, init),
    honoursSignal: !customFetch,
    secret: apiKey,
  };

  const headers = buildHeaders(config, apiKey);
  // Two openapi-fetch clients over one transport. `pages` serves listCheckpoints: lightweight
  // requests, no middleware (the job id is checked before the call). `raw` is the public one:
  // real Requests and the path guard, made on first use so that creating a client stays cheap.
  const pages = createClient<paths>({
    baseUrl,
    headers,
    fetch: parsedFetch(policy, transport),
    Request: PageRequest as unknown as typeof Request,
    pathSerializer: jobIdIntoPath,
  });
  let raw: Client<paths> | undefined;
  const rawClient = () => {
    if (!raw) {
      raw = createClient<paths>({ baseUrl, headers, fetch: readableFetch(policy, transport) });
      raw.use(pathParameterGuard);
    }
    return raw;
  };

  function listCheckpoints(
    jobId: string,
    query: ListCheckpointsQuery = {},
    callOptions: ListCheckpointsOptions = {},
  ): PagePromise<FineTuningJobCheckpoint> {
    type Item = FineTuningJobCheckpoint;
    try {
      checkPathSegment('jobId', jobId);
      const { limit, after } = checkOptions('query', query, QUERY_KEYS);
      if (limit !== undefined) checkInteger('query.limit', limit);
      if (after !== undefined) checkType('query.after', after, 'string');
      const call = checkOptions('options', callOptions, CALL_OPTION_KEYS);
      // Per call, so that per-call maxRetries / timeoutMs apply to every page of this listing.
      const fetchForCall = parsedFetch(policyOf(call, policy, 'options.'), transport);
      const source: PageSource<Item> = {
        ...iterationOptions('options', call, defaults),
        async fetchPage(cursor, signal) {
          const { response, error } = await pages.GET(CHECKPOINTS_PATH, {
            params: {
              path: { fine_tuning_job_id: jobId },
              query: cursor === undefined ? query : { ...query, after: cursor },
            },
            signal,
            // Parsed once by the transport; openapi-fetch is told not to parse it again.
            parseAs: 'stream',
            fetch: fetchForCall,
          });
          const exchange = exchangeOf(response);
          const attempts = exchange?.attempts ?? 1;
          if (!response.ok) throw apiErrorFromResponse(response, error, attempts);
          return pageOf<Item>(exchange?.json, response, attempts, cursor, source);
        },
      };
      return new PagePromise<Item>(source, after as string | undefined);
    } catch (problem) {
      return new PagePromise<Item>(unusableSource(), undefined, problem);
    }
  }

  return {
    listCheckpoints,
    get raw() {
      return rawClient();
    },
  };
}
