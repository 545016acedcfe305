// One scheduler per client: every attempt waits here for its turn, and tells it how it went. It
// bounds the attempts in flight, starts slowly until the server has said what its limit is, then
// spends that limit at the pace the headers teach (src/pace.ts), pauses the whole client on a
// 429, serves the later pages of walks already under way before listings that have not started,
// and asks an optional cross-process `Limiter` before each send. No I/O here but timers.
import { createAbortFanout, type AbortFanout } from './abort-fanout.js';
import { learn, sendDelay, spend, type PaceState } from './pace.js';
import { rateLimitWait, readRateLimit, type RateLimitState } from './rate-limit-headers.js';
import { MAX_TIMER_MS } from './validate.js';

/**
 * Attempts in flight at most, by default.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({ maxConcurrency: DEFAULT_MAX_CONCURRENCY / 4 });
 * ```
 */
export const DEFAULT_MAX_CONCURRENCY = 64;

/** Attempts in flight at first; one more for each answer after that. */
const SLOW_START = 8;

/**
 * What a limiter is told after each attempt.
 *
 * @example
 * ```ts
 * const limiter: Limiter = {
 *   reserve: () => 0,
 *   observe: ({ status, retryAfterMs }) => {
 *     if (status === 429) console.warn(`rate limited for ${retryAfterMs} ms`);
 *   },
 * };
 * ```
 */
export interface LimiterObservation {
  /** The response's status; `undefined` when none arrived (a dropped connection, a timeout). */
  readonly status: number | undefined;
  /** The request limit as the response reported it, if it did. */
  readonly rateLimit: RateLimitState | undefined;
  /** For a 429: how long the client pauses, in ms. */
  readonly retryAfterMs: number | undefined;
}

/**
 * A limit shared beyond one client, e.g. by every process of a service through Redis
 * (`fine-tuning-checkpoints/redis-limiter`). The scheduler asks it before each attempt, one
 * attempt at a time, and tells it about every attempt's outcome.
 *
 * @example
 * ```ts
 * // At most one request per 100 ms across everything that shares `next`.
 * let next = 0;
 * const limiter: Limiter = {
 *   reserve() {
 *     const at = Math.max(Date.now(), next);
 *     next = at + 100;
 *     return at - Date.now();
 *   },
 *   observe() {},
 * };
 * ```
 */
export interface Limiter {
  /**
   * Reserves one send: resolves with how many ms from now it may go (0: now). A rejection fails
   * the attempt that was next in line with that error.
   */
  reserve(): number | Promise<number>;
  /** Told what came of each attempt (called synchronously; return nothing to wait for). */
  observe(observation: LimiterObservation): void;
}

/**
 * Options of {@link createScheduler}.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({ maxConcurrency: 16 });
 * ```
 */
export interface SchedulerOptions {
  /** Attempts in flight at most (default 64). */
  maxConcurrency?: number | undefined;
  /** A limit shared with other processes, asked before each attempt. */
  limiter?: Limiter | undefined;
  /** The clock, in ms (default `performance.now()`). */
  now?: (() => number) | undefined;
  /** The timers (default the platform's): tests drive the scheduler with their own. */
  timers?:
    | {
        setTimeout(callback: () => void, ms: number): unknown;
        clearTimeout(handle: unknown): void;
      }
    | undefined;
  /** The client's abort fan-out, shared with whatever else of the client waits on signals. */
  abortFanout?: AbortFanout | undefined;
}

/**
 * One attempt's turn: say when it is over.
 *
 * @example
 * ```ts
 * const admission = await scheduler.admit({ continuing: false });
 * const response = await fetch(url).catch(() => undefined);
 * const body = await response?.text();
 * admission.done(response);
 * ```
 */
export interface Admission {
  /** The attempt is over: its status and headers, or `undefined` when no response arrived. */
  done(response?: { status: number; headers: Headers }): void;
}

/**
 * The scheduler of one client.
 *
 * @example
 * ```ts
 * const admission = await scheduler.admit({ signal, continuing: page > 1 });
 * ```
 */
export interface Scheduler {
  /**
   * Waits until one attempt may be sent. `continuing`: a later page of a walk already under way
   * (or a retry), served before listings that have not started. Rejects with `signal.reason`
   * when the signal aborts, and leaves no listener behind.
   */
  admit(options: { signal?: AbortSignal | undefined; continuing: boolean }): Promise<Admission>;
  /** ms until the client may send again after a 429 pause (0 when not paused). */
  pausedForMs(): number;
}

interface Waiter {
  resolve(admission: Admission): void;
  reject(reason: unknown): void;
  unsubscribe?: (() => void) | undefined;
}

