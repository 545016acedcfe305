// One HTTP exchange, from the request openapi-fetch built to a response this package trusts:
// per-attempt timeouts that cover the body, the retry loop, redirects kept on the API's origin,
// the body read within its size bound, and everything read scrubbed of the key.
//
// Retrying happens here, below openapi-fetch's middleware, so that middleware sees one request
// per call and each attempt gets its own timeout and abort.
import type { CallConfig } from './config.js';
import {
  AbortError,
  CheckpointsError,
  ConnectionError,
  InvalidArgumentError,
  InvalidResponseError,
  TimeoutError,
} from './errors.js';
import { redactJsonSpellings, redactText } from './redact.js';
import { retryDelay, shouldRetryResponse, sleep } from './retry.js';
import { checkHeaderName } from './validate.js';

/** A `fetch` as openapi-fetch calls it: one `Request` in, one `Response` out. */
export type FetchFunction = (request: Request) => Promise<Response>;

/** How many redirects on the same origin are followed (the API itself never redirects). */
const MAX_REDIRECTS = 5;

/**
 * What one call learned, handed back to it (never kept anywhere else): the final response, its
 * body text scrubbed and, for a 2xx, parsed, and how to make the response a caller may see.
 */
export interface Exchange {
  /** The platform's response, its body consumed. Never handed out: it holds what was sent. */
  readonly response: Response;
  /** The body text, scrubbed. */
  readonly text: string;
  /** The parsed body of a 2xx; `undefined` for other statuses. */
  readonly json: unknown;
  /** Attempts made, 1 + retries. */
  readonly attempts: number;
  /** The `x-request-id` header, scrubbed. */
  readonly requestId: string | undefined;
  /**
   * A copy of the response for callers: status, status text and headers scrubbed, `attempts`,
   * and `body` (or none). Made only when asked for: most pages never show their response.
   */
  readonly scrubbed: (body: string | null) => CheckedResponse;
}

/**
 * The Response this package hands out: status, scrubbed status text and headers, and how many
 * attempts it took. Never the platform's own object, which carries what the server sent.
 */
export type CheckedResponse = Response & {
  /** Attempts made, 1 + retries. */
  readonly attempts: number;
};

/** Statuses whose response has no body (a Response with one would not construct). */
const NULL_BODY_STATUSES = [204, 205, 304];

/** A readable copy of `exchange.response`, its body the scrubbed text (for openapi-fetch). */
export function readableResponse({ response, text, scrubbed }: Exchange): CheckedResponse {
  return scrubbed(NULL_BODY_STATUSES.includes(response.status) ? null : text);
}

/**
 * openapi-fetch's `Request` option: the platform's Request, looked up when a request is built,
 * not when a client is (creating a client then loads no HTTP stack: cold start).
 */
