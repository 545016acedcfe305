/**
 * `fine-tuning-checkpoints/redis-limiter`: one rate limit shared by every process (and machine)
 * that lists with the same API key, through Redis, over rate-limiter-flexible's atomic counters.
 * Its own entry, so that the main one gains no dependency: install `rate-limiter-flexible` and a
 * Redis client (ioredis) to use it.
 *
 * How the limit is shared: time is cut into slots of about 50 ms, each holding a share of the
 * limit (95 % of it by default); a process reserves its next send in the first slot with room
 * and waits for that slot's start. A 429 in any process pauses them all until its retry-after.
 * The limit comes from the `x-ratelimit-*` headers, learned by whichever process sees them first
 * and kept in Redis for the others (or is given as `requestsPerMinute`).
 *
 * @packageDocumentation
 */
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { InvalidArgumentError } from './errors.js';
import { addRefillSample, type RefillSums } from './pace.js';
import { MAX_HEADER_WAIT_MS } from './rate-limit-headers.js';
import type { Limiter, LimiterObservation } from './scheduler.js';

export type { Limiter, LimiterObservation } from './scheduler.js';
export type { RateLimitState } from './rate-limit-headers.js';

/**
 * Options of {@link createRedisLimiter}.
 *
 * @example
 * ```ts
 * const options: RedisLimiterOptions = { storeClient: new Redis(), key: 'org-main' };
 * ```
 */
export interface RedisLimiterOptions {
  /** The Redis client, as rate-limiter-flexible takes it: an ioredis client (tested), or node-redis with `useRedisPackage`. */
  storeClient: unknown;
  /** Set for a node-redis (`redis` package) client. */
  useRedisPackage?: boolean | undefined;
  /**
   * Names the shared limit: processes with the same key share one. One per API key (or per
   * organization and project: OpenAI's limits are theirs). Default `'default'`.
   */
  key?: string | undefined;
  /** The limit in requests per minute, when known; otherwise learned from the headers. */
  requestsPerMinute?: number | undefined;
  /** The share of the limit that the processes spend together (default 0.95). */
  share?: number | undefined;
  /**
   * Told of a Redis failure. The limiter then lets the send go: each client still paces itself
   * from the headers, as it does without a limiter. How long a command waits for an unreachable
   * Redis is the client's setting (ioredis: `enableOfflineQueue`, `maxRetriesPerRequest`).
   * Default: nothing.
   */
  onError?: ((error: unknown) => void) | undefined;
  /** The wall clock shared by the processes, in ms since the epoch (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** Slots are about this long: short enough to spread sends, long enough for a few per slot. */
const SLOT_MS = 50;
/** Responses showing the limit partly spent before a process trusts (and shares) what it learned. */
const MIN_SAMPLES = 8;
/** How long the learned limit is kept in Redis, in s. */
const RATE_TTL_S = 3_600;

/**
 * The slots for a limit of `perMinute` of which `share` is spent: how many sends each holds (a
 * whole number, at least one) and how long each is, in ms (about 50).
 *
 * @example
 * ```ts
 * slotsFor(12_000, 0.95); // { perSlot: 10, slotMs: 52.6 }: 190 requests/s, 10 at a time
 * ```
 */
export function slotsFor(
  perMinute: number,
  share: number,
): {
  /** Sends a slot holds. */
  perSlot: number;
  /** How long a slot is, in ms. */
  slotMs: number;
} {
  const perMs = (perMinute / 60_000) * share;
  const perSlot = Math.max(1, Math.round(perMs * SLOT_MS));
  return { perSlot, slotMs: perSlot / perMs };
}

/** A number option in (0, max], or an `InvalidArgumentError` naming it. */
function positive(name: string, value: unknown, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value <= max))
    throw new InvalidArgumentError(
      name,
      `must be a number > 0${max < Infinity ? ` and ≤ ${max}` : ''}`,
    );
  return value;
}

