/**
 * Fault injection: the fault kinds the mock can apply, the three ways to plan them (a schedule by
 * request number, a seeded rate, or a function), and the picker that decides which fault, if any,
 * a given request gets.
 */
import { deriveSeed, mulberry32 } from './prng.js';
import { MAX_TIMER_DELAY_MS } from './timers.js';
import type { MockOperation } from './types.js';

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
  /** The decoded job id, when the path is a job's (the job, or its checkpoints). */
  jobId?: string;
  /** The spec's operation the path names, when it names one (`retrieveFineTuningJob`, ...). */
  operation?: MockOperation;
  /** The query parameters (first value of each name). */
  query: Record<string, string>;
}

/** A function deciding the fault for each request; `undefined` means answer normally. */
export type FaultFunction = (ctx: FaultContext) => Fault | undefined;

/** How the mock decides which requests to fault. */
export type FaultPlan = ScheduledFault[] | RateFaultPlan | FaultFunction;

/** Decides the fault of each request, in arrival order; throws for a bad fault function answer. */
export type FaultPicker = (ctx: FaultContext) => Fault | undefined;

/**
 * The fields each kind takes besides `kind` (a schedule entry also has `request`). Anything else
 * is a typo (`delayMS`, `retryAfterMS`) that would otherwise be ignored without a word.
 */
const FIELDS: Readonly<Record<FaultKind, readonly string[]>> = {
  status: ['status', 'retryAfter', 'retryAfterMs', 'shouldRetry', 'body'],
  reset: [],
  hang: [],
  'slow-body': ['delayMs'],
  truncated: [],
  'malformed-json': [],
  'wrong-content-type': [],
  'bad-shape': [],
  'repeat-cursor': [],
  'no-cursor': [],
};

const isKind = (kind: unknown): kind is FaultKind =>
  typeof kind === 'string' && Object.hasOwn(FIELDS, kind);

/**
 * What `node:http` (like RFC 9110's field-value) accepts in a header value: tab, visible ASCII,
 * space and the Latin-1 range. A CR or LF would split the response, and anything else makes
 * `writeHead` throw in the middle of a request, taking the host process down.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Statuses that carry no content (RFC 9110): the mock sends none, so a `body` would be lost. */
export const STATUSES_WITHOUT_CONTENT: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * A number field of a fault: a `TypeError` when it is not a number, a `RangeError` when it is
 * outside `[min, max]` (NaN included) or, for `integer`, not a whole number.
 */
