// The scheduler of one client, driven by a simulated clock: how many attempts are in flight, who
// goes first, what a 429 does to the whole client, how a caller's signal is listened to, and what
// a limiter is asked and told.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createAbortFanout } from '../src/abort-fanout.js';
import {
  createScheduler,
  type Admission,
  type Limiter,
  type LimiterObservation,
  type SchedulerOptions,
} from '../src/scheduler.js';
import { settle, simulatedClock } from './helpers/simulation.js';

const ok = (fields: Record<string, string> = {}) => ({ status: 200, headers: new Headers(fields) });
const limited = (fields: Record<string, string> = {}) => ({
  status: 429,
  headers: new Headers(fields),
});
/** OpenAI's headers for a limit of `limit` with `remaining` left, refilled in `resetMs`. */
const rateHeaders = (limit: number, remaining: number, resetMs: number) => ({
  'x-ratelimit-limit-requests': String(limit),
  'x-ratelimit-remaining-requests': String(remaining),
  'x-ratelimit-reset-requests': `${resetMs}ms`,
});

/** A scheduler on a simulated clock, and the admissions it has granted so far, in order. */
function harness(options: SchedulerOptions = {}) {
  const clock = simulatedClock();
  const scheduler = createScheduler({ now: clock.now, timers: clock.timers, ...options });
  const admitted: { name: string; at: number; admission: Admission }[] = [];
  const request = (name: string, continuing = false, signal?: AbortSignal) => {
    const admission = scheduler.admit({ continuing, signal });
    void admission.then(
      (granted) => admitted.push({ name, at: clock.now(), admission: granted }),
      () => {},
    );
    return admission;
  };
  /** Runs what is due within the next ms: slots given back, admissions that follow. */
  const tick = () => clock.run(clock.now() + 1);
  return { clock, scheduler, admitted, request, tick };
}

describe('createScheduler', () => {
  it('keeps no state outside itself: a 429 in one client does not pause another', async () => {
    const one = harness();
    const other = harness();
    (await one.request('a')).done(limited({ 'retry-after-ms': '1000' }));
    expect(one.scheduler.pausedForMs()).toBe(1_000);
    expect(other.scheduler.pausedForMs()).toBe(0);
  });
});

describe('in flight', () => {
  it('starts with 8 until the limit is known, one more for each answer', async () => {
    const { request, admitted, tick } = harness();
    for (let i = 0; i < 20; i++) void request(`r${i}`);
    await tick();
    expect(admitted).toHaveLength(8);
    admitted[0]!.admission.done(ok());
    await tick();
    // One answer: its place, and one more.
    expect(admitted).toHaveLength(10);
  });

  it('never has more than maxConcurrency in flight', async () => {
    const { request, admitted, tick } = harness({ maxConcurrency: 3 });
    for (let i = 0; i < 10; i++) void request(`r${i}`);
    await tick();
    expect(admitted).toHaveLength(3);
    for (let answered = 0; answered < 5; answered++) {
      admitted[answered]!.admission.done(ok(rateHeaders(10_000, 9_000, 600)));
      await tick();
      expect(admitted.length - (answered + 1)).toBeLessThanOrEqual(3);
    }
    expect(admitted).toHaveLength(8);
  });

  it('an admission counts once, however often it is said done', async () => {
    const { request, admitted, tick } = harness({ maxConcurrency: 1 });
    for (let i = 0; i < 3; i++) void request(`r${i}`);
    await tick();
    admitted[0]!.admission.done(ok());
    admitted[0]!.admission.done(ok());
    await tick();
    expect(admitted.map((a) => a.name)).toEqual(['r0', 'r1']);
  });

  it('at the limit, a slot comes back a turn later even with nobody waiting (a socket must be back first)', async () => {
    const { request, admitted, tick } = harness({ maxConcurrency: 2 });
    void request('r0');
    void request('r1');
    await tick();
    expect(admitted).toHaveLength(2);
    admitted[0]!.admission.done(ok());
    // Asked in the same turn as the answer: not yet.
    void request('r2');
    await Promise.resolve();
    expect(admitted.map((a) => a.name)).toEqual(['r0', 'r1']);
    await tick();
    expect(admitted.map((a) => a.name)).toEqual(['r0', 'r1', 'r2']);
  });

  it('below the limit with nobody waiting, a slot comes back at once: no timer per request', async () => {
    const { clock, request, admitted, tick } = harness({ maxConcurrency: 4 });
    void request('r0');
    await tick();
    admitted[0]!.admission.done(ok());
    expect(clock.pending()).toBe(0);
  });

  it('drains its queue when a 429 shrinks the window below what is in flight', async () => {
    const { request, admitted, tick, clock } = harness({ maxConcurrency: 8 });
    for (let i = 0; i < 12; i++) void request(`r${i}`);
    await tick();
    expect(admitted).toHaveLength(8);
    // No rate headers: each 429 halves the window, while the other seven are still in flight.
    admitted[0]!.admission.done(limited());
    for (const { admission } of admitted.slice(1)) admission.done(ok());
    await clock.run(clock.now() + 60_000);
    expect(admitted).toHaveLength(12);
  });

  it('serves later pages of walks under way before listings that have not started', async () => {
    const { request, admitted, tick } = harness({ maxConcurrency: 1 });
    void request('first page of A');
    await tick();
    void request('first page of B');
    void request('first page of C');
    void request('second page of A', true);
    admitted[0]!.admission.done(ok());
    await tick();
    expect(admitted.map((a) => a.name)).toEqual(['first page of A', 'second page of A']);
  });
});