export class PlatformRequest {
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

type AttemptResult =
  | { ok: true; response: Response; text: string; json: unknown }
  | { ok: false; error: CheckpointsError; retryable: boolean; headers?: Headers };

/** How one hop is sent: the platform `fetch`, or a custom one given a `Request`. */
type Send = (input: Request | string, init: RequestInit) => Promise<unknown>;

/** The transport of one client. */
export interface Transport {
  /**
   * Sends `request` with `call`'s retries, timeout and bound; rejects with a typed error.
   * `signal` (default: the request's own) aborts it: a listing passes its page's signal here
   * rather than through openapi-fetch, whose Request would follow it with a signal of its own.
   */
  exchange(request: Request, call: CallConfig, signal?: AbortSignal): Promise<Exchange>;
}

/**
 * A transport over the platform's `fetch`, or over `customFetch`, that sends only to `origin`
 * (the configured API's); `secret` is scrubbed.
 */
export function createTransport(
  customFetch: FetchFunction | undefined,
  secret: string,
  origin: string,
): Transport {
  // globalThis.fetch is looked up per call, not captured: tests and instrumentation patch it.
  const send: Send = customFetch
    ? (input, init) => customFetch(new Request(input, init))
    : (input, init) => globalThis.fetch(input, init);
  // The platform fetch stops (and fails its body) when its signal fires; a custom one may not.
  const honoursSignal = !customFetch;
  return {
    async exchange(request, call, callerSignal = request.signal) {
      // Middleware and per-call options are the caller's code: what they made is checked once,
      // before anything is sent.
      refuseUnsafeRequest(request, origin);
      for (let attempt = 1; ; attempt++) {
        const result = await attemptOnce(
          request,
          callerSignal,
          attempt,
          call,
          send,
          honoursSignal,
          secret,
          origin,
        );
        const headers = result.ok ? result.response.headers : result.headers;
        const retryable = result.ok
          ? !result.response.ok && shouldRetryResponse(result.response.status, headers!)
          : result.retryable;
        const delay =
          retryable && attempt <= call.maxRetries
            ? retryDelay(attempt, headers, call.backoff)
            : undefined;
        if (delay === undefined) {
          if (!result.ok) throw result.error;
          const { response, text, json } = result;
          return {
            response,
            text,
            json,
            attempts: attempt,
            requestId: requestIdOf(response, secret),
            scrubbed: (body) => scrubbedResponse(response, body, attempt, secret),
          };
        }
        try {
          await sleep(delay, callerSignal);
        } catch {
          throw abortError(callerSignal, attempt);
        }
      }
    },
  };
}

/**
 * Refuses a request this client must not send, whoever built it: one to another origin than the
 * API's (a middleware or per-call option pointed it elsewhere: it would carry the key there), one
 * with credentials in its URL, or one with a header fetch forbids. `InvalidArgumentError`, before
 * anything is sent. Origins compare as the URL standard serialises them, so case, default ports,
 * IPv4 and IPv6 spellings of the same host are the same origin, and anything else is not.
 */
function refuseUnsafeRequest(request: Request, origin: string): void {
  const url = new URL(request.url);
  if (url.origin !== origin) {
    throw new InvalidArgumentError(
      'request URL',
      `goes to ${url.origin}, not the API's origin ${origin}: the key is only sent there`,
    );
  }
  if (url.username || url.password)
    throw new InvalidArgumentError('request URL', 'carries credentials (user:pass@)');
  request.headers.forEach((_value, name) =>
    checkHeaderName(`headers[${JSON.stringify(name)}]`, name),
  );
}

/** The final response, as the caller may see it: status text and headers scrubbed. */
function scrubbedResponse(
  response: Response,
  body: string | null,
  attempts: number,
  secret: string,
): CheckedResponse {
  const headers = new Headers();
  response.headers.forEach((value, name) => headers.append(name, redactText(value, secret)));
  const statusText = redactText(response.statusText, secret);
  const copy = new Response(body, { status: response.status, statusText, headers });
  // A plain Response with one more field, not a subclass: a class extending Response would read
  // the global at import, which in Node loads the whole HTTP stack before anything is sent.
  return Object.defineProperty(copy, 'attempts', {
    value: attempts,
    enumerable: true,
  }) as CheckedResponse;
}

/** The `x-request-id` of a response, scrubbed (a server may echo anything into it). */
function requestIdOf(response: Response, secret: string): string | undefined {
  const id = response.headers.get('x-request-id');
  return id === null ? undefined : redactText(id, secret);
}

async function attemptOnce(
  request: Request,
  callerSignal: AbortSignal,
  attempt: number,
  call: CallConfig,
  send: Send,
  honoursSignal: boolean,
  secret: string,
  origin: string,
): Promise<AttemptResult> {
  const aborted = (): AttemptResult => ({
    ok: false,
    error: abortError(callerSignal, attempt),
    retryable: false,
  });
  if (callerSignal.aborted) return aborted();

  // One controller per attempt. Not AbortSignal.timeout()/any(): their timers cannot be cancelled,
  // so a long pagination would keep one live timer per page; this one is cleared at once.
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(call.timeoutMs)
    ? setTimeout(() => {
        timedOut = true; // the TimeoutError is built below, where the abort lands
        controller.abort();
      }, call.timeoutMs)
    : undefined;
  const onCallerAbort = () => controller.abort(callerSignal.reason);
  callerSignal.addEventListener('abort', onCallerAbort);
  // For a custom fetch, each await is also raced against the signal.
  const guard = honoursSignal ? undefined : raceAgainst(controller.signal);
  const settle = <T>(promise: Promise<T>) => (guard ? guard.race(promise) : promise);

  let response: Response | undefined;
  try {
    response = await settle(
      sendFollowingRedirects(request, controller.signal, send, attempt, origin),
    );
    // A custom fetch may hand back a Response someone already read.
    if (response.body && (response.body.locked || response.bodyUsed))
      throw invalid(response, attempt, secret, 'the body was already read');
    // The platform's fetch fails a body shorter than its content-length; with no content-encoding
    // that length is the body's, so what was read is the whole body.
    const complete =
      honoursSignal &&
      response.headers.has('content-length') &&
      !response.headers.has('content-encoding');
    const text = await readBody(
      response,
      call.maxResponseBytes,
      attempt,
      settle,
      controller,
      complete,
    );
    // A response may echo the request (a hostile or buggy server or proxy): the key is scrubbed
    // from the body before any error message, cursor or caller can see it.
    return checkBody(response, redactJsonSpellings(text, secret), attempt, secret, complete);
  } catch (error) {
    if (callerSignal.aborted) return aborted();
    if (timedOut)
      return { ok: false, error: new TimeoutError(call.timeoutMs, attempt), retryable: true };
    // Our own refusals (a bad response, a request we must not send) are final.
    if (error instanceof CheckpointsError) return { ok: false, error, retryable: false };
    if (response) {
      // Headers arrived, the body did not: the connection closed mid-body.
      const failure = invalid(
        response,
        attempt,
        secret,
        'the body was cut off before it was complete',
        error,
      );
      return { ok: false, error: failure, retryable: true, headers: response.headers };
    }
    const origin = new URL(request.url).origin;
    const failure = new ConnectionError(`could not reach ${origin}: ${describe(error)}`, attempt, {
      cause: error,
    });
    return { ok: false, error: failure, retryable: !isPermanent(error) };
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener('abort', onCallerAbort);
    guard?.dispose();
  }
}

/**
 * The caller's abort: a `TimeoutError` reason (`AbortSignal.timeout()`) is this package's
 * `TimeoutError`; any other is an `AbortError`. Both keep the reason as `cause`; neither is retried.
 */
function abortError(signal: AbortSignal, attempts: number): CheckpointsError {
  const reason: unknown = signal.reason;
  return (reason as Error | undefined)?.name === 'TimeoutError'
    ? new TimeoutError(undefined, attempts, { cause: reason })
    : new AbortError({ cause: reason });
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

/** The innermost message of a fetch failure ("fetch failed" alone says nothing). */
function describe(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * Failures that no retry can fix: the platform refusing the request itself (a port fetch may
 * not use, an invalid URL or header: Node's `ERR_INVALID_*` codes), not the network failing.
 */
function isPermanent(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (/bad port|ByteString|Invalid URL/i.test(current.message)) return true;
    if (typeof code === 'string' && /^ERR_INVALID_/.test(code)) return true;
  }
  return false;
}

/** An `InvalidResponseError` for `response`: status, scrubbed request id, attempts. */
function invalid(
  response: Response,
  attempts: number,
  secret: string,
  problem: string,
  cause?: unknown,
): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    requestId: requestIdOf(response, secret),
    attempts,
    problem,
    cause,
  });
}

