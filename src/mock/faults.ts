/**
 * Fault injection: the fault kinds the mock can apply, the three ways to plan them (a schedule by
 * request number, a seeded rate, or a function), and the picker that decides which fault, if any,
 * a given request gets.
 */
import { deriveSeed, mulberry32 } from './prng.js';

/** Answer with an arbitrary HTTP status (429, 500, 503...), optionally with retry hints. */
export interface StatusFault {
  /** Selects this fault. */
  kind: 'status';
  /** HTTP status to send, 200-599. */
  status: number;
  /** Sent verbatim as `Retry-After` (seconds or an HTTP date). */
  retryAfter?: string | undefined;
  /** Sent as `retry-after-ms`, the millisecond hint OpenAI's own SDKs honour. */
  retryAfterMs?: number | undefined;
  /** Sent as `x-should-retry: true|false`, the override header OpenAI's SDKs honour. */
  shouldRetry?: boolean | undefined;
  /** Raw body. Default: an error envelope matching the status; `''` sends an empty body. */
  body?: string | undefined;
}

/** Destroy the connection before any response byte is written. */
export interface ResetFault {
  /** Selects this fault. */
  kind: 'reset';
}

/** Never answer: the request stays open until the client gives up or the server closes. */
export interface HangFault {
  /** Selects this fault. */
  kind: 'hang';
}

/** Send the headers and half the body, wait `delayMs`, then send the rest. */
export interface SlowBodyFault {
  /** Selects this fault. */
  kind: 'slow-body';
  /** Pause between the two halves of the body, in milliseconds. */
  delayMs: number;
}

/** Announce the full `content-length`, send half the body, then destroy the connection. */
export interface TruncatedFault {
  /** Selects this fault. */
  kind: 'truncated';
}

/** A 200 `application/json` response whose body is not JSON. */
export interface MalformedJsonFault {
  /** Selects this fault. */
  kind: 'malformed-json';
}

/** A 200 response with a `text/html` body, as a proxy or gateway error page would be. */
export interface WrongContentTypeFault {
  /** Selects this fault. */
  kind: 'wrong-content-type';
}

/** A 200 JSON body that breaks the schema: `data` is an object, not an array. */
export interface BadShapeFault {
  /** Selects this fault. */
  kind: 'bad-shape';
}

/**
 * A valid 200 page whose cursor does not advance: it repeats the page that ends at the request's
 * `after`, so `last_id` equals `after` and `has_more` is true. A request without `after` (or one
 * not answered with a page) cannot show this, so the fault waits for the next request that can.
 */
export interface RepeatCursorFault {
  /** Selects this fault. */
  kind: 'repeat-cursor';
}

/** A 200 page `{ data: [], has_more: true, first_id: null, last_id: null }`: no cursor to follow. */
export interface NoCursorFault {
  /** Selects this fault. */
  kind: 'no-cursor';
}

/** One fault the mock can inject into a response. */
export type Fault =
  | StatusFault
  | ResetFault
  | HangFault
  | SlowBodyFault
  | TruncatedFault
  | MalformedJsonFault
  | WrongContentTypeFault
  | BadShapeFault
  | RepeatCursorFault
  | NoCursorFault;

/** The name of a fault kind, e.g. `'reset'`. */
export type FaultKind = Fault['kind'];

/** A fault bound to one request number (1-based, counted across the whole server). */
export type ScheduledFault = Fault & {
  /** The 1-based number of the request to fault, counted across the server. */
  request: number;
};

/** A seeded probabilistic plan: each request is faulted with probability `rate`. */
export interface RateFaultPlan {
  /** Probability in [0, 1] that a request is faulted. */
  rate: number;
  /** Faults to pick from, uniformly, when a request is faulted. */
  kinds: Fault[];
}

/** What a fault function is told about the request it is deciding on. */
export interface FaultContext {
  /** 1-based request number across the server. */
  number: number;
  /** The decoded job id, when the path is the checkpoints route. */
  jobId?: string;
  /** The query parameters (first value of each name). */
  query: Record<string, string>;
}

/** A function deciding the fault for each request; `undefined` means answer normally. */
export type FaultFunction = (ctx: FaultContext) => Fault | undefined;

/** How the mock decides which requests to fault. */
export type FaultPlan = ScheduledFault[] | RateFaultPlan | FaultFunction;

/** Decides the fault of each request, in arrival order. */
export type FaultPicker = (ctx: FaultContext) => Fault | undefined;

const KINDS: ReadonlySet<string> = new Set<FaultKind>([
  'status',
  'reset',
  'hang',
  'slow-body',
  'truncated',
  'malformed-json',
  'wrong-content-type',
  'bad-shape',
  'repeat-cursor',
  'no-cursor',
]);

/**
 * Checks a fault's fields, so a typo in a plan fails at server creation rather than silently
 * answering normally. Throws a `TypeError` naming `where`.
 */
export function assertValidFault(fault: unknown, where: string): asserts fault is Fault {
  if (typeof fault !== 'object' || fault === null) {
    throw new TypeError(`${where}: a fault must be an object with a "kind"`);
  }
  const { kind } = fault as { kind?: unknown };
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw new TypeError(`${where}: unknown fault kind ${JSON.stringify(kind)}`);
  }
  if (kind === 'status') {
    const { status, retryAfterMs } = fault as StatusFault;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new TypeError(`${where}: "status" must be an integer from 200 to 599`);
    }
    if (retryAfterMs !== undefined && !(Number.isFinite(retryAfterMs) && retryAfterMs >= 0)) {
      throw new TypeError(`${where}: "retryAfterMs" must be a non-negative number`);
    }
  }
  if (kind === 'slow-body') {
    const { delayMs } = fault as SlowBodyFault;
    if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new TypeError(`${where}: "delayMs" must be a non-negative number`);
    }
  }
}

/**
 * Builds the picker for a plan, validating the plan first.
 *
 * @param plan - the plan from the server options; `undefined` means no faults.
 * @param seed - seeds a rate plan.
 */
export function createFaultPicker(plan: FaultPlan | undefined, seed: number): FaultPicker {
  if (plan === undefined) return () => undefined;
  if (typeof plan === 'function') return plan;
  if (Array.isArray(plan)) return scheduledPicker(plan);
  return ratePicker(plan, seed);
}

function scheduledPicker(schedule: ScheduledFault[]): FaultPicker {
  const byRequest = new Map<number, Fault>();
  schedule.forEach((entry, i) => {
    assertValidFault(entry, `faults[${i}]`);
    if (!Number.isInteger(entry.request) || entry.request < 1) {
      throw new TypeError(`faults[${i}]: "request" must be a positive integer`);
    }
    if (byRequest.has(entry.request)) {
      throw new TypeError(`faults[${i}]: request ${entry.request} is already scheduled`);
    }
    byRequest.set(entry.request, entry);
  });
  return ({ number }) => byRequest.get(number);
}

function ratePicker(plan: RateFaultPlan, seed: number): FaultPicker {
  const { rate, kinds } = plan;
  if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
    throw new TypeError('faults.rate must be a number from 0 to 1');
  }
  if (!Array.isArray(kinds) || (kinds.length === 0 && rate > 0)) {
    throw new TypeError('faults.kinds must be a non-empty array of faults');
  }
  kinds.forEach((fault, i) => assertValidFault(fault, `faults.kinds[${i}]`));
  return ({ number }) => {
    const random = mulberry32(deriveSeed(seed, number));
    if (random() >= rate) return undefined;
    return kinds[Math.floor(random() * kinds.length)];
  };
}
