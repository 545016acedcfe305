// Options, resolved once: the client's options become one checked, frozen `ClientConfig`; a
// call's overrides become checked, frozen `RequestSettings` (how its requests run) and
// `ListingSettings` (how a listing walks) on top of the client's. Nothing else reads an options
// object.
import { InvalidArgumentError } from './errors.js';
import { defaultBackoff } from './retry.js';
import { DEFAULT_MAX_CONCURRENCY, type Limiter } from './scheduler.js';
import {
  checkBaseUrl,
  checkDuration,
  checkHeaderName,
  checkHeaderValue,
  checkInteger,
  checkOptions,
  checkSignal,
  checkType,
  MAX_TIMER_MS,
} from './validate.js';
import { VERSION } from './version.js';

/**
 * The spec's server; a test keeps it equal to `servers[0].url` in openapi/checkpoints.yaml.
 *
 * @example
 * ```ts
 * const client = createCheckpointsClient({ baseUrl: process.env.PROXY_URL ?? DEFAULT_BASE_URL });
 * ```
 */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Pages fetched at most by one iteration unless `maxPages` says otherwise.
 *
 * @example
 * ```ts
 * const all = client.listCheckpoints(jobId, {}, { maxPages: DEFAULT_MAX_PAGES * 10 });
 * ```
 */
export const DEFAULT_MAX_PAGES = 1_000;

/**
 * The largest response body read by default, in bytes (32 MiB): a page of 100 is ~50 KB.
 *
 * @example
 * ```ts
 * const client = createCheckpointsClient({ maxResponseBytes: 2 * DEFAULT_MAX_RESPONSE_BYTES });
 * ```
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** A `fetch` as openapi-fetch calls it: one `Request` in, one `Response` out. */
export type FetchFunction = (request: Request) => Promise<Response>;

/** Iteration options accepted per call (and, but `maxItems`, as client defaults). */
export interface PaginationOptions {
  /** Fetch page N+1 while the consumer handles page N (default true). */
  prefetch?: boolean | undefined;
  /** Stop with a `PaginationError` after this many pages (default 1,000). */
  maxPages?: number | undefined;
}

/** The settings of one HTTP request, given to the client or per call. */
export interface RequestOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number | undefined;
  /**
   * Limit per attempt, reading the body included, in ms (default 60,000; at most 2^31-1, the
   * longest a timer holds; `Infinity`: none).
   */
  timeoutMs?: number | undefined;
  /**
   * The largest response body read, in bytes, counted as it arrives (after decompression); a
   * larger one ends the call with an `InvalidResponseError`, not retried (default 32 MiB).
   */
  maxResponseBytes?: number | undefined;
}

/** Options of `createCheckpointsClient`. All are optional; `undefined` means "not given". */
export interface CheckpointsClientOptions extends PaginationOptions, RequestOptions {
  /** API key. Default: the `OPENAI_API_KEY` environment variable. */
  apiKey?: string | undefined;
  /** API base URL. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseUrl?: string | undefined;
  /** Sent as `OpenAI-Organization`. Default: the `OPENAI_ORG_ID` environment variable. */
  organization?: string | undefined;
  /** Sent as `OpenAI-Project`. Default: the `OPENAI_PROJECT_ID` environment variable. */
  project?: string | undefined;
  /** Extra headers for every request (they cannot override `Authorization`). */
  headers?: Record<string, string> | undefined;
  /** A `fetch` to send with, e.g. one with a proxy agent. Default: the platform's. */
  fetch?: FetchFunction | undefined;
  /** Wait before retry `n` (1-based) when the server gives no `Retry-After`, in ms. */
  backoff?: ((retry: number) => number) | undefined;
  /**
   * In a browser the key would be readable by every script on the page, so the client refuses
   * to be created there unless this is `true` (use a server-side proxy that adds the key).
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** Attempts in flight at most, all listings and calls of the client together (default 64). */
  maxConcurrency?: number | undefined;
  /**
   * How long a request may wait out 429s in all, in ms (default 60,000); past it, it fails with a
   * `RateLimitError`. A 429 does not spend `maxRetries`.
   */
  maxRateLimitWaitMs?: number | undefined;
  /**
   * A limit shared beyond this client, e.g. by every process through Redis
   * (`fine-tuning-checkpoints/redis-limiter`): asked before each attempt, told of each answer.
   */
  limiter?: Limiter | undefined;
}

