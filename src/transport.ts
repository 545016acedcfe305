// The fetch of the client's openapi-fetch client: from the Request openapi-fetch built to a
// Response this package trusts. It refuses requests that must not leave (another origin, a header
// fetch refuses), runs the attempts (each with its timeout, which also covers the body) and the
// retry loop, keeps redirects on the API's origin, reads the body within its size bound, scrubs
// the key from everything read, and parses a 2xx JSON body once. What it learned travels with the
// Response it answers with: the parsed body, the attempts, the request id.
//
// Retrying happens here, below openapi-fetch's middleware, so that middleware sees one request
// per call and each attempt gets its own timeout and abort.
import { settingsOf, type FetchFunction, type RequestSettings } from './config.js';
import {
  AbortError,
  CheckpointsError,
  ConnectionError,
  InvalidArgumentError,
  InvalidResponseError,
  TimeoutError,
} from './errors.js';
import { checkedResponses, isChecked, type CheckedResponse } from './checked-response.js';
import { redactError, redactJsonSpellings, redactText } from './redact.js';
import { retryDelay, shouldRetryResponse, sleep } from './retry.js';
import type { Scheduler } from './scheduler.js';
import { checkHeaderName } from './validate.js';

/** What the transport needs to know. */
export interface TransportOptions {
  /** The only origin requests may go to: the API's. */
  readonly origin: string;
  /** The key, scrubbed from everything read. */
  readonly secret: string;
  /** A custom fetch; the platform's when undefined. */
  readonly fetch: FetchFunction | undefined;
  /** The settings of a request that carries none of its own. */
  readonly defaults: RequestSettings;
  /** The client's scheduler: every attempt waits for its turn there. */
  readonly scheduler: Scheduler;
}

/** The transport of one client. */
export interface Transport {
  /** openapi-fetch's `fetch`: the attempts of one request; rejects with a scrubbed typed error. */
  fetch(request: Request): Promise<CheckedResponse>;
  /**
   * A Response a middleware answered with in place of the transport's, read as the transport
   * reads its own (status, size, content type, JSON, the key scrubbed), or that very response if
   * the transport made it.
   */
  adopt(response: Response, request: Request): Promise<CheckedResponse>;
}

/** How many redirects on the same origin are followed (the API itself never redirects). */
const MAX_REDIRECTS = 5;

/** Statuses whose response has no body (a Response with one would not construct). */
const NULL_BODY_STATUSES = [204, 205, 304];

/** How one hop is sent: the platform `fetch`, or a custom one given a `Request`. */
type Send = (input: Request | string, init: RequestInit) => Promise<unknown>;

/** What arrived of an answer: its status and headers (the scheduler learns the limit from them). */
interface Answer {
  status: number;
  headers: Headers;
}

/**
 * One attempt's outcome: a response (retried if its status says so), or a failure; and `answer`,
 * what arrived of the server's answer, if anything did.
 */
type Outcome =
  | { response: CheckedResponse; retryable: boolean; answer: Answer }
  | { error: CheckpointsError; retryable: boolean; answer?: Answer | undefined };

/** What reading a response needs: the attempt's bound, number, and how to await and abort. */
interface Reading {
  settings: RequestSettings;
  attempt: number;
  /** Whether fetch vouches that the body it delivers is complete (its length enforced). */
  complete: boolean;
  settle: <T>(promise: Promise<T>) => Promise<T>;
  abort: () => void;
}

/**
 * Creates the transport of one client.
 *
 * @example
 * ```ts
 * const transport = createTransport({ origin, secret, fetch: undefined, defaults });
 * const client = createClient<paths>({ baseUrl, fetch: transport.fetch });
 * ```
 */