/**
 * Creates the scheduler of one client.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({ maxConcurrency: 64 });
 * const admission = await scheduler.admit({ signal, continuing: false });
 * try {
 *   const response = await fetch(request);
 *   await response.text();
 *   admission.done(response);
 * } catch (error) {
 *   admission.done();
 *   throw error;
 * }
 * ```
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  // The options are the client's, checked where the client's options are (src/config.ts).
  const { maxConcurrency = DEFAULT_MAX_CONCURRENCY, limiter } = options;
  const now = options.now ?? (() => performance.now());
  // The platform's timers, looked up when called: tests and instrumentation patch them.
  const timers =
    options.timers ?? (globalThis as unknown as NonNullable<SchedulerOptions['timers']>);
  const fanout = options.abortFanout ?? createAbortFanout();

  // Waiting attempts: later pages of walks under way first, then the rest, each in order.
  const queues: [continuing: Waiter[], starting: Waiter[]] = [[], []];
  let inFlight = 0;
  let sent = 0;
  // Attempts allowed in flight: a few at first, one more for each answer, up to maxConcurrency.
  let window = Math.min(SLOW_START, maxConcurrency);
  let pace: PaceState | undefined;
  let pausedUntil = -Infinity;
  let rateLimitedInARow = 0;
  let timer: unknown;
  let wakeAt = Infinity;
  // The limiter's answer for the next send: undefined (not asked), 'asking', or a time.
  let reserved: number | 'asking' | undefined;

  const head = (): Waiter | undefined => queues[0][0] ?? queues[1][0];

  /** Takes `waiter` out of its queue, if it is still there, and stops listening for it. */
  const take = (waiter: Waiter): boolean => {
    const queue = queues.find((waiting) => waiting.includes(waiter));
    queue?.splice(queue.indexOf(waiter), 1);
    waiter.unsubscribe?.();
    return queue !== undefined;
  };

  function wake(ms: number): void {
    const at = now() + ms;
    if (timer !== undefined && wakeAt <= at) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    wakeAt = at;
    // Rounded up: a timer that fires a fraction early would only set itself again.
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        wakeAt = Infinity;
        pump();
      },
      Math.min(Math.ceil(ms), MAX_TIMER_MS),
    );
  }

  function ask(): void {
    reserved = 'asking';
    new Promise<number>((resolve) => resolve(limiter!.reserve())).then(
      (ms) => {
        reserved = now() + (ms > 0 && ms < Infinity ? ms : 0);
        pump();
      },
      (error: unknown) => {
        reserved = undefined;
        const waiter = head();
        if (waiter) {
          take(waiter);
          waiter.reject(error);
        }
        pump();
      },
    );
  }

  /** ms until the next attempt may go at `time` (0 or less: now); `Infinity` while it cannot. */
  function waitAt(time: number): number {
    if (inFlight >= window || reserved === 'asking') return Infinity;
    return Math.max(
      pausedUntil - time,
      sendDelay(pace, time),
      reserved === undefined ? 0 : reserved - time,
    );
  }

  /** Admits whoever may go now, and sets a timer for whoever must wait. */
  function pump(): void {
    for (let waiter = head(); waiter; waiter = head()) {
      const time = now();
      const wait = waitAt(time);
      if (wait === Infinity) return;
      if (wait > 0) return wake(wait);
      if (limiter && reserved === undefined) return ask();
      reserved = undefined;
      take(waiter);
      waiter.resolve(admitted(time));
    }
    // Nobody waits: a pending timer would only keep the process alive.
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    wakeAt = Infinity;
    // A reservation nobody will use is dropped (a shared limiter counts it as spent).
    if (reserved !== 'asking') reserved = undefined;
  }

  function admitted(sentAt: number): Admission {
    inFlight++;
    const seq = ++sent;
    if (pace) pace = spend(pace, sentAt);
    let open = true;
    return {
      done(response) {
        if (!open) return;
        open = false;
        observe(response, sentAt, seq);
        // With attempts waiting, or at the limit, the slot is given back a turn of the event loop
        // later: Node's fetch returns a socket to its pool only then, and an attempt sent at once
        // would open another (measured: 64 at a time kept 126 sockets open, 64 once deferred;
        // at the limit, a walk's next page came in before the turn: 71-82, now 64-67). Below it
        // with nobody waiting, at once: a timer per request costs 8 % of a request's CPU.
        if (!head() && inFlight < window) inFlight--;
        else
          timers.setTimeout(() => {
            inFlight--;
            pump();
          }, 0);
      },
    };
  }

  function observe(
    response: { status: number; headers: Headers } | undefined,
    sentAt: number,
    seq: number,
  ) {
    const rateLimit = response && readRateLimit(response.headers);
    let retryAfterMs: number | undefined;
    if (response?.status === 429) {
      // A 429 that names no wait: 0.5 s, twice that for each 429 in a row, at most 8 s. One that
      // does is waited at least 1 ms, doubling in a row too: a server that always says 0 cannot
      // keep the client retrying at once.
      const named = rateLimitWait(response.headers);
      const doubling = 2 ** Math.min(++rateLimitedInARow, 15);
      retryAfterMs =
        named === undefined
          ? Math.min(250 * doubling, 8_000)
          : Math.max(named, Math.min(doubling / 2, 8_000));
      pausedUntil = Math.max(pausedUntil, now() + retryAfterMs);
      // Without the limit's headers, fewer in flight: half as many for each 429.
      if (!pace && !rateLimit) window = Math.max(1, window >> 1);
    } else if (response) {
      rateLimitedInARow = 0;
      if (window < maxConcurrency) window++;
    }
    pace = learn(pace, {
      rateLimit,
      resumeAt: retryAfterMs === undefined ? undefined : pausedUntil,
      sentAt,
      seq,
      now: now(),
      sent,
    });
    limiter?.observe({ status: response?.status, rateLimit, retryAfterMs });
  }

  return {
    admit({ signal, continuing }) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      // Nobody ahead and nothing to wait for: admitted at once, without a place in the queue
      // (the common case when the client is not at its limit).
      const time = now();
      if (!limiter && !head() && waitAt(time) <= 0) return Promise.resolve(admitted(time));
      return new Promise<Admission>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject };
        if (signal) {
          waiter.unsubscribe = fanout.subscribe(signal, () => {
            if (!take(waiter)) return;
            reject(signal.reason);
            pump();
          });
        }
        queues[continuing ? 0 : 1].push(waiter);
        pump();
      });
    },
    pausedForMs: () => Math.max(0, pausedUntil - now()),
  };
}