/** Per-call options of `listCheckpoints` (and of `paginate`, beside openapi-fetch's). */
export interface ListCheckpointsOptions extends PaginationOptions, RequestOptions {
  /** Aborts the call (and any page in flight) at once, without retrying. */
  signal?: AbortSignal | undefined;
  /**
   * Stop after this many items, without error; the last request asks only for what is still
   * needed (`limit` lowered to the remainder, when a `limit` is given).
   */
  maxItems?: number | undefined;
}

/** Options of `T`, every one given (none optional, none `undefined`): what a setting is. */
type Given<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** How one request's attempts run: its options, every one given; checked and frozen. */
export type RequestSettings = Given<
  RequestOptions & Pick<CheckpointsClientOptions, 'backoff' | 'maxRateLimitWaitMs'>
>;

/**
 * How one listing walks its pages: its options, every one given but `signal` (`maxItems` is
 * `Infinity` when not given); checked and frozen.
 */
export type ListingSettings = Given<Omit<ListCheckpointsOptions, keyof RequestOptions | 'signal'>> &
  Readonly<Pick<ListCheckpointsOptions, 'signal'>>;

/** Everything a client runs with; checked and frozen. */
export interface ClientConfig {
  readonly baseUrl: string;
  /** Every request's headers: defaults, the caller's, then auth. */
  readonly headers: Readonly<Record<string, string>>;
  /** The API key, scrubbed from everything the client hands out. */
  readonly secret: string;
  readonly fetch: FetchFunction | undefined;
  /** The defaults of every request. */
  readonly request: RequestSettings;
  /** The defaults of every listing. */
  readonly listing: ListingSettings;
  /** How the client's scheduler runs. */
  readonly maxConcurrency: number;
  readonly limiter: Limiter | undefined;
}

/** The per-call options that are a request's settings. */
const REQUEST_KEYS = ['maxRetries', 'timeoutMs', 'maxResponseBytes'] as const;
/** The per-call options that are a listing's settings. */
const LISTING_KEYS = ['prefetch', 'maxPages', 'maxItems', 'signal'] as const;
/** Every option of `listCheckpoints`. */
export const CALL_KEYS = [...REQUEST_KEYS, ...LISTING_KEYS];
const CLIENT_KEYS = [
  'apiKey',
  'baseUrl',
  'organization',
  'project',
  'headers',
  'fetch',
  'backoff',
  'dangerouslyAllowBrowser',
  'maxConcurrency',
  'maxRateLimitWaitMs',
  'limiter',
  ...REQUEST_KEYS,
  'prefetch',
  'maxPages',
] as const satisfies readonly (keyof CheckpointsClientOptions)[];
// Compile-time check: an option added to a type must be listed above.
type Unlisted<T, Listed> = Exclude<keyof T, Listed>;
const LISTS_COMPLETE: [
  Unlisted<CheckpointsClientOptions, (typeof CLIENT_KEYS)[number]>,
  Unlisted<ListCheckpointsOptions, (typeof CALL_KEYS)[number]>,
] extends [never, never]
  ? true
  : false = true;
void LISTS_COMPLETE;

/**
 * Where a request carries its own settings: the client's middleware puts them there from the
 * call's options (openapi-fetch copies unknown call options onto the Request), its transport
 * reads them. A request without them runs with the client's.
 */
const SETTINGS = Symbol('request settings');

/** The settings `request` carries, if any. */
export function settingsOf(request: Request): RequestSettings | undefined {
  return (request as { [SETTINGS]?: RequestSettings })[SETTINGS];
}

/**
 * Resolves the request options `request` carries (copied there by openapi-fetch from the call's
 * options) over `base`, and attaches the result to it for the transport. `InvalidArgumentError`
 * names `prefix` + the option.
 */
