// The pace learned from the rate-limit headers: a model of the server's request limit as a bucket
// of `limit` requests that refills continuously (OpenAI: `x-ratelimit-reset-requests` is the time
// until the limit is whole again), re-synced by every response and spent by every send. Pure:
// state in, state out, and the clock is an argument, so each rule is tested with made-up times.
import type { RateLimitState } from './rate-limit-headers.js';

/** What the client believes about the server's limit. */
export interface PaceState extends RefillSums {
  /** Requests the limit holds when whole. */
  readonly limit: number;
  /** Refill, in requests per ms: (limit − remaining) ÷ reset, averaged over recent responses. */
  readonly perMs: number;
  /** Requests per ms that others (other processes, other clients) spend from the same limit. */
  readonly othersPerMs: number;
  /** Requests left at `at`, every send of ours counted. */
  readonly level: number;
  /** When `level` was last brought up to date (a send, a response, or when a 429 pause ends). */
  readonly at: number;
  /** The send number of the request whose response last re-synced `level`. */
  readonly seq: number;
  /** Our sends the server refused (429s) so far: they spent nothing. */
  readonly refused: number;
  /** The earlier sync that others' spending is measured from. */
  readonly anchor: {
    readonly at: number;
    readonly remaining: number;
    readonly seq: number;
    readonly refused: number;
  };
}

/** What one response told: the limit (if it said), and its request. */
export interface PaceReport {
  readonly rateLimit: RateLimitState | undefined;
  /**
   * For a 429: when the client's pause ends. The limit is taken as spent until then, so that
   * requests resume at the refill's pace, not in a burst of what the pause would have refilled.
   */
  readonly resumeAt?: number | undefined;
  /** When the request was sent, on the scheduler's clock (the server counts it about then). */
  readonly sentAt: number;
  /** Its send number (1 for the client's first send). */
  readonly seq: number;
  /** Now, when the response arrived. */
  readonly now: number;
  /** Requests sent so far, this one and any sent after it included. */
  readonly sent: number;
}

/** Below this share of the limit the client stops bursting and sends at the refill's pace. */
const RESERVE_SHARE = 0.1;
/** Others' spending is measured over at least this many ms (single responses are too noisy). */
const MIN_SPAN_MS = 50;
/** How fast the estimate of others' spending follows a change, in ms (a time constant). */
const OTHERS_TAU_MS = 100;
/** However much others spend, this client keeps this share of the refill: it never starves. */
const MIN_SHARE = 1 / 16;
/** Weight of older responses in the refill estimate, per response. */
const DECAY = 0.8;

/** Requests the client leaves unspent: a tenth of the limit (none for a limit under 10). */
export function reserveOf(limit: number): number {
  return Math.floor(limit * RESERVE_SHARE);
}

/** The refill this client may count on: the server's, less what others spend (≥ 1/16 of it). */
function ownPace(state: Pick<PaceState, 'perMs' | 'othersPerMs'>): number {
  return Math.max(state.perMs - state.othersPerMs, state.perMs * MIN_SHARE);
}

/** Decaying sums of the limit's deficit and of reset times: their ratio is the refill rate. */
export interface RefillSums {
  /** Requests short of the limit, summed over recent responses (older ones weigh less). */
  readonly spent: number;
  /** Their reset times, in ms, summed alike. */
  readonly resetMs: number;
}

/**
 * The sums after one response's headers (the same as before when they show the limit whole).
 * `remaining` counts whole requests while the bucket refills continuously: it holds between
 * `remaining` and one more, so the deficit is taken as half a request less than
 * `limit − remaining`. Counted whole, a response just after a send reads as one request refilled
 * in a few ms: measured, a learned limit 10 % over the server's, and 429s across processes.
 *
 * @example
 * ```ts
 * addRefillSample(undefined, { limit: 20, remaining: 10, resetMs: 50 }); // { spent: 9.5, resetMs: 50 }
 * ```
 */
