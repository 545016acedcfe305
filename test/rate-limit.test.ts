// The client's scheduler, through the client: a 429 pauses every request of the client and
// spends no retry; attempts in flight are bounded (`maxConcurrency`), starting slowly until the
// limit is known; a `limiter` is asked before each attempt and told of each answer; a thousand
// listings on one signal add no warning. The scheduler's own decisions are tested on a simulated
// clock in test/scheduler*.test.ts; these run real requests against servers on 127.0.0.1.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  createCheckpointsClient,
  InvalidArgumentError,
  type Limiter,
} from '../src/index.js';
import { checkpoints, ok, servePages, serverPool, status, type Handler } from './helpers/http.js';
import { clientFor, JOB, KEY } from './helpers/client.js';
import { rejectionOf, thrownBy } from './helpers/outcomes.js';

const serve = serverPool();

/** Answers each request after `ms`, recording how many were in flight at most. */
function held(ms: number, answer: Handler = servePages(checkpoints(1))) {
  let inFlight = 0;
  const seen = { most: 0, order: [] as ('in' | 'out')[] };
  const handler: Handler = (req, res, request, index) => {
    inFlight++;
    seen.most = Math.max(seen.most, inFlight);
    seen.order.push('in');
    setTimeout(() => {
      inFlight--;
      seen.order.push('out');
      answer(req, res, request, index);
    }, ms);
  };
  return { handler, seen };
}

describe('a 429', () => {
  it('pauses every request of the client until the server’s wait, and spends no retry', async () => {
    let answered429At = 0;
    const server = await serve((req, res, seen, index) => {
      if (index === 0) {
        answered429At = performance.now();
        return status(429, { 'retry-after-ms': '300' })(req, res, seen, index);
      }
      return servePages(checkpoints(1))(req, res, seen, index);
    });
    // A limiter that lets everything go tells when the client has seen the 429 (a fixed sleep
    // raced the answer on a loaded machine). The pause is the scheduler's, limiter or not: the
    // simulated-clock tests (test/scheduler.test.ts) cover a client without one.
    let seen429!: () => void;
    const limited = new Promise<void>((resolve) => (seen429 = resolve));
    const limiter: Limiter = {
      reserve: () => 0,
      observe: ({ status }) => status === 429 && seen429(),
    };
    const client = clientFor(server, { maxRetries: 0, limiter });
    const first = client.listCheckpoints('ftjob-a').toArray();
    await limited;
    // Started after the 429: it waits for the pause too, though its own request never failed.
    const second = client.listCheckpoints('ftjob-b').toArray();
    expect((await first).map((item) => item.id)).toEqual(['ckpt_0']);
    expect(await second).toHaveLength(1);
    const after = server.times.slice(1).map((at) => at - answered429At);
    expect(after).toHaveLength(2);
    for (const ms of after) expect(ms).toBeGreaterThanOrEqual(290);
  });
});

describe('attempts in flight', () => {
  it('are at most maxConcurrency, all listings of the client together', async () => {
    const { handler, seen } = held(20);
    const server = await serve(handler);
    const client = clientFor(server, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.listCheckpoints(`j${i}`)));
    expect(server.requests).toHaveLength(12);
    expect(seen.most).toBe(3);
  });

  it('start at 8 until the server has answered (slow start), then grow', async () => {
    const { handler, seen } = held(30);
    const server = await serve(handler);
    const client = clientFor(server);
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.listCheckpoints(`j${i}`)));
    // No more than 8 requests reached the server before its first answer.
    expect(seen.order.indexOf('out')).toBeLessThanOrEqual(8);
    expect(seen.most).toBeGreaterThan(8);
  });
});

describe('a limiter', () => {
  it('is asked before each attempt and told of each answer', async () => {
    const server = await serve(ok());
    const calls: string[] = [];
    const limiter: Limiter = {
      reserve: () => (calls.push('reserve'), 0),
      observe: ({ status }) => void calls.push(`observe ${status}`),
    };
    await clientFor(server, { limiter }).listCheckpoints(JOB);
    await clientFor(server, { limiter }).listCheckpoints(JOB);
    expect(calls).toEqual(['reserve', 'observe 200', 'reserve', 'observe 200']);
  });

  it('that rejects fails the attempt with its own error, not an abort, and sends nothing', async () => {
    const server = await serve(ok());
    const refusal = new Error('the shared store is unreachable');
    const limiter: Limiter = { reserve: () => Promise.reject(refusal), observe() {} };
    const raw = await clientFor(server, { limiter })
      .raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
        params: { path: { fine_tuning_job_id: JOB } },
      })
      .catch((error: unknown) => error);
    expect(raw).toBe(refusal);
    const listed = await rejectionOf(clientFor(server, { limiter }).listCheckpoints(JOB));
    expect(listed).not.toBeInstanceOf(AbortError);
    expect((listed as Error).message).toContain('the shared store is unreachable');
    expect(server.requests).toHaveLength(0);
  });
});

describe('the scheduler’s options', () => {
  it.each<[string, Record<string, unknown>]>([
    ['maxConcurrency', { maxConcurrency: 0 }],
    ['maxConcurrency', { maxConcurrency: 1.5 }],
    ['maxRateLimitWaitMs', { maxRateLimitWaitMs: -1 }],
    ['maxRateLimitWaitMs', { maxRateLimitWaitMs: 1e12 }],
    ['limiter', { limiter: {} }],
    ['limiter', { limiter: { reserve: () => 0 } }],
  ])('a bad %s is an InvalidArgumentError', (argument, options) => {
    const error = thrownBy(() => createCheckpointsClient({ apiKey: KEY, ...options }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument });
  });
});

describe('one signal, many listings', () => {
  it('a thousand listings on one signal add no listener warning, and all stop when it aborts', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const server = await serve(servePages(checkpoints(3), { pageSize: 1 }));
      const client = clientFor(server);
      const controller = new AbortController();
      const listings = Array.from({ length: 1_000 }, (_, i) =>
        client.listCheckpoints(`j${i}`, {}, { signal: controller.signal }).toArray(),
      );
      const all = await Promise.all(listings);
      expect(all.every((items) => items.length === 3)).toBe(true);
      const stopped = Array.from({ length: 50 }, (_, i) =>
        client.listCheckpoints(`k${i}`, {}, { signal: controller.signal }).toArray(),
      );
      controller.abort();
      for (const outcome of await Promise.allSettled(stopped))
        expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
