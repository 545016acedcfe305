// The pace learned from the headers, decided with made-up times: bursts above the reserve, even
// sends at the refill's pace below it, a paced resume after a 429, others' spending measured.
import { describe, expect, it } from 'vitest';
import {
  learn,
  reserveOf,
  sendDelay,
  spend,
  type PaceReport,
  type PaceState,
} from '../src/pace.js';

const rateLimit = (limit: number, remaining: number, resetMs: number) => ({
  limit,
  remaining,
  resetMs,
});

/** A response's report: arrived when sent and nothing sent since, unless said otherwise. */
const report = (
  rateLimit: PaceReport['rateLimit'],
  sentAt: number,
  seq: number,
  more: Partial<PaceReport> = {},
): PaceReport => ({ rateLimit, sentAt, seq, now: sentAt, sent: seq, ...more });

/** Sends as fast as the pace allows from `start` to `end`; returns when each went. */
function sendTimes(state: PaceState, start: number, end: number): number[] {
  const times: number[] = [];
  for (let time = start; ;) {
    time += sendDelay(state, time);
    if (time > end) return times;
    times.push(time);
    state = spend(state, time);
  }
}

describe('learn', () => {
  it('knows nothing until a response carries the headers', () => {
    expect(learn(undefined, report(undefined, 0, 1))).toBeUndefined();
    expect(learn(undefined, report(undefined, 0, 1, { resumeAt: 100 }))).toBeUndefined();
    expect(sendDelay(undefined, 0)).toBe(0);
  });

  it('takes the refill from (limit − remaining − ½) ÷ reset: remaining counts whole requests', () => {
    const state = learn(undefined, report(rateLimit(20, 10, 50), 0, 1));
    expect(state?.perMs).toBeCloseTo(9.5 / 50);
  });

  it('learns a bucket that reports whole requests remaining within 3 % of its refill', () => {
    // A bucket of 10 refilling 0.1 per ms, seen at levels spread evenly over [0, 10): it reports
    // floor(level) remaining and the ms until it is whole. Counting the deficit in whole requests
    // would read it about 10 % fast.
    let state: PaceState | undefined;
    for (let i = 1; i <= 200; i++) {
      const level = ((i * 0.618_034) % 1) * 10;
      const headers = rateLimit(10, Math.floor(level), Math.ceil((10 - level) / 0.1));
      state = learn(state, report(headers, i, i));
    }
    expect(state!.perMs).toBeGreaterThan(0.097);
    expect(state!.perMs).toBeLessThan(0.103);
  });

  it("assumes OpenAI's per-minute limit until the limit shows some use", () => {
    const state = learn(undefined, report(rateLimit(600, 600, 0), 0, 1));
    expect(state?.perMs).toBeCloseTo(600 / 60_000);
  });

  it('lets an older response refine the refill but not move the level', () => {
    const newer = learn(undefined, report(rateLimit(20, 3, 85), 10, 5))!;
    const older = learn(newer, report(rateLimit(20, 15, 25), 0, 2))!;
    expect(older.level).toBe(3);
    expect(older.seq).toBe(5);
  });
});

describe('sendDelay', () => {
  it('spends what is left above the reserve at once, then one request per refill, evenly', () => {
    // 200 requests/s, burst 20; 12 left after our first request (7.5 short: 37.5 ms to refill).
    const state = learn(undefined, report(rateLimit(20, 12, 37.5), 0, 1))!;
    const times = sendTimes(state, 0, 100);
    const burst = times.filter((time) => time === 0).length;
    expect(burst).toBe(12 - reserveOf(20));
    const gaps = times.slice(burst).map((time, i) => time - (times[burst + i - 1] ?? 0));
    for (const gap of gaps.slice(1)) expect(gap).toBeCloseTo(5);
    // Over the first 100 ms: the burst, then the refill, and the reserve never touched.
    expect(times.length).toBe(burst + 20);
  });

  it('after a 429 resumes at the pause end at the refill pace, not in a burst', () => {
    const paused = learn(undefined, report(rateLimit(20, 0, 100), 0, 1, { resumeAt: 1_000 }))!;
    expect(sendDelay(paused, 0)).toBeGreaterThan(1_000);
    const times = sendTimes(paused, 0, 1_100);
    // Nothing before the pause ends; then the reserve refills before anything goes.
    expect(times[0]).toBeGreaterThan(1_000);
    expect(times.length).toBeLessThanOrEqual(100 * 0.2 - reserveOf(20));
    expect(new Set(times).size).toBe(times.length);
  });

  it('a 429 without headers still marks the known limit spent', () => {
    const known = learn(undefined, report(rateLimit(20, 15, 25), 0, 1))!;
    expect(sendDelay(known, 1)).toBe(0);
    const spent = learn(known, report(undefined, 1, 2, { resumeAt: 50 }))!;
    expect(spent.level).toBe(0);
    expect(spent.refused).toBe(1);
    expect(sendDelay(spent, 1)).toBeGreaterThan(49);
  });

  it("measures others' spending and leaves them their share of the refill", () => {
    // Two responses 100 ms apart, both with little left: 20 refilled, we sent 5, 2 more gone.
    let state = learn(undefined, report(rateLimit(20, 4, 80), 0, 1))!;
    state = learn(state, report(rateLimit(20, 2, 90), 100, 6))!;
    expect(state.othersPerMs).toBeGreaterThan(0);
    const alone = learn(undefined, report(rateLimit(20, 2, 90), 100, 6))!;
    expect(sendDelay(state, 100)).toBeGreaterThan(sendDelay(alone, 100));
  });

  it("forgets others' spending while the limit stays more than half left", () => {
    let state = learn(undefined, report(rateLimit(20, 4, 80), 0, 1))!;
    state = learn(state, report(rateLimit(20, 2, 90), 100, 6))!;
    const measured = state.othersPerMs;
    for (let i = 2; i < 10; i++)
      state = learn(state, report(rateLimit(20, 18, 10), i * 100, 5 + i))!;
    expect(state.othersPerMs).toBeLessThan(measured / 100);
  });

  it('never starves: however much others spend, a share of the refill is left', () => {
    // 200 requests/s: 14.5 and 19.5 short.
    let state = learn(undefined, report(rateLimit(20, 5, 72.5), 0, 1))!;
    state = learn(state, report(rateLimit(20, 0, 97.5), 1_000, 2))!;
    expect(state.othersPerMs).toBeGreaterThan(state.perMs);
    expect(sendDelay(state, 1_000)).toBeLessThan(Infinity);
    expect(sendDelay(state, 1_000)).toBeLessThanOrEqual((reserveOf(20) + 1) * 16 * 5);
  });
});