export function addRefillSample(
  sums: RefillSums | undefined,
  rateLimit: RateLimitState,
): RefillSums {
  const spent = (sums?.spent ?? 0) * DECAY;
  const resetMs = (sums?.resetMs ?? 0) * DECAY;
  const { limit, remaining } = rateLimit;
  return remaining < limit && rateLimit.resetMs > 0
    ? { spent: spent + limit - remaining - 0.5, resetMs: resetMs + rateLimit.resetMs }
    : { spent, resetMs };
}

/**
 * The model after one response. Every response refines the refill rate; a response newer than
 * the last sync re-syncs the level (older ones arrived late and know less) and, across spans of
 * at least 50 ms while the limit is half spent or more, measures what others spend: the refill
 * over the span, less the change in `remaining`, less our own sends.
 */
export function learn(state: PaceState | undefined, report: PaceReport): PaceState | undefined {
  const { rateLimit, resumeAt, sentAt, seq, now, sent } = report;
  if (!rateLimit) {
    // A 429 without headers still says the limit is spent, if the limit is known.
    if (!state || resumeAt === undefined) return state;
    const refused = state.refused + 1;
    return seq > state.seq
      ? { ...state, level: seq - sent, at: Math.max(now, resumeAt), seq, refused }
      : { ...state, refused };
  }
  const { limit, remaining } = rateLimit;
  const { spent, resetMs } = addRefillSample(state, rateLimit);
  // Until a response shows the limit partly spent, assume OpenAI's "per minute".
  const perMs = resetMs > 0 ? spent / resetMs : (state?.perMs ?? limit / 60_000);
  const refused = (state?.refused ?? 0) + (resumeAt === undefined ? 0 : 1);
  if (state && seq <= state.seq) return { ...state, perMs, spent, resetMs, refused };

  let othersPerMs = state?.othersPerMs ?? 0;
  let anchor = state?.anchor ?? { at: sentAt, remaining, seq, refused };
  const span = sentAt - anchor.at;
  if (span >= MIN_SPAN_MS) {
    // While the limit is more than half left, the bucket may have been full (refill lost), and
    // no one is short of requests anyway: others' share then decays towards none.
    const contended = remaining <= limit / 2 && anchor.remaining <= limit / 2;
    const ours = seq - anchor.seq - (refused - anchor.refused);
    const others = perMs * span - (remaining - anchor.remaining) - ours;
    const sample = contended ? Math.max(0, others) / span : 0;
    othersPerMs += (1 - Math.exp(-span / OTHERS_TAU_MS)) * (sample - othersPerMs);
    anchor = { at: sentAt, remaining, seq, refused };
  }
  return {
    limit,
    perMs,
    othersPerMs,
    // What is left now: `remaining` when the server counted the request, refilled since (never
    // past the limit), less what we sent after it. After a 429, nothing until the pause ends.
    level:
      resumeAt === undefined
        ? Math.min(limit, remaining + ownPace({ perMs, othersPerMs }) * (now - sentAt)) -
          (sent - seq)
        : seq - sent,
    at: resumeAt === undefined ? now : Math.max(now, resumeAt),
    seq,
    refused,
    anchor,
    spent,
    resetMs,
  };
}

/** The level at `now`: refilled at our pace since `at`, never past the limit. */
function levelAt(state: PaceState, now: number): number {
  return Math.min(state.limit, state.level + ownPace(state) * Math.max(0, now - state.at));
}

/** The model after one send at `now`. */
export function spend(state: PaceState, now: number): PaceState {
  return { ...state, level: levelAt(state, now) - 1, at: Math.max(state.at, now) };
}

/**
 * How long to wait before the next send, in ms (0: now). Above the reserve (10 % of the limit)
 * the client may spend what is left at once; at it, it sends one request each time one has
 * refilled, evenly, so the limit is never run dry.
 */
export function sendDelay(state: PaceState | undefined, now: number): number {
  if (!state) return 0;
  const short = reserveOf(state.limit) + 1 - levelAt(state, now);
  return short <= 0 ? 0 : Math.max(0, state.at - now) + short / ownPace(state);
}
