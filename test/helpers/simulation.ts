// A simulated world for the scheduler: a clock whose timers run in time order (no real waiting,
// so results are exact and the same on any machine), a token-bucket server with OpenAI's
// headers, and clients that list jobs through schedulers the way the transport will. Figures
// from here are deterministic, not timings: tests may assert on them.
import { createScheduler, type Limiter, type Scheduler } from '../../src/scheduler.js';

/** A clock and timers that run only when told to, in time order. */
export interface SimulatedClock {
  now(): number;
  timers: {
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
  /** Runs `callback` at `ms` from now. */
  after(ms: number, callback: () => void): void;
  /**
   * Runs timers in time order, letting promises settle between them, until none is left before
   * `until` (then the clock reads `until`).
   */
  run(until?: number): Promise<void>;
  /** Timers still pending. */
  pending(): number;
}

/** Lets every promise reaction that can run, run (a macrotask turn of the real event loop). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function simulatedClock(): SimulatedClock {
  let time = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const after = (ms: number, callback: () => void) => {
    const id = ++nextId;
    // As the platform's: at least 1 ms, whole ms.
    pending.set(id, { at: time + Math.max(1, Math.floor(ms)), callback });
    return id;
  };
  return {
    now: () => time,
    timers: {
      setTimeout: (callback, ms) => after(ms, callback),
      clearTimeout: (handle) => pending.delete(handle as number),
    },
    after,
    async run(until = Infinity) {
      for (;;) {
        await settle();
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of pending) if (!next || entry[1].at < next[1].at) next = entry;
        if (!next || next[1].at > until) {
          if (until < Infinity) time = Math.max(time, until);
          return;
        }
        pending.delete(next[0]);
        time = Math.max(time, next[1].at);
        next[1].callback();
      }
    },
    pending: () => pending.size,
  };
}

/** What the simulated server answers. */
export interface SimulatedResponse {
  status: number;
  headers: Headers;
}

/** A token bucket: `burst` requests, refilled at `perSecond`, with OpenAI's headers. */
export function tokenBucket(
  clock: { now(): number },
  { perSecond = 200, burst = 20 }: { perSecond?: number; burst?: number } = {},
) {
  const perMs = perSecond / 1000;
  let tokens = burst;
  let last = clock.now();
  const stats = { requests: 0, limited: 0 };
  return {
    stats,
    /** Counts a request arriving now; the answer's status and headers. */
    answer(): SimulatedResponse {
      const time = clock.now();
      tokens = Math.min(burst, tokens + (time - last) * perMs);
      last = time;
      stats.requests++;
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      else stats.limited++;
      const headers = new Headers({
        'x-ratelimit-limit-requests': String(burst),
        'x-ratelimit-remaining-requests': String(Math.floor(tokens)),
        'x-ratelimit-reset-requests': `${Math.ceil((burst - tokens) / perMs)}ms`,
      });
      if (!allowed) {
        const wait = Math.ceil((1 - tokens) / perMs);
        headers.set('retry-after-ms', String(wait));
        headers.set('retry-after', String(Math.ceil(wait / 1000)));
      }
      return { status: allowed ? 200 : 429, headers };
    },
  };
}

/** How one simulated run went. */
export interface RunFigures {
  /** Simulated ms from the first request to the last answer. */
  wallMs: number;
  requests: number;
  limited: number;
  failedJobs: number;
}

export interface ClientsSetup {
  /** Processes, each with its own scheduler (default 1). */
  processes?: number;
  /** Jobs per process. */
  jobs: number;
  /** Pages per job (each one request when all goes well). */
  pages: number;
  /** Listings each process runs at once (`Infinity`: `Promise.all` over the jobs). */
  concurrency?: number;
  /** Server time per successful request, in ms (a 429 answers at once). */
  latencyMs?: number;
  perSecond?: number;
  burst?: number;
  /** The most a page waits on 429s in all, as the transport bounds it (maxRateLimitWaitMs). */
  maxRateLimitWaitMs?: number;
  limiterFor?: (process: number, clock: SimulatedClock) => Limiter | undefined;
  /** Extra latency, uniform in [0, jitterMs), from a seeded generator (default 0). */
  jitterMs?: number;
  /** Process `i` starts at `i × staggerMs` (default 0). */
  staggerMs?: number;
}

/** A seeded generator in [0, 1) (mulberry32): the same run every time. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Lists `jobs` × `pages` in each process against one token bucket, each page as the transport
 * will: admitted (continuing after its first page, or after a 429), answered, done; a 429 waits
 * again while the page's total rate-limit wait stays within the bound.
 */
export async function simulateListings(setup: ClientsSetup): Promise<RunFigures> {
  const { jobs, pages, processes = 1, concurrency = Infinity, latencyMs = 20 } = setup;
  const maxWait = setup.maxRateLimitWaitMs ?? 60_000;
  const clock = simulatedClock();
  const random = seeded(19);
  const jitter = () => random() * (setup.jitterMs ?? 0);
  const server = tokenBucket(clock, setup);
  let failedJobs = 0;
  let lastAnswer = 0;
  const send = () =>
    new Promise<SimulatedResponse>((resolve) => {
      const response = server.answer();
      clock.after((response.status === 429 ? 1 : latencyMs) + jitter(), () => {
        lastAnswer = clock.now();
        resolve(response);
      });
    });
  const listPage = async (scheduler: Scheduler, continuing: boolean) => {
    let waited = 0;
    for (let retry = false; ; retry = true) {
      const before = clock.now();
      const admission = await scheduler.admit({ continuing: continuing || retry });
      if (retry) waited += clock.now() - before;
      const response = await send();
      admission.done(response);
      if (response.status !== 429) return;
      if (waited + scheduler.pausedForMs() > maxWait) throw new Error('rate limited');
    }
  };
  const runProcess = async (process: number) => {
    if (setup.staggerMs)
      await new Promise((resolve) => clock.after(process * setup.staggerMs!, () => resolve(0)));
    const scheduler = createScheduler({
      now: clock.now,
      timers: clock.timers,
      limiter: setup.limiterFor?.(process, clock),
    });
    let next = 0;
    const worker = async () => {
      while (next < jobs) {
        next++;
        try {
          for (let page = 1; page <= pages; page++) await listPage(scheduler, page > 1);
        } catch {
          failedJobs++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs) }, worker));
  };
  const done = Promise.all(Array.from({ length: processes }, (_, i) => runProcess(i)));
  await clock.run();
  await done;
  return {
    wallMs: lastAnswer,
    requests: server.stats.requests,
    limited: server.stats.limited,
    failedJobs,
  };
}