export function createTransport(options: TransportOptions): Transport {
  const { origin, secret, defaults, scheduler } = options;
  const custom = options.fetch;
  // globalThis.fetch is looked up per call, not captured: tests and instrumentation patch it.
  const send: Send = custom
    ? (input, init) => custom(new Request(input, init))
    : (input, init) => globalThis.fetch(input, init);
  // The platform fetch stops (and fails its body) when its signal fires; a custom one may not.
  const honoursSignal = !custom;
  const check = checkedResponses();

  /** `error` as it may leave: scrubbed over its whole graph. */
  const scrubbed = (error: CheckpointsError) => redactError(error, secret);

  /** An `InvalidResponseError` for `response`: status, scrubbed request id, attempts. */
  const invalid = (response: Response, attempts: number, problem: string, cause?: unknown) =>
    new InvalidResponseError({
      status: response.status,
      requestId: requestIdOf(response.headers, secret),
      attempts,
      problem,
      cause,
    });

  /**
   * Reads `response` into a CheckedResponse: a body already read is refused, the body is read
   * within its bound and scrubbed, and a 2xx must be JSON (a wrong content type is final; JSON
   * that does not parse is retryable unless fetch vouched that the body was complete).
   */
  async function read(response: Response, reading: Reading): Promise<Outcome> {
    const { attempt } = reading;
    const status = response.status;
    if (!Number.isInteger(status) || status < 200 || status > 599)
      return final(
        invalid(response, attempt, `status ${status} is not a final HTTP status (200-599)`),
      );
    if (response.body && (response.body.locked || response.bodyUsed))
      return final(invalid(response, attempt, 'the body was already read'));
    const body = await readBody(response, reading);
    const text = redactJsonSpellings(body.text, secret);
    // The copy's content-length: what was read, unless scrubbing changed it.
    const bytes = text === body.text ? body.bytes : new TextEncoder().encode(text).length;
    const empty = NULL_BODY_STATUSES.includes(status);
    let parsed: unknown;
    if (response.ok && !empty) {
      const type = response.headers.get('content-type');
      if (type !== null && !/[/+]json\b/i.test(type))
        return final(
          invalid(
            response,
            attempt,
            `expected JSON, got content-type "${redactText(type, secret)}"`,
          ),
        );
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        const problem = text === '' ? 'the body is empty' : 'the body is not valid JSON';
        const cut = reading.complete ? '' : ' (truncated?)';
        const failure = invalid(response, attempt, problem + cut, error);
        return { error: failure, retryable: !reading.complete, answer: response };
      }
    }
    const checked = check({
      status,
      statusText: redactText(response.statusText, secret),
      headers: scrubbedHeaders(response.headers, secret, empty ? undefined : bytes),
      text: empty ? null : text,
      parsed,
      attempts: attempt,
      requestId: requestIdOf(response.headers, secret),
    });
    return {
      response: checked,
      retryable: !response.ok && shouldRetryResponse(status, response.headers),
      answer: response,
    };
  }

  /** One attempt: its own controller and timer, the caller's signal followed. */
  async function attemptOnce(
    request: Request,
    settings: RequestSettings,
    attempt: number,
  ): Promise<Outcome> {
    const signal = request.signal;
    if (signal.aborted) return final(abortError(signal, attempt));
    // One controller per attempt. Not AbortSignal.timeout()/any(): their timers cannot be
    // cancelled, so a long pagination would keep one live timer per page.
    const controller = new AbortController();
    let timedOut = false;
    const timer = Number.isFinite(settings.timeoutMs)
      ? setTimeout(() => {
          timedOut = true; // the TimeoutError is built below, where the abort lands
          controller.abort();
        }, settings.timeoutMs)
      : undefined;
    const onCallerAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onCallerAbort);
    // For a custom fetch, each await is also raced against the signal.
    const guard = honoursSignal ? undefined : raceAgainst(controller.signal);
    const settle = <T>(promise: Promise<T>) => (guard ? guard.race(promise) : promise);
    let response: Response | undefined;
    try {
      response = await settle(sendFollowingRedirects(request, controller.signal, attempt));
      const complete =
        honoursSignal &&
        response.headers.has('content-length') &&
        !response.headers.has('content-encoding');
      const abort = () => controller.abort();
      return await read(response, { settings, attempt, complete, settle, abort });
    } catch (error) {
      if (signal.aborted) return final(abortError(signal, attempt));
      if (timedOut)
        return { error: new TimeoutError(settings.timeoutMs, attempt), retryable: true };
      // Our own refusals (a bad response, a body over the bound) are final.
      if (error instanceof CheckpointsError) return final(error);
      if (response) {
        // Headers arrived, the body did not: the connection closed mid-body.
        const cut = invalid(
          response,
          attempt,
          'the body was cut off before it was complete',
          error,
        );
        return { error: cut, retryable: true, answer: response };
      }
      const failure = new ConnectionError(
        `could not reach ${origin}: ${describe(error)}`,
        attempt,
        {
          cause: error,
        },
      );
      return { error: failure, retryable: !isPermanent(error) };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onCallerAbort);
      guard?.dispose();
    }
  }

  /**
   * Fetches, following redirects only within the API's origin: `Authorization` must never reach
   * another host, whatever a platform's redirect rules are.
   */
  async function sendFollowingRedirects(
    request: Request,
    signal: AbortSignal,
    attempt: number,
  ): Promise<Response> {
    // The first hop from the request itself (its headers are not parsed again), later ones by
    // URL. A request with a body is cloned, so that a retry still has one to send.
    const first = request.body === null ? request : request.clone();
    let response = asResponse(await send(first, { signal, redirect: 'manual' }), attempt);
    for (let hops = 0; ; hops++) {
      const { status } = response;
      // A browser shows a manual redirect only as an opaque one, without status or location.
      const opaque = response.type === 'opaqueredirect' || status === 0;
      const target = response.headers.get('location');
      if (!opaque && !(status >= 300 && status < 400 && target !== null)) return response;
      const base = response.url || request.url;
      // A Location that does not parse, or carries credentials, is the server's fault: no retry
      // mends it, and fetch would fail it as a network error.
      const location = target !== null && URL.canParse(target, base) ? new URL(target, base) : null;
      const why = opaque
        ? 'to another origin'
        : !location
          ? 'whose Location is not a URL'
          : location.origin !== origin
            ? `to another origin (${location.origin})`
            : location.username || location.password
              ? 'whose Location carries credentials (user:pass@)'
              : hops >= MAX_REDIRECTS
                ? `after more than ${MAX_REDIRECTS} redirects`
                : undefined;
      // A custom fetch's body would otherwise stay open (the platform's is released with it).
      void response.body?.cancel().catch(() => {});
      if (why || !location) {
        throw new InvalidResponseError({
          status,
          attempts: attempt,
          problem: `refused a redirect ${why}; the API key is only sent to ${origin}`,
        });
      }
      const init = { method: request.method, headers: request.headers, signal, redirect: 'manual' };
      response = asResponse(await send(location.href, init as RequestInit), attempt);
    }
  }

  /**
   * The body as text, counted as it streams (after decompression): past the bound the attempt is
   * aborted at once, so a huge or inflating body never sits in memory. A body fetch vouches for
   * (its length enforced, no encoding) is refused or read whole at once, without counting.
   */
  async function readBody(
    response: Response,
    reading: Reading,
  ): Promise<{ text: string; bytes: number }> {
    const limit = reading.settings.maxResponseBytes;
    const tooLarge = (size: string) => {
      reading.abort();
      const problem = `the body is larger than maxResponseBytes (${limit} bytes${size}); not retried`;
      return invalid(response, reading.attempt, problem);
    };
    const declared = Number(response.headers.get('content-length'));
    // Without a content-encoding the declared length is the decoded length: refuse before reading.
    if (!response.headers.has('content-encoding') && declared > limit)
      throw tooLarge(`, content-length ${declared}`);
    const body = response.body;
    if (!body) return { text: '', bytes: 0 };
    if (reading.complete) return { text: await response.text(), bytes: declared };
    const reader = body.getReader();
    // Bytes first, decoded once at the end: one flat string for JSON.parse, not a rope.
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reading.settle(reader.read());
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
    return { text: new TextDecoder().decode(bytes), bytes: size };
  }

  return {
    async fetch(request) {
      // Middleware and per-call options are the caller's code: what they made is checked once,
      // before anything is sent.
      refuseUnsafeRequest(request, origin);
      const settings = settingsOf(request) ?? defaults;
      const { signal } = request;
      // A later page of a walk under way (pagination says so) goes before listings not started.
      const continuing = (request as { continuing?: unknown }).continuing === true;
      let retries = 0;
      let rateLimitedSince: number | undefined;
      for (let attempt = 1; ; attempt++) {
        const turn = scheduler.admit({ signal, continuing: continuing || attempt > 1 });
        // An abort while waiting is the caller's; any other rejection is the limiter's, as it is.
        const admission = await turn.catch((error: unknown) => {
          throw signal.aborted ? scrubbed(abortError(signal, attempt)) : error;
        });
        // The turn covers the whole attempt, reading the body included.
        const outcome = await attemptOnce(request, settings, attempt);
        admission.done(outcome.answer);
        // A 429 spends no retry: the scheduler has paused the whole client until the server's
        // wait, and this request takes its turn again then, unless that is past its bound.
        if (outcome.retryable && outcome.answer?.status === 429 && 'response' in outcome) {
          rateLimitedSince ??= Date.now();
          const waited = Date.now() - rateLimitedSince;
          if (waited + scheduler.pausedForMs() <= settings.maxRateLimitWaitMs) continue;
          return outcome.response;
        }
        const delay =
          outcome.retryable && ++retries <= settings.maxRetries
            ? retryDelay(retries, outcome.answer?.headers, settings.backoff)
            : undefined;
        if (delay === undefined) {
          if ('error' in outcome) throw scrubbed(outcome.error);
          return outcome.response;
        }
        try {
          await sleep(delay, signal);
        } catch {
          throw scrubbed(abortError(signal, attempt));
        }
      }
    },

    async adopt(response, request) {
      if (isChecked(response)) return response;
      const settings = settingsOf(request) ?? defaults;
      const reading = { settings, attempt: 1, complete: false, settle: identity, abort() {} };
      const outcome = await read(response, reading);
      if ('error' in outcome) throw scrubbed(outcome.error);
      return outcome.response;
    },
  };
}