/** What a custom fetch resolved with, checked: a Response, or a typed, final error. */
function asResponse(value: unknown, attempt: number): Response {
  const response = value as Response;
  if (
    typeof response !== 'object' ||
    response === null ||
    typeof response.status !== 'number' ||
    typeof response.headers?.get !== 'function'
  ) {
    throw new InvalidResponseError({
      status: 0,
      attempts: attempt,
      problem: `fetch resolved with ${value === null ? 'null' : typeof value}, not a Response`,
    });
  }
  return response;
}

/**
 * Fetches, following redirects only within the request's origin: `Authorization` must never
 * reach another host, whatever a platform's redirect rules are.
 */
async function sendFollowingRedirects(
  request: Request,
  signal: AbortSignal,
  send: Send,
  attempt: number,
  origin: string,
): Promise<Response> {
  const init = {
    method: request.method,
    headers: request.headers,
    signal,
    redirect: 'manual' as const,
  };
  // The first hop from the request itself (its headers are not parsed again), later ones by URL.
  // A request with a body is cloned, so that a retry still has one to send.
  const first = request.body === null ? request : request.clone();
  let response = asResponse(await send(first, { signal, redirect: 'manual' }), attempt);
  for (let hops = 0; ; hops++) {
    const { status } = response;
    const refuse = (problem: string) => {
      // A custom fetch's body would otherwise stay open (the platform's is released with it).
      void response.body?.cancel().catch(() => {});
      return new InvalidResponseError({ status, attempts: attempt, problem });
    };
    // A browser shows a manual redirect only as an opaque one, without status or location.
    if (response.type === 'opaqueredirect' || status === 0)
      throw refuse(`refused a redirect; the API key is only sent to ${origin}`);
    if (!Number.isInteger(status) || status < 200 || status > 599)
      throw refuse(`status ${status} is not a final HTTP status (200-599)`);
    if (!(status >= 300 && status < 400 && response.headers.has('location'))) return response;
    const base = response.url || request.url;
    const target = response.headers.get('location')!;
    // A Location that does not parse, or that carries credentials, is the server's fault: no
    // retry fixes it, and fetch would fail it as a network error.
    const location = URL.canParse(target, base) ? new URL(target, base) : undefined;
    const problem = !location
      ? 'refused a redirect whose Location is not a URL'
      : location.origin !== origin
        ? `refused a redirect to another origin (${location.origin}); the API key is only sent to ${origin}`
        : location.username || location.password
          ? 'refused a redirect whose Location carries credentials (user:pass@)'
          : hops >= MAX_REDIRECTS
            ? `more than ${MAX_REDIRECTS} redirects`
            : undefined;
    if (problem || !location) throw refuse(problem!);
    await response.body?.cancel();
    response = asResponse(await send(location.href, init), attempt);
  }
}

