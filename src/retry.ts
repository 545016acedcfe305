// What is retried and how long to wait: pure decisions, no I/O, so each rule is tested directly.

/**
 * The longest server-requested wait this client honours, in ms.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitError && (error.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS) {
 *   await queue.later(job, error.retryAfterMs); // the client gave up waiting: schedule it
 * }
 * ```
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How long to wait before retry number `retry` (1 for the first retry) when the server gave no
 * `Retry-After`: about 0.5 s, doubling, capped at 8 s, minus up to 25 % jitter so that clients
 * that failed together do not come back together.
 *
 * @example
 * ```ts
 * // Twice the default wait, for a shared rate limit.
 * const client = createCheckpointsClient({ backoff: (retry) => 2 * defaultBackoff(retry) });
 * ```
 */
export function defaultBackoff(retry: number): number {
  const ceiling = Math.min(500 * 2 ** (retry - 1), 8_000);
  return ceiling * (1 - Math.random() * 0.25);
}

/**
 * Statuses worth another try: timeouts, conflicts, rate limits and server faults.
 *
 * @example
 * ```ts
 * if (error instanceof ApiError && isRetryableStatus(error.status)) scheduleAgain(jobId);
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The status rule, unless the server says otherwise with `x-should-retry: true|false`. */
export function shouldRetryResponse(status: number, headers: Headers): boolean {
  const override = headers.get('x-should-retry');
  if (override === 'true') return true;
  if (override === 'false') return false;
  return isRetryableStatus(status);
}

/**
 * The wait the server asks for, in ms: `retry-after-ms` (OpenAI's, fractional ms) first, then
 * `Retry-After` as seconds or as an HTTP date. `undefined` when absent or unreadable.
 */
export function serverRetryDelay(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Number(after) * 1_000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The delay before retry number `retry`, or `undefined` to stop retrying now. A server that asks
 * for more than `MAX_RETRY_AFTER_MS` gets no retry: the error is thrown at once, carrying
 * `retryAfterMs`, so the caller decides (a server must not park a client for hours, and retrying
 * before the server said is wasted quota).
 */
export function retryDelay(
  retry: number,
  headers: Headers | undefined,
  backoff: (retry: number) => number,
): number | undefined {
  const asked = headers ? serverRetryDelay(headers) : undefined;
  if (asked === undefined) return Math.max(0, backoff(retry));
  return asked > MAX_RETRY_AFTER_MS ? undefined : asked;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