const identity = <T>(promise: Promise<T>) => promise;

const final = (error: CheckpointsError): Outcome => ({ error, retryable: false });

/**
 * Refuses a request this client must not send, whoever built it: one to another origin than the
 * API's (a middleware or per-call option pointed it elsewhere: it would carry the key there), one
 * with credentials in its URL, or one with a header fetch refuses. `InvalidArgumentError`, before
 * anything is sent. Origins compare as the URL standard serialises them, so case, default ports,
 * IPv4 and IPv6 spellings of the same host are the same origin, and anything else is not.
 */
function refuseUnsafeRequest(request: Request, origin: string): void {
  // A Request's URL is serialised by the URL standard: on the API's origin, without credentials,
  // it starts with that origin and a slash; anything else is parsed, to say what it is.
  const url = request.url.startsWith(`${origin}/`) ? undefined : new URL(request.url);
  if (url && url.origin !== origin) {
    throw new InvalidArgumentError(
      'request URL',
      `goes to ${url.origin}, not the API's origin ${origin}: the key is only sent there`,
    );
  }
  if (url) throw new InvalidArgumentError('request URL', 'carries credentials (user:pass@)');
  request.headers.forEach((_value, name) =>
    checkHeaderName(`headers[${JSON.stringify(name)}]`, name),
  );
}