describe('a 429', () => {
  it("pauses every request of the client until the server's retry-after", async () => {
    const { clock, scheduler, request, admitted } = harness();
    const first = await request('a');
    void request('b');
    void request('c');
    await settle();
    for (const { admission } of admitted) admission.done(limited({ 'retry-after-ms': '250' }));
    expect(scheduler.pausedForMs()).toBe(250);
    for (let i = 0; i < 5; i++) void request(`later ${i}`);
    await settle();
    expect(admitted).toHaveLength(3);
    void first;
    await clock.run(249);
    expect(admitted).toHaveLength(3);
    expect(scheduler.pausedForMs()).toBe(1);
    await clock.run(250);
    expect(admitted.length).toBeGreaterThan(3);
    expect(admitted.slice(3).every(({ at }) => at >= 250)).toBe(true);
    expect(scheduler.pausedForMs()).toBe(0);
  });

  it('then resumes at the pace the headers give, never all at once', async () => {
    const { clock, request, admitted } = harness();
    // 200 requests/s, burst 20, spent.
    (await request('a')).done(limited({ ...rateHeaders(20, 0, 100), 'retry-after-ms': '5' }));
    // Each attempt over as soon as it is admitted (no answer: nothing more learned).
    for (let i = 0; i < 30; i++) void request(`r${i}`).then((admission) => admission.done());
    await clock.run(105);
    const times = admitted.slice(1).map(({ at }) => at);
    // Nothing went during the pause; after it, one every 5 ms at most.
    expect(times.length).toBeGreaterThan(10);
    expect(times[0]).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(4);
  });

  it('without a wait named: 0.5 s, then twice that for each 429 in a row', async () => {
    const { clock, scheduler, request } = harness();
    (await request('a')).done(limited());
    expect(scheduler.pausedForMs()).toBe(500);
    await clock.run(500);
    (await request('b')).done(limited());
    expect(scheduler.pausedForMs()).toBe(1_000);
    await clock.run(1_500);
    (await request('c')).done(ok());
    (await request('d')).done(limited());
    expect(scheduler.pausedForMs()).toBe(500);
  });

  it('naming no real wait does not make the client retry at once: 1 ms, doubling in a row', async () => {
    const { clock, scheduler, request } = harness();
    const pauses: number[] = [];
    for (let i = 0; i < 5; i++) {
      (await request(`r${i}`)).done(limited({ 'retry-after-ms': '0' }));
      pauses.push(scheduler.pausedForMs());
      await clock.run(clock.now() + scheduler.pausedForMs());
    }
    expect(pauses).toEqual([1, 2, 4, 8, 16]);
    // A real wait is kept as named.
    (await request('named')).done(limited({ 'retry-after-ms': '20000' }));
    expect(scheduler.pausedForMs()).toBe(20_000);
  });

  it('without the limit known, halves the requests in flight', async () => {
    const { clock, request, admitted } = harness();
    for (let i = 0; i < 20; i++) void request(`r${i}`);
    await settle();
    for (const { admission } of admitted.slice(0, 8))
      admission.done(limited({ 'retry-after-ms': '0' }));
    await clock.run(1_000);
    // Eight 429s in a row: down to one in flight.
    expect(admitted).toHaveLength(9);
  });
});