function checkNumber(
  value: unknown,
  where: string,
  name: string,
  range: { min: number; max: number; integer?: boolean; what: string },
): void {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: "${name}" must be ${range.what}, got ${describe(value)}`);
  }
  if (!(value >= range.min && value <= range.max) || (range.integer && !Number.isInteger(value))) {
    throw new RangeError(`${where}: "${name}" must be ${range.what}, got ${String(value)}`);
  }
}

/** A value for a message: strings quoted, other values by type where `String()` would mislead. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'object') return value === null ? 'null' : 'an object';
  return `${typeof value} ${String(value)}`;
}

/** The fields of a `status` fault, each of the type and range the reply needs. */
function checkStatusFault(fault: Record<string, unknown>, where: string): void {
  const { status, retryAfter, retryAfterMs, shouldRetry, body } = fault;
  checkNumber(status, where, 'status', {
    min: 200,
    max: 599,
    integer: true,
    what: 'an integer from 200 to 599',
  });
  if (retryAfter !== undefined) {
    if (typeof retryAfter !== 'string') {
      throw new TypeError(`${where}: "retryAfter" must be a string, got ${describe(retryAfter)}`);
    }
    if (!HEADER_VALUE.test(retryAfter)) {
      throw new TypeError(
        `${where}: "retryAfter" must be a valid header value (no line breaks or control ` +
          `characters, nothing beyond Latin-1), got ${JSON.stringify(retryAfter)}`,
      );
    }
  }
  if (retryAfterMs !== undefined) {
    checkNumber(retryAfterMs, where, 'retryAfterMs', {
      min: 0,
      max: Number.MAX_VALUE,
      what: 'a non-negative finite number',
    });
  }
  if (shouldRetry !== undefined && typeof shouldRetry !== 'boolean') {
    throw new TypeError(`${where}: "shouldRetry" must be a boolean, got ${describe(shouldRetry)}`);
  }
  if (body !== undefined) {
    if (typeof body !== 'string') {
      throw new TypeError(`${where}: "body" must be a string, got ${describe(body)}`);
    }
    if (body !== '' && STATUSES_WITHOUT_CONTENT.has(status as number)) {
      throw new TypeError(`${where}: a ${String(status)} response has no content, so no "body"`);
    }
  }
}

/**
 * Checks a fault completely (its kind, that it has no field its kind does not take, and the type
 * and range of every field), so that a mistake in a plan fails when the server is created rather
 * than answering normally, or crashing the host process at the first request. `extra` names the
 * fields allowed besides the kind's own (`request` in a schedule).
 *
 * @throws TypeError naming `where` for a wrong kind, an unknown field or a wrong type;
 * RangeError for a number out of range (a delay longer than a timer holds included).
 */
export function assertValidFault(
  fault: unknown,
  where: string,
  extra: readonly string[] = [],
): asserts fault is Fault {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    throw new TypeError(`${where}: a fault must be an object with a "kind"`);
  }
  const fields = fault as Record<string, unknown>;
  const { kind } = fields;
  if (!isKind(kind)) throw new TypeError(`${where}: unknown fault kind ${describe(kind)}`);
  const allowed = ['kind', ...FIELDS[kind], ...extra];
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) {
      throw new TypeError(
        `${where}: a "${kind}" fault has no field ${JSON.stringify(name)} (it takes ${allowed.join(', ')})`,
      );
    }
  }
  if (kind === 'status') checkStatusFault(fields, where);
  if (kind === 'slow-body') {
    checkNumber(fields.delayMs, where, 'delayMs', {
      min: 0,
      max: MAX_TIMER_DELAY_MS,
      what: `a number of milliseconds from 0 to ${MAX_TIMER_DELAY_MS} (what a timer holds)`,
    });
  }
}

/**
 * A fault's kind and parameters, without a schedule's `request`, copied and frozen: what the
 * picker hands out and the request log keeps, so changing the plan later changes neither.
 */
export function snapshotFault(fault: Fault): Fault {
  const copy: Record<string, unknown> = {};
  for (const name of ['kind', ...FIELDS[fault.kind]]) {
    const value = (fault as unknown as Record<string, unknown>)[name];
    if (value !== undefined) copy[name] = value;
  }
  return Object.freeze(copy as unknown as Fault);
}

/**
 * Builds the picker for a plan, validating the plan first. A schedule or a rate plan is checked
 * whole, here; what a fault function answers is checked at each request (a bad answer throws,
 * which the server turns into a 500 naming the problem). The faults are copied as they are
 * checked, so changing the plan afterwards cannot slip a bad fault past the check.
 *
 * @param plan - the plan from the server options; `undefined` means no faults.
 * @param seed - seeds a rate plan.
 */
export function createFaultPicker(plan: FaultPlan | undefined, seed: number): FaultPicker {
  if (plan === undefined) return () => undefined;
  if (typeof plan === 'function') return checkedAnswers(plan);
  if (Array.isArray(plan)) return scheduledPicker(plan);
  if (typeof plan !== 'object' || plan === null) {
    throw new TypeError(
      `faults must be a schedule (an array), a rate plan ({ rate, kinds }) or a function, got ${describe(plan)}`,
    );
  }
  return ratePicker(plan, seed);
}

function checkedAnswers(decide: FaultFunction): FaultPicker {
  return (ctx) => {
    const fault: unknown = decide(ctx);
    if (fault === undefined) return undefined;
    assertValidFault(fault, `the fault function's answer for request ${ctx.number}`);
    return snapshotFault(fault);
  };
}

function scheduledPicker(schedule: ScheduledFault[]): FaultPicker {
  const byRequest = new Map<number, Fault>();
  schedule.forEach((entry, i) => {
    assertValidFault(entry, `faults[${i}]`, ['request']);
    checkNumber(entry.request, `faults[${i}]`, 'request', {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
      what: 'a positive integer',
    });
    if (byRequest.has(entry.request)) {
      throw new TypeError(`faults[${i}]: request ${entry.request} is already scheduled`);
    }
    byRequest.set(entry.request, snapshotFault(entry));
  });
  return ({ number }) => byRequest.get(number);
}

function ratePicker(plan: RateFaultPlan, seed: number): FaultPicker {
  for (const name of Object.keys(plan)) {
    if (name !== 'rate' && name !== 'kinds') {
      throw new TypeError(
        `faults: a rate plan has no field ${JSON.stringify(name)} (it takes rate, kinds)`,
      );
    }
  }
  const { rate, kinds } = plan;
  checkNumber(rate, 'faults', 'rate', { min: 0, max: 1, what: 'a number from 0 to 1' });
  if (!Array.isArray(kinds) || (kinds.length === 0 && rate > 0)) {
    throw new TypeError('faults.kinds must be a non-empty array of faults');
  }
  const checked = kinds.map((fault, i) => {
    assertValidFault(fault, `faults.kinds[${i}]`);
    return snapshotFault(fault);
  });
  return ({ number }) => {
    const random = mulberry32(deriveSeed(seed, number));
    if (random() >= rate) return undefined;
    return checked[Math.floor(random() * checked.length)];
  };
}