/**
 * `headers` as a caller may see them: the key scrubbed from every value, and `content-length` the
 * length of the body handed out (openapi-fetch reads a body through `json()`, parsed already, only
 * when it has one). The platform's own object when nothing needs changing: no copy per page.
 */
function scrubbedHeaders(headers: Headers, secret: string, bytes: number | undefined): Headers {
  const length = bytes === undefined ? null : String(bytes);
  let copy: Headers | undefined;
  headers.forEach((value, name) => {
    const clean = redactText(value, secret);
    if (clean !== value) (copy ??= new Headers(headers)).set(name, clean);
  });
  if (length !== null && headers.get('content-length') !== length)
    (copy ??= new Headers(headers)).set('content-length', length);
  return copy ?? headers;
}

/** The `x-request-id` of a response, scrubbed (a server may echo anything into it). */
function requestIdOf(headers: Headers, secret: string): string | undefined {
  const id = headers.get('x-request-id');
  return id === null ? undefined : redactText(id, secret);
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

/** What a custom fetch resolved with, checked: a Response, or a typed, final error. */
function asResponse(value: unknown, attempt: number): Response {
  const response = value as Response;
  if (typeof response?.status !== 'number' || typeof response.headers?.get !== 'function') {
    throw new InvalidResponseError({
      status: 0,
      attempts: attempt,
      problem: `fetch resolved with ${value === null ? 'null' : typeof value}, not a Response`,
    });
  }
  return response;
}