/**
 * The body as text, counted as it streams (after decompression): past `limit` bytes the attempt
 * is aborted at once, so a huge or inflating body never sits in memory. A body the platform's
 * fetch delivers with a `content-length` and no `content-encoding` is exactly that long (fetch
 * fails it otherwise), so it is refused or read whole at once, without counting.
 */
async function readBody(
  response: Response,
  limit: number,
  attempt: number,
  settle: <T>(promise: Promise<T>) => Promise<T>,
  controller: AbortController,
  complete: boolean,
): Promise<string> {
  const tooLarge = (size: string) => {
    controller.abort();
    return new InvalidResponseError({
      status: response.status,
      attempts: attempt,
      problem: `the body is larger than maxResponseBytes (${limit} bytes${size}); not retried`,
    });
  };
  const length = response.headers.get('content-length');
  const declared = Number(length);
  // Without a content-encoding the declared length is the decoded length: refuse before reading.
  const plain = !response.headers.has('content-encoding');
  if (plain && declared > limit) throw tooLarge(`, content-length ${declared}`);
  const body = response.body;
  if (!body) return '';
  if (complete) return response.text();
  const reader = body.getReader();
  // Bytes first, decoded once at the end: one flat string for JSON.parse, not a rope of pieces.
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await settle(reader.read());
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => {});
        throw tooLarge('');
      }
      chunks.push(value);
    }
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // a read still pending (a custom fetch's body raced by an abort): nothing to release
    }
  }
  const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(size);
  if (chunks.length > 1)
    chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return new TextDecoder().decode(bytes);
}

/**
 * A 2xx must be JSON: a wrong content type is final; a body that does not parse is retried when
 * it may have been cut short, and final when fetch vouched that it arrived `complete`.
 */
function checkBody(
  response: Response,
  text: string,
  attempt: number,
  secret: string,
  complete: boolean,
): AttemptResult {
  // An error's body is described, not parsed, here; 204 and 205 have none by definition.
  if (!response.ok || NULL_BODY_STATUSES.includes(response.status))
    return { ok: true, response, text, json: undefined };
  const type = response.headers.get('content-type');
  if (type !== null && !/[/+]json\b/i.test(type)) {
    const failure = invalid(
      response,
      attempt,
      secret,
      `expected JSON, got content-type "${redactText(type, secret)}"`,
    );
    return { ok: false, error: failure, retryable: false };
  }
  try {
    return { ok: true, response, text, json: JSON.parse(text) };
  } catch (error) {
    const problem =
      text === ''
        ? 'the body is empty'
        : complete
          ? 'the body is not valid JSON'
          : 'the body is not valid JSON (truncated?)';
    return {
      ok: false,
      error: invalid(response, attempt, secret, problem, error),
      retryable: !complete,
      headers: response.headers,
    };
  }
}
