// Sending one request: per-attempt timeouts that cover the body, retries with backoff, redirects
// kept on the API's origin, and the body read and checked before anyone sees it.
//
// It runs as openapi-fetch's custom `fetch`, so every call (listCheckpoints, paginate, client.raw)
// gets the same behaviour from one place. Retrying happens here and not in middleware because
// openapi-fetch's Request cannot be re-sent once consumed; each attempt is sent as (url, init).
import { AbortError, ConnectionError, InvalidResponseError, TimeoutError } from './errors.js';
import type { CheckpointsError } from './errors.js';
import { redactSecret, redactText } from './redact.js';
import { retryDelay, shouldRetryResponse, sleep, type RetryPolicy } from './retry.js';

/** A `fetch` as openapi-fetch calls it: one `Request` in, one `Response` out. */
export type FetchFunction = (request: Request) => Promise<Response>;

const NEVER_ABORTED = new AbortController().signal;

/**
 * The part of a `Request` that openapi-fetch builds and this transport reads, used for this
 * package's own pages: a platform `Request` costs ~10 µs and an `AbortSignal` of its own per
 * page, for nothing, since the transport sends `(url, init)` and `fetch` builds the `Request` it
 * needs. (It also keeps client creation from loading the platform's HTTP stack: cold start.)
 * `client.raw` uses real `Request`s, so middleware added to it sees the real thing.
 */
export class PageRequest {
  declare readonly url: string;
  declare readonly method: string;
  declare readonly headers: Headers;
  declare readonly signal: AbortSignal;

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = init.headers as Headers;
    this.signal = init.signal ?? NEVER_ABORTED;
  }
}

/** A response whose body was read (within the timeout) and, for a 2xx, parsed as JSON. */
export interface Exchange {
  /** The response as received; its body is already consumed. */
  response: Response;
  /** The body text. */
  text: string;
  /** The parsed body of a 2xx response; `undefined` for other statuses. */
  json: unknown;
  /** Attempts made, 1 + retries. */
  attempts: number;
  /** The `x-request-id` header, if any. */
  requestId: string | undefined;
}

/** How many redirects on the same origin are followed (the API itself never redirects). */
const MAX_REDIRECTS = 5;

// The Exchange behind each Response we hand to openapi-fetch, so callers can read the attempt
// count and the already-parsed body without parsing twice. Weak: it dies with the Response.
const exchanges = new WeakMap<Response, Exchange>();

/** The exchange behind a Response returned by this transport, if it came from here. */
export function exchangeOf(response: Response): Exchange | undefined {
  return exchanges.get(response);
}

/**
 * Drops the exchange behind `response` once it has been read. The platform fetch keeps each
 * Response reachable until a full collection, and an exchange holds the parsed body: a page's
 * items left here are promoted to the old generation with the Response (2.3x the heap peak).
 */
export function forgetExchange(response: Response): void {
  exchanges.delete(response);
}

function carry(response: Response, exchange: Exchange): Response {
  exchanges.set(response, exchange);
  return response;
}

type AttemptResult =
  | { ok: true; exchange: Exchange }
  | { ok: false; error: CheckpointsError; retryable: boolean; headers?: Headers };

/** How one HTTP exchange is sent: the platform `fetch`, or a custom one given a `Request`. */
export type Send = (url: string, init: RequestInit) => Promise<Response>;

/** Transport settings fixed at client creation. */
export interface TransportOptions {
  send: Send;
  /** Whether `send` stops when its signal fires (the platform fetch does; a custom one may not). */
  honoursSignal: boolean;
  /** Scrubbed from every error that leaves the transport. */
  secret: string | undefined;
}

