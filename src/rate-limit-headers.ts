// What a response says about the rate limit, read from OpenAI's headers: the request limit, what
// is left of it and when it is whole again (`x-ratelimit-*-requests`), and, on a 429, how long to
// wait. Pure functions: every header is hostile until it parses into a sane number.
import { serverRetryDelay } from './retry.js';

/**
 * The request limit as one response reported it (`x-ratelimit-limit-requests`,
 * `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests`).
 *
 * @example
 * ```ts
 * const state: RateLimitState = { limit: 500, remaining: 499, resetMs: 120 };
 * const perSecond = ((state.limit - state.remaining) / state.resetMs) * 1000; // 8.3 requests/s
 * ```
 */
export interface RateLimitState {
  /** Requests the limit holds when whole (OpenAI's requests per minute, or a burst). */
  readonly limit: number;
  /** Requests left, after the one this response answered. */
  readonly remaining: number;
  /** Milliseconds until the limit is whole again (OpenAI: "resets to its initial state"). */
  readonly resetMs: number;
}

/** The longest wait a header may ask of the client: one hour, however long it says. */
export const MAX_HEADER_WAIT_MS = 3_600_000;

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, ns: 1e-6 };

/**
 * A duration as OpenAI writes it (Go's notation: `1s`, `6m0s`, `20ms`, `1h2m3.5s`, `0`) in ms;
 * `undefined` for anything else (negative, empty, unknown units, absurd lengths).
 *
 * @example
 * ```ts
 * parseDuration('6m0s'); // 360000
 * parseDuration('1h2m3.5s'); // 3723500
 * parseDuration('soon'); // undefined
 * ```
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '0') return 0;
  let total = 0;
  // Each number and unit is consumed; anything left over (or nothing at all) is not a duration.
  // Microseconds are `us`, `µs` (what Go prints) or `μs` (the Greek letter). Bounded length: a
  // hostile header cannot make this long.
  const rest = value.replace(
    /(\d+(?:\.\d+)?)(h|ms|m|s|[uµμ]s|ns)/g,
    (_, amount: string, unit: string) => {
      total += Number(amount) * (UNIT_MS[unit] ?? 1e-3);
      return '';
    },
  );
  return value && value.length <= 64 && !rest ? total : undefined;
}

/** A header holding a whole number (at most 15 digits), or `undefined`. */
function count(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * The request limit a response reports, or `undefined` when a header is missing or makes no
 * sense (a limit of 0, more remaining than the limit, an unreadable duration).
 *
 * @example
 * ```ts
 * readRateLimit(response.headers); // { limit: 20, remaining: 3, resetMs: 85 }
 * ```
 */
export function readRateLimit(headers: Headers): RateLimitState | undefined {
  const limit = count(headers, 'x-ratelimit-limit-requests');
  const remaining = count(headers, 'x-ratelimit-remaining-requests');
  const reset = headers.get('x-ratelimit-reset-requests');
  const resetMs = reset === null ? undefined : parseDuration(reset);
  if (limit === undefined || remaining === undefined || resetMs === undefined) return undefined;
  if (limit < 1 || remaining > limit) return undefined;
  return { limit, remaining, resetMs };
}

/**
 * How long a 429 asks the client to wait, in ms: `retry-after-ms`, else `Retry-After` (seconds or
 * an HTTP date), else `x-ratelimit-reset-requests`; at most {@link MAX_HEADER_WAIT_MS}.
 * `undefined` when the response names no wait.
 *
 * @example
 * ```ts
 * rateLimitWait(new Headers({ 'retry-after-ms': '40' })); // 40
 * rateLimitWait(new Headers({ 'x-ratelimit-reset-requests': '1s' })); // 1000
 * ```
 */
export function rateLimitWait(headers: Headers, now = Date.now()): number | undefined {
  const reset = headers.get('x-ratelimit-reset-requests');
  const wait =
    serverRetryDelay(headers, now) ?? (reset === null ? undefined : parseDuration(reset));
  return wait === undefined ? undefined : Math.min(wait, MAX_HEADER_WAIT_MS);
}