/** A count read back from Redis (anything could have written it), or `undefined`. */
function counted(value: number | undefined): number | undefined {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * A {@link Limiter} shared through Redis: give it to every client of every process that spends
 * the same OpenAI rate limit.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCheckpointsClient } from 'fine-tuning-checkpoints';
 * import { createRedisLimiter } from 'fine-tuning-checkpoints/redis-limiter';
 *
 * const limiter = createRedisLimiter({ storeClient: new Redis(process.env.REDIS_URL!) });
 * const client = createCheckpointsClient({ limiter });
 * ```
 */
export function createRedisLimiter(options: RedisLimiterOptions): Limiter {
  const { storeClient, useRedisPackage, onError } = options;
  if (typeof storeClient !== 'object' || storeClient === null)
    throw new InvalidArgumentError(
      'storeClient',
      'must be a Redis client (ioredis, or node-redis)',
    );
  const key = options.key ?? 'default';
  if (typeof key !== 'string' || !/^[\w.:-]{1,200}$/.test(key))
    throw new InvalidArgumentError('key', 'must be 1 to 200 letters, digits or _ . : -');
  // At most OpenAI's largest limits and then some: a hostile or mistyped value cannot make
  // slots of a few nanoseconds.
  const fixedPerMinute = positive('requestsPerMinute', options.requestsPerMinute, 1e8);
  const share = positive('share', options.share, 1) ?? 0.95;
  const now = options.now ?? Date.now;
  // One store for every key: only its counters are used (points and duration do not matter).
  // While Redis is unreachable, commands wait as the client's own settings say (ioredis queues
  // them until it reconnects; `enableOfflineQueue: false` fails them at once).
  const store = new RateLimiterRedis({
    storeClient,
    useRedisPackage,
    keyPrefix: `fine-tuning-checkpoints:${key}`,
    points: 1,
    duration: 1,
  });
  const failed = (error: unknown) => {
    onError?.(error);
    return 0;
  };

  // What this process learned: the limit's refill (decaying sums, as the scheduler's pace) and
  // from how many responses, the limit Redis held when last read (or this process wrote), and the
  // slot it last found room in.
  let refill: RefillSums = { spent: 0, resetMs: 0 };
  let samples = 0;
  let shared: number | undefined;
  let knownPause = 0;
  // When the slot this process last found room in starts: a time, not a slot number, so that it
  // still means the same once the limit (and with it the length of a slot) changes.
  let cursor = 0;

  async function reserve(): Promise<number> {
    const [pause, rate] = await Promise.all([
      store.get('pause'),
      fixedPerMinute === undefined ? store.get('rate') : null,
    ]);
    knownPause = counted(pause?.consumedPoints) ?? 0;
    shared = counted(rate?.consumedPoints);
    const perMinute = fixedPerMinute ?? shared ?? learnedPerMinute();
    const time = now();
    // Whatever Redis holds, a pause ends within the longest wait a header may ask for.
    const start = Math.max(time, Math.min(knownPause, time + MAX_HEADER_WAIT_MS));
    // No limit known anywhere yet: only the shared pause holds sends back (each client's slow
    // start does the rest until the first headers arrive).
    if (!perMinute) return start - time;
    const { perSlot, slotMs } = slotsFor(perMinute, share);
    const ttl = Math.ceil(slotMs / 1_000) + 1;
    let slot = Math.floor(Math.max(cursor, start) / slotMs + 1e-9);
    // The first slot with room from here on: each full one costs a round trip, and the cursor
    // keeps later reservations from trying it again.
    while (
      (await store.penalty(`slot:${perMinute}:${slot}`, 1, { customDuration: ttl }))
        .consumedPoints > perSlot
    )
      slot++;
    cursor = slot * slotMs;
    return Math.max(0, cursor - time);
  }

  /** The limit this process learned, once enough responses have shown it. */
  function learnedPerMinute(): number | undefined {
    return samples >= MIN_SAMPLES && refill.resetMs > 0
      ? Math.min(1e8, Math.max(1, Math.round((refill.spent / refill.resetMs) * 60_000)))
      : undefined;
  }

  function observe({ status, rateLimit, retryAfterMs }: LimiterObservation): void {
    if (rateLimit && rateLimit.remaining < rateLimit.limit && rateLimit.resetMs > 0) {
      refill = addRefillSample(refill, rateLimit);
      samples++;
      const perMinute = learnedPerMinute();
      // Written once learned, when Redis holds none, one a tenth too high (pacing at 95 % of it
      // would overrun the server), or one a fifth too low. Every process reads it and names its
      // slots after it, so each change moves them all to fresh slots while sends reserved in the
      // old ones are still to go: early guesses or a tenth's noise either way, written back, did
      // just that (measured: 5-10 429s in 125 requests from four processes that all knew the
      // limit; none since).
      if (
        fixedPerMinute === undefined &&
        perMinute !== undefined &&
        (shared === undefined || perMinute < shared * 0.9 || perMinute > shared * 1.2)
      ) {
        shared = perMinute;
        store.set('rate', perMinute, RATE_TTL_S).catch(failed);
      }
    }
    if (status === 429 && retryAfterMs !== undefined) {
      const until = Math.ceil(now() + retryAfterMs);
      // A pause shorter than one already known would only cut it short.
      if (until > knownPause) {
        knownPause = until;
        store.set('pause', until, Math.ceil(retryAfterMs / 1_000) + 1).catch(failed);
      }
    }
  }

  return {
    reserve: () => reserve().catch(failed),
    observe,
  };
}
