// The scheduler against a simulated token-bucket server (200 requests/s, burst 20, 20 ms per
// request, OpenAI's headers), on a simulated clock: the figures are exact and the same on every
// machine, so the targets can be asserted here (the benchmark measures them for real).
import { describe, expect, it } from 'vitest';
import { simulateListings, type ClientsSetup } from './helpers/simulation.js';

/** A run's figures against its floor (requests ÷ rate) and its minimum (jobs × pages). */
async function figures(setup: ClientsSetup) {
  const run = await simulateListings(setup);
  const minimum = setup.jobs * setup.pages * (setup.processes ?? 1);
  return {
    failedJobs: run.failedJobs,
    wallOverFloor: run.wallMs / ((minimum / 200) * 1_000),
    limitedShare: run.limited / run.requests,
    requestsOverMinimum: run.requests / minimum,
  };
}

describe('one process, one client', () => {
  it.each([
    ['Promise.all, 1,000 jobs × 1 page', { jobs: 1_000, pages: 1 }],
    ['p-limit(16), 1,000 jobs × 1 page', { jobs: 1_000, pages: 1, concurrency: 16 }],
    ['Promise.all, 300 jobs × 3 pages', { jobs: 300, pages: 3 }],
    ['p-limit(16), 300 jobs × 3 pages', { jobs: 300, pages: 3, concurrency: 16 }],
  ])('%s: no 429, no failure, at the floor', async (_name, setup) => {
    const run = await figures(setup);
    expect(run.failedJobs).toBe(0);
    expect(run.limitedShare).toBe(0);
    expect(run.requestsOverMinimum).toBe(1);
    expect(run.wallOverFloor).toBeLessThanOrEqual(1.05);
  });
});

describe('four processes, no shared store', () => {
  it.each([
    ['started together', { jitterMs: 0, staggerMs: 0 }],
    ['started 10 ms apart, 0–3 ms of jitter', { jitterMs: 3, staggerMs: 10 }],
  ])('%s: no failure, 429s ≤ 10 %, requests ≤ 1.12× the minimum', async (_name, timing) => {
    const run = await figures({ processes: 4, jobs: 250, pages: 1, concurrency: 16, ...timing });
    expect(run.failedJobs).toBe(0);
    expect(run.limitedShare).toBeLessThanOrEqual(0.1);
    expect(run.requestsOverMinimum).toBeLessThanOrEqual(1.12);
    expect(run.wallOverFloor).toBeLessThanOrEqual(1.3);
  });
});