/** Sends `request` with retries; resolves with the final exchange or rejects with a typed error. */
export async function exchange(
  request: Request,
  policy: RetryPolicy,
  options: TransportOptions,
): Promise<Exchange> {
  const callerSignal = request.signal;
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(request, attempt, policy, options);
    const headers = result.ok ? result.exchange.response.headers : result.headers;
    const retryable = result.ok
      ? !result.exchange.response.ok &&
        shouldRetryResponse(result.exchange.response.status, headers!)
      : result.retryable;
    const delay =
      retryable && attempt <= policy.maxRetries
        ? retryDelay(attempt, headers, policy.backoff)
        : undefined;
    if (delay === undefined) {
      if (result.ok) return result.exchange;
      throw redactSecret(result.error, options.secret);
    }
    try {
      await sleep(delay, callerSignal);
    } catch (reason) {
      throw redactSecret(new AbortError({ cause: reason }), options.secret);
    }
  }
}

async function attemptOnce(
  request: Request,
  attempt: number,
  { timeoutMs }: RetryPolicy,
  { send: sendImpl, secret, honoursSignal }: TransportOptions,
): Promise<AttemptResult> {
  const callerSignal = request.signal;
  if (callerSignal.aborted) return abortedBy(callerSignal);

  // One controller per attempt. Not AbortSignal.timeout()/any(): their timers cannot be cancelled,
  // so a long pagination would keep one live 60 s timer per page; this one is cleared at once.
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true; // the TimeoutError is built below, where the abort lands
        controller.abort();
      }, timeoutMs)
    : undefined;
  const onCallerAbort = () => controller.abort(callerSignal.reason);
  // A listing without a signal has the shared one that never fires: nothing to follow.
  const followsCaller = callerSignal !== NEVER_ABORTED;
  if (followsCaller) callerSignal.addEventListener('abort', onCallerAbort);
  // The platform fetch stops (and fails its body) when the signal fires. A custom fetch might
  // not, so for one each await is also raced against the signal.
  const guard = honoursSignal ? undefined : raceAgainst(controller.signal);
  const settle = <T>(promise: Promise<T>) => (guard ? guard.race(promise) : promise);

  let response: Response | undefined;
  try {
    response = await settle(send(request, controller.signal, sendImpl, attempt));
    // A response may echo the request (a hostile or buggy server or proxy): the key is scrubbed
    // from everything read here before any error message, cursor or raw caller can see it.
    const text = redactText(await settle(response.text()), secret);
    return checkBody(response, text, attempt, secret);
  } catch (error) {
    if (callerSignal.aborted) return abortedBy(callerSignal);
    if (timedOut)
      return { ok: false, error: new TimeoutError(timeoutMs, attempt), retryable: true };
    if (error instanceof InvalidResponseError) return { ok: false, error, retryable: false };
    if (response) {
      // Headers arrived, the body did not: the connection closed mid-body.
      const failure = new InvalidResponseError({
        status: response.status,
        requestId: requestIdOf(response, secret),
        attempts: attempt,
        problem: 'the body was cut off before it was complete',
        cause: error,
      });
      return { ok: false, error: failure, retryable: true, headers: response.headers };
    }
    const origin = new URL(request.url).origin;
    const failure = new ConnectionError(`could not reach ${origin}: ${describe(error)}`, attempt, {
      cause: error,
    });
    return { ok: false, error: failure, retryable: true };
  } finally {
    clearTimeout(timer);
    if (followsCaller) callerSignal.removeEventListener('abort', onCallerAbort);
    guard?.dispose();
  }
}

/**
 * Races promises against `signal` until disposed. Its listener must be removed: the platform
 * keeps a request's signal alive for a while, and through the race's reactions it would keep
 * every page's response and body with it.
 */
function raceAgainst(signal: AbortSignal) {
  let reject!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, rejectWith) => (reject = rejectWith));
  aborted.catch(() => {}); // observed by the races; this only silences "unhandled"
  const onAbort = () => reject(signal.reason);
  signal.addEventListener('abort', onAbort);
  return {
    race: <T>(promise: Promise<T>) => Promise.race([promise, aborted]),
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}

function abortedBy(signal: AbortSignal): AttemptResult {
  return { ok: false, error: new AbortError({ cause: signal.reason }), retryable: false };
}