export function attachSettings(request: Request, base: RequestSettings, prefix: string): void {
  const carried = request as unknown as Record<string | symbol, unknown>;
  if (REQUEST_KEYS.some((key) => carried[key] !== undefined))
    carried[SETTINGS] = checkedSettings(REQUEST_CHECKS, base, carried, prefix);
}

type Globals = {
  process?: { env?: Record<string, string | undefined>; versions?: Record<string, string> };
  window?: unknown;
  document?: unknown;
  Deno?: unknown;
  Bun?: unknown;
};

/** Reads an environment variable on Node, Bun and Deno; `undefined` elsewhere or when denied. */
function env(name: string): string | undefined {
  try {
    return (globalThis as Globals).process?.env?.[name] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether this is a web page: a `window` and a `document`, and none of the server runtimes that
 * may define them too (Deno has `window`; jsdom and happy-dom run inside Node or Bun).
 */
export function isBrowser(globals: Globals = globalThis as Globals): boolean {
  return (
    typeof globals.window !== 'undefined' &&
    typeof globals.document !== 'undefined' &&
    globals.Deno === undefined &&
    globals.Bun === undefined &&
    globals.process?.versions?.node === undefined
  );
}

/** `fine-tuning-checkpoints/<version> <runtime>/<version>`; none in browsers, which forbid it. */
function userAgent(): string | undefined {
  const versions = (globalThis as Globals).process?.versions;
  // Bun and Deno both fill process.versions; their own entry names them.
  const runtime = ['bun', 'deno', 'node'].find((name) => versions?.[name]);
  return isBrowser() || !runtime
    ? undefined
    : `fine-tuning-checkpoints/${VERSION} ${runtime}/${versions![runtime]}`;
}

/** The headers of every request: user headers first, then auth (which they cannot override). */
function headersOf(options: Record<string, unknown>, apiKey: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const agent = userAgent();
  if (agent) headers['User-Agent'] = agent;
  for (const [name, value] of Object.entries(checkOptions('headers', options.headers))) {
    if (value === undefined) continue;
    const argument = `headers[${JSON.stringify(name)}]`;
    // An invalid or forbidden name would fail later, inside fetch, on every call.
    checkHeaderName(argument, name);
    checkHeaderValue(argument, value);
    if (name.toLowerCase() !== 'authorization') headers[name] = value as string;
  }
  headers.Authorization = `Bearer ${apiKey}`;
  for (const [option, name, variable] of [
    ['organization', 'OpenAI-Organization', 'OPENAI_ORG_ID'],
    ['project', 'OpenAI-Project', 'OPENAI_PROJECT_ID'],
  ] as const) {
    const value = options[option] ?? env(variable);
    if (value !== undefined) headers[name] = checkHeaderValue(option, value);
  }
  return headers;
}

/** How an option is checked: the setting it gives, or an `InvalidArgumentError` naming `name`. */
type Check<T> = (name: string, value: unknown) => T;

/** The check of every setting of `Settings`, in the order they are checked. */
type Checks<Settings> = { readonly [K in keyof Settings]: Check<Settings[K]> };

/** How each request option is checked. */
export const REQUEST_CHECKS: Checks<RequestSettings> = {
  maxRetries: (name, value) => checkInteger(name, value, 0),
  timeoutMs: checkDuration,
  maxResponseBytes: checkInteger,
  backoff: checkedBackoff,
  // 0: a 429 is not waited out at all.
  maxRateLimitWaitMs: (name, value) => (value === 0 ? 0 : checkDuration(name, value)),
};

/** How each listing option is checked. */
export const LISTING_CHECKS: Checks<ListingSettings> = {
  prefetch: (name, value) => checkType<boolean>(name, value, 'boolean'),
  maxPages: checkInteger,
  maxItems: checkInteger,
  signal: checkSignal,
};

/**
 * `given`'s options over `base`: each one given (not `undefined`) checked by `checks`, its
 * `InvalidArgumentError` naming `prefix` + the option; frozen.
 */
export function checkedSettings<Settings extends object>(
  checks: Checks<Settings>,
  base: Settings,
  given: Record<string, unknown>,
  prefix: string,
): Settings {
  const settings = { ...base };
  for (const key in checks) {
    const value = given[key];
    if (value !== undefined) settings[key] = checks[key](`${prefix}${key}`, value);
  }
  return Object.freeze(settings);
}

/** A `Limiter`: an object with `reserve` and `observe` functions. */
function checkLimiter(value: unknown): Limiter {
  const limiter = value as Partial<Limiter> | null;
  if (typeof limiter?.reserve !== 'function' || typeof limiter.observe !== 'function')
    throw new InvalidArgumentError('limiter', 'must have reserve() and observe() functions');
  return limiter as Limiter;
}

/**
 * The caller's `backoff`, its every answer checked when it is asked: a wait a timer cannot hold
 * (or not a number) is an `InvalidArgumentError`, never a retry that fires at once.
 */
function checkedBackoff(name: string, value: unknown): RequestSettings['backoff'] {
  const backoff = checkType<RequestSettings['backoff']>(name, value, 'function');
  return (retry) => {
    const wait = backoff(retry);
    if (typeof wait !== 'number' || Number.isNaN(wait) || wait > MAX_TIMER_MS) {
      throw new InvalidArgumentError(
        name,
        `returned ${String(wait)} for retry ${retry}: must be a number of ms ≤ ${MAX_TIMER_MS}`,
      );
    }
    return wait;
  };
}

/** The defaults every request starts from. */
export const REQUEST_DEFAULTS: RequestSettings = Object.freeze({
  maxRetries: 2,
  timeoutMs: 60_000,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  backoff: defaultBackoff,
  maxRateLimitWaitMs: 60_000,
});

/** The defaults every listing starts from. */
export const LISTING_DEFAULTS: ListingSettings = Object.freeze({
  prefetch: true,
  maxPages: DEFAULT_MAX_PAGES,
  maxItems: Infinity,
  signal: undefined,
});

/**
 * The client's options, checked once, with the environment's defaults: one frozen config.
 * Throws `InvalidArgumentError` (the key is never part of its message).
 */
export function resolveClientConfig(options: unknown): ClientConfig {
  const given = checkOptions('options', options, CLIENT_KEYS);
  const apiKey = (given.apiKey as string | undefined) || env('OPENAI_API_KEY');
  if (!apiKey) {
    throw new InvalidArgumentError(
      'apiKey',
      'is missing: pass createCheckpointsClient({ apiKey }) or set the OPENAI_API_KEY environment variable',
    );
  }
  checkHeaderValue('apiKey', apiKey);
  if (given.dangerouslyAllowBrowser !== undefined)
    checkType('options.dangerouslyAllowBrowser', given.dangerouslyAllowBrowser, 'boolean');
  if (isBrowser() && given.dangerouslyAllowBrowser !== true) {
    throw new InvalidArgumentError(
      'apiKey',
      'would be readable by any script on this web page: point baseUrl at a server-side proxy that adds the key, or pass dangerouslyAllowBrowser: true',
    );
  }
  return Object.freeze({
    baseUrl: checkBaseUrl('baseUrl', given.baseUrl ?? env('OPENAI_BASE_URL') ?? DEFAULT_BASE_URL),
    headers: Object.freeze(headersOf(given, apiKey)),
    secret: apiKey,
    fetch:
      given.fetch === undefined
        ? undefined
        : checkType<FetchFunction>('fetch', given.fetch, 'function'),
    // The client's defaults are checked like a call's, under the client's option names.
    request: checkedSettings(REQUEST_CHECKS, REQUEST_DEFAULTS, given, ''),
    listing: checkedSettings(LISTING_CHECKS, LISTING_DEFAULTS, given, ''),
    maxConcurrency:
      given.maxConcurrency === undefined
        ? DEFAULT_MAX_CONCURRENCY
        : checkInteger('maxConcurrency', given.maxConcurrency),
    limiter: given.limiter === undefined ? undefined : checkLimiter(given.limiter),
  });
}