describe('signals', () => {
  it('rejects with the reason of a signal already aborted, without queueing', async () => {
    const { scheduler } = harness();
    const reason = new Error('stop');
    await expect(
      scheduler.admit({ continuing: false, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it('rejects a waiting admission when its signal aborts, and leaves no listener behind', async () => {
    const { request, admitted, tick } = harness({ maxConcurrency: 1 });
    const controller = new AbortController();
    void request('running');
    const waiting = request('waiting', false, controller.signal);
    await tick();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('enough');
    await expect(waiting).rejects.toBe('enough');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Its place goes to whoever comes next, not to the aborted one.
    void request('next');
    admitted[0]!.admission.done(ok());
    await tick();
    expect(admitted.map((a) => a.name)).toEqual(['running', 'next']);
  });

  it('1,000 admissions on one signal: one listener at most, no warning, none left after', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { request, admitted, tick } = harness();
      const controller = new AbortController();
      for (let i = 0; i < 1_000; i++) void request(`r${i}`, false, controller.signal);
      await tick();
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      while (admitted.length < 1_000) {
        for (const { admission } of admitted) admission.done(ok());
        await tick();
      }
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('one fan-out serves a whole client: one listener per signal, whoever subscribes', () => {
    const fanout = createAbortFanout();
    const controller = new AbortController();
    const calls: number[] = [];
    const stops = [1, 2, 3].map((n) => fanout.subscribe(controller.signal, () => calls.push(n)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[1]!();
    controller.abort();
    expect(calls).toEqual([1, 3]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Stopped after the abort: nothing to do, nothing thrown.
    stops[0]!();
    // A signal whose every subscription stopped has no listener left.
    const again = new AbortController();
    const stop = fanout.subscribe(again.signal, () => calls.push(9));
    stop();
    expect(getEventListeners(again.signal, 'abort')).toHaveLength(0);
    again.abort();
    expect(calls).toEqual([1, 3]);
  });
});

describe('a limiter', () => {
  /** A limiter that records what it is asked and told, and makes each send wait `waitMs`. */
  function recordingLimiter(waitMs: number | (() => Promise<number>)) {
    const observed: LimiterObservation[] = [];
    let reservations = 0;
    const limiter: Limiter = {
      reserve: () => {
        reservations++;
        return typeof waitMs === 'number' ? waitMs : waitMs();
      },
      observe: (observation) => observed.push(observation),
    };
    return { limiter, observed, reservations: () => reservations };
  }

  it('is asked before each send, one at a time, and its wait is kept', async () => {
    const recording = recordingLimiter(10);
    const { clock, request, admitted } = harness({ limiter: recording.limiter });
    for (let i = 0; i < 3; i++) void request(`r${i}`);
    await settle();
    expect(recording.reservations()).toBe(1);
    expect(admitted).toHaveLength(0);
    await clock.run(100);
    expect(admitted.map(({ at }) => at)).toEqual([10, 20, 30]);
    expect(recording.reservations()).toBe(3);
  });

  it('is told the status, the limit and the pause of each attempt, or that none arrived', async () => {
    const recording = recordingLimiter(0);
    const { clock, request } = harness({ limiter: recording.limiter });
    (await request('a')).done(ok(rateHeaders(20, 19, 5)));
    (await request('b')).done(limited({ 'retry-after-ms': '30' }));
    const c = request('c');
    await clock.run(100);
    (await c).done();
    expect(recording.observed).toEqual([
      { status: 200, rateLimit: { limit: 20, remaining: 19, resetMs: 5 }, retryAfterMs: undefined },
      { status: 429, rateLimit: undefined, retryAfterMs: 30 },
      { status: undefined, rateLimit: undefined, retryAfterMs: undefined },
    ]);
  });

  it('whose reservation fails fails the attempt next in line, and only that one', async () => {
    let calls = 0;
    const failure = new Error('limiter down');
    const recording = recordingLimiter(async () => {
      if (++calls === 1) throw failure;
      return 0;
    });
    const { request, admitted } = harness({ limiter: recording.limiter });
    const first = request('first');
    void request('second');
    await expect(first).rejects.toBe(failure);
    await settle();
    expect(admitted.map((a) => a.name)).toEqual(['second']);
  });

  it('never sets a timer longer than a platform timer can hold', async () => {
    const clock = simulatedClock();
    const lengths: number[] = [];
    const scheduler = createScheduler({
      now: clock.now,
      timers: {
        setTimeout: (callback, ms) => (lengths.push(ms), clock.timers.setTimeout(callback, ms)),
        clearTimeout: clock.timers.clearTimeout,
      },
      limiter: { reserve: () => 1e12, observe: () => {} },
    });
    void scheduler.admit({ continuing: false });
    await settle();
    await clock.run(2 ** 31);
    expect(lengths.length).toBeGreaterThan(0);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