/** The innermost message of a fetch failure ("fetch failed" alone says nothing). */
function describe(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * Fetches, following redirects only within the request's origin: `Authorization` must never
 * reach another host, whatever a platform's redirect rules are.
 */
async function send(request: Request, signal: AbortSignal, sendImpl: Send, attempt: number) {
  // Each hop is sent as (url, init), not as a new Request: the platform fetch builds its own
  // Request either way, and each extra one (with its AbortSignal) is a measurable cost per page.
  const init = {
    method: request.method,
    headers: request.headers,
    signal,
    redirect: 'manual' as const,
  };
  let response = await sendImpl(request.url, init);
  for (let hops = 0; isRedirect(response); hops++) {
    const origin = new URL(request.url).origin;
    const location = new URL(response.headers.get('location')!, response.url || request.url);
    await response.body?.cancel();
    const problem =
      location.origin !== origin
        ? `refused a redirect to another origin (${location.origin}); the API key is only sent to ${origin}`
        : hops >= MAX_REDIRECTS
          ? `more than ${MAX_REDIRECTS} redirects`
          : undefined;
    if (problem) {
      throw new InvalidResponseError({
        status: response.status,
        requestId: response.headers.get('x-request-id') ?? undefined, // scrubbed by redactSecret
        attempts: attempt,
        problem,
      });
    }
    response = await sendImpl(location.href, init);
  }
  return response;
}

function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}

/** A 2xx must be JSON: a wrong content type is final, a body that does not parse is retried. */
/** The `x-request-id` header, scrubbed. */
function requestIdOf(response: Response, secret: string | undefined): string | undefined {
  const id = response.headers.get('x-request-id');
  return id === null ? undefined : redactText(id, secret);
}

function checkBody(
  response: Response,
  text: string,
  attempt: number,
  secret: string | undefined,
): AttemptResult {
  const requestId = requestIdOf(response, secret);
  const base = { response, text, json: undefined, attempts: attempt, requestId };
  if (!response.ok) return { ok: true, exchange: base };
  const invalid = (problem: string, retryable: boolean, cause?: unknown): AttemptResult => ({
    ok: false,
    error: new InvalidResponseError({
      status: response.status,
      requestId,
      attempts: attempt,
      problem,
      cause,
    }),
    retryable,
    headers: response.headers,
  });
  const type = response.headers.get('content-type');
  if (type !== null && !/[/+]json\b/i.test(type)) {
    return invalid(`expected JSON, got content-type "${type}"`, false);
  }
  try {
    return { ok: true, exchange: { ...base, json: JSON.parse(text) } };
  } catch (error) {
    return invalid(
      text === '' ? 'the body is empty' : 'the body is not valid JSON (truncated?)',
      true,
      error,
    );
  }
}

/**
 * A readable Response with the exchange's status, headers and body text, all scrubbed of the key
 * (only built for raw callers and error responses, so the copy costs nothing on the hot path).
 */
function readableCopy(result: Exchange, secret: string | undefined): Response {
  const { response, text } = result;
  const nullBody = response.status === 204 || response.status === 304;
  const headers = new Headers();
  response.headers.forEach((value, name) => headers.append(name, redactText(value, secret)));
  const copy = new Response(nullBody ? null : text, {
    status: response.status,
    statusText: redactText(response.statusText, secret),
    headers,
  });
  return carry(copy, result);
}

/**
 * openapi-fetch's `fetch` for the raw client: answers with a fresh, readable Response (the
 * original's body was consumed by the checks above) and registers its exchange.
 */
export function readableFetch(policy: RetryPolicy, options: TransportOptions): FetchFunction {
  return async (request) => readableCopy(await exchange(request, policy, options), options.secret);
}

/**
 * openapi-fetch's `fetch` for this package's own pages: a 2xx comes back as the consumed original
 * (its parsed body is in the exchange, so nothing is parsed twice), an error as a readable copy
 * for openapi-fetch to read.
 */
export function parsedFetch(policy: RetryPolicy, options: TransportOptions): FetchFunction {
  return async (request) => {
    const result = await exchange(request, policy, options);
    if (!result.response.ok) return readableCopy(result, options.secret);
    // The page keeps its response, and the response its exchange: drop the body text, which
    // would double what every page holds once it is parsed.
    return carry(result.response, { ...result, text: '' });
  };
}
