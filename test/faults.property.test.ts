// Property: over random data sets, page sizes, retry budgets and schedules of retryable faults,
// an iteration either yields every checkpoint exactly once in server order, or throws a typed
// error, and it throws exactly when some page met more consecutive faults than `maxRetries` (a
// 429 spends no retry: the client waits it out, within `maxRateLimitWaitMs`).
//
// The fault plan is a function of (page, attempt at that page): "page i fails f_i times in a row,
// then answers", so the expected outcome follows from the schedule alone, whatever the timing
// (prefetch included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointsError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  type FineTuningJobCheckpoint,
} from '../src/index.js';
import { createMockServer, generateCheckpoints, type Fault } from '../src/mock/index.js';
import { clientFor, JOB } from './helpers/client.js';

/**
 * The retryable faults, the error each leaves when it is the last attempt's, and whether it
 * spends a retry (a 429 does not).
 */
const FAULTS: {
  fault: Fault;
  error: abstract new (...args: never[]) => CheckpointsError;
  spendsRetry?: false;
}[] = [
  { fault: { kind: 'status', status: 503 }, error: InternalServerError },
  {
    fault: { kind: 'status', status: 429, retryAfterMs: 1 },
    error: RateLimitError,
    spendsRetry: false,
  },
  { fault: { kind: 'reset' }, error: ConnectionError },
  // Headers, half the body, then the connection closes: the body is cut off.
  { fault: { kind: 'truncated' }, error: InvalidResponseError },
  // Not `malformed-json`: a complete body that does not parse is final (invalid-responses tests).
];

const scenario = fc.record({
  // Mostly small data sets, sometimes large ones.
  count: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 30 }) },
    { weight: 4, arbitrary: fc.integer({ min: 31, max: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 301, max: 2_000 }) },
  ),
  limit: fc.integer({ min: 1, max: 100 }),
  maxRetries: fc.integer({ min: 0, max: 3 }),
  prefetch: fc.boolean(),
  seed: fc.nat(),
  // Runs of consecutive faults, each on some page (taken modulo the number of pages).
  faults: fc.array(
    fc.record({
      page: fc.nat(),
      run: fc.array(fc.integer({ min: 0, max: FAULTS.length - 1 }), { minLength: 1, maxLength: 5 }),
    }),
    { maxLength: 5 },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The newest-first order the API (and the mock) serves. */
function serverOrder(checkpoints: FineTuningJobCheckpoint[]): FineTuningJobCheckpoint[] {
  return [...checkpoints].sort(
    (a, b) => b.created_at - a.created_at || b.step_number - a.step_number,
  );
}

/**
 * What the schedule implies: the page that fails for good (if any), its error and attempts, and
 * the request count.
 */
function expectation(runs: Map<number, number[]>, pageCount: number, maxRetries: number) {
  let requests = 0;
  for (let page = 0; page < pageCount; page++) {
    const run = runs.get(page) ?? [];
    let spent = 0;
    for (const [index, kind] of run.entries()) {
      if (FAULTS[kind]!.spendsRetry === false || ++spent <= maxRetries) continue;
      const attempts = index + 1;
      return {
        failingPage: page,
        error: FAULTS[kind]!.error,
        attempts,
        requests: requests + attempts,
      };
    }
    requests += run.length + 1;
  }
  return { failingPage: undefined, error: undefined, attempts: undefined, requests };
}

async function check(s: Scenario): Promise<void> {
  const data = generateCheckpoints({ jobId: JOB, count: s.count, seed: s.seed });
  const ordered = serverOrder(data);
  const pageCount = Math.max(1, Math.ceil(s.count / s.limit));
  // The cursor (`after`) of each page: none for the first, then the last id of the page before.
  const pageOfCursor = new Map<string, number>([['', 0]]);
  for (let page = 1; page < pageCount; page++) {
    pageOfCursor.set(ordered[page * s.limit - 1]!.id, page);
  }
  const runs = new Map<number, number[]>();
  for (const { page, run } of s.faults) runs.set(page % pageCount, run);
  const attempts = new Map<number, number>();
  const unknownCursors: string[] = [];

  const mock = await createMockServer({
    jobs: { [JOB]: data },
    faults: ({ query }) => {
      const page = pageOfCursor.get(query.after ?? '');
      if (page === undefined) {
        unknownCursors.push(query.after ?? '');
        return undefined;
      }
      const attempt = (attempts.get(page) ?? 0) + 1;
      attempts.set(page, attempt);
      const kind = runs.get(page)?.[attempt - 1];
      return kind === undefined ? undefined : FAULTS[kind]!.fault;
    },
  });
  try {
    // Data sets reach 2,000 pages of 1; the maxPages cap (tested on its own) is lifted here.
    const client = clientFor(mock, {
      maxRetries: s.maxRetries,
      backoff: () => 0,
      maxPages: Number.MAX_SAFE_INTEGER,
    });
    const seen: string[] = [];
    let thrown: unknown;
    try {
      const listing = client.listCheckpoints(JOB, { limit: s.limit }, { prefetch: s.prefetch });
      for await (const checkpoint of listing) seen.push(checkpoint.id);
    } catch (error) {
      thrown = error;
    }

    const expected = expectation(runs, pageCount, s.maxRetries);
    expect(unknownCursors).toEqual([]);
    expect(mock.requests).toHaveLength(expected.requests);
    if (expected.failingPage === undefined) {
      expect(thrown).toBeUndefined();
      expect(seen).toEqual(ordered.map((checkpoint) => checkpoint.id));
    } else {
      expect(thrown).toBeInstanceOf(CheckpointsError);
      expect(thrown).toBeInstanceOf(expected.error);
      expect(thrown).toMatchObject({ attempts: expected.attempts });
      // Every page before the failing one arrived, once and in order; nothing after it.
      expect(seen).toEqual(
        ordered.slice(0, expected.failingPage * s.limit).map((checkpoint) => checkpoint.id),
      );
    }
  } finally {
    await mock.close();
  }
}

describe('iteration under random retryable faults', () => {
  it('yields everything once and in order, or throws a typed error exactly when a page ran out of retries', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: 500 });
  }, 120_000);

  it('the oracle is not vacuous: a fault run longer than maxRetries fails, a shorter one does not', async () => {
    // Found by this property: more pages than the default maxPages.
    await check({ count: 1001, limit: 1, maxRetries: 0, prefetch: false, seed: 0, faults: [] });
    const base = { count: 10, limit: 3, prefetch: true, seed: 1 };
    await check({ ...base, maxRetries: 2, faults: [{ page: 2, run: [0, 2, 3] }] });
    await check({ ...base, maxRetries: 2, faults: [{ page: 2, run: [1, 3] }] });
    // 429s spend no retry: five of them and two other faults pass with two retries.
    await check({ ...base, maxRetries: 2, faults: [{ page: 1, run: [1, 1, 0, 1, 1, 2, 1] }] });
    expect(expectation(new Map([[2, [0, 2, 3]]]), 4, 2)).toMatchObject({
      failingPage: 2,
      error: InvalidResponseError,
      requests: 1 + 1 + 3,
    });
    expect(expectation(new Map([[2, [1, 3]]]), 4, 2)).toMatchObject({
      failingPage: undefined,
      requests: 4 + 2,
    });
    expect(expectation(new Map([[1, [1, 1, 0, 1, 2, 0]]]), 4, 2)).toMatchObject({
      failingPage: 1,
      error: InternalServerError,
      attempts: 6,
    });
  });
});
