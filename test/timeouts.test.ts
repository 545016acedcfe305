// Timeouts and cancellation: the per-attempt timeout covers the body and is retried; a caller's
// AbortSignal stops everything at once, during a request or a backoff sleep, and is never retried.
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, TimeoutError } from '../src/index.js';
import {
  checkpoints,
  hang,
  ok,
  sequence,
  servePages,
  serverPool,
  stalledBody,
  status,
} from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';
import { collect, rejectionOf, since } from './helpers/outcomes.js';

const serve = serverPool();

// The first request of a process is slow (fetch's lazy set-up); keep it out of the timed tests.
beforeAll(async () => {
  await clientFor(await serve(ok())).listCheckpoints(JOB);
});

describe('timeoutMs', () => {
  it('covers reading the body: headers then a stalled body time out, and are retried', async () => {
    const server = await serve(stalledBody);
    const start = performance.now();
    const error = await rejectionOf(clientFor(server, { timeoutMs: 150 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ timeoutMs: 150, attempts: 3 });
    expect((error as Error).message).toContain('150 ms');
    expect((error as Error).message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
    // Each of the three attempts waited its full timeout.
    expect(since(start)).toBeGreaterThanOrEqual(3 * 150 - 5);
  });

  it('a server that never answers times out and is retried', async () => {
    const server = await serve(hang);
    const error = await rejectionOf(
      clientFor(server, { timeoutMs: 150, maxRetries: 1 }).listCheckpoints(JOB),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('a timed-out attempt recovers when the retry answers', async () => {
    const server = await serve(sequence(stalledBody, hang, ok()));
    const page = await clientFor(server, { timeoutMs: 150 }).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(3);
    expect(page.data).toHaveLength(2);
    expect(page.requestId).toBe('req_3');
  });

  it('is overridable per call', async () => {
    const server = await serve(hang);
    const client = clientFor(server, { timeoutMs: 60_000, maxRetries: 0 });
    const start = performance.now();
    const error = await rejectionOf(client.listCheckpoints(JOB, {}, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, attempts: 1 });
    expect(since(start)).toBeLessThan(10_000);
    expect(server.requests).toHaveLength(1);
  });

  it('applies to each attempt, not to the whole call', async () => {
    // Two slow failures of ~120 ms then a success: 360 ms in all, over a 300 ms timeout.
    const slow503 = status(503);
    const server = await serve(
      sequence(
        (req, res, seen, index) => setTimeout(() => slow503(req, res, seen, index), 120),
        (req, res, seen, index) => setTimeout(() => slow503(req, res, seen, index), 120),
        (req, res, seen, index) => setTimeout(() => ok()(req, res, seen, index), 120),
      ),
    );
    const page = await clientFor(server, { timeoutMs: 300 }).listCheckpoints(JOB);
    expect(page.data).toHaveLength(2);
    expect(server.requests).toHaveLength(3);
  });

  it('applies to each page of an iteration', async () => {
    const server = await serve(
      servePages(checkpoints(6), {
        pageSize: 2,
        fault: (after, attempt, res) => {
          if (after !== 'ckpt_3' || attempt > 1) return false;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"object":"list",');
          return true;
        },
      }),
    );
    const client = clientFor(server, { timeoutMs: 200 });
    const items = await collect(client.listCheckpoints(JOB, { limit: 2 }));
    expect(items.map((item) => item.id)).toEqual(checkpoints(6).map((item) => item.id));
    expect(server.requests.map((request) => request.query.get('after'))).toEqual([
      null,
      'ckpt_1',
      'ckpt_3',
      'ckpt_3',
    ]);
  });
});

describe('AbortSignal', () => {
  it('aborting during a hanging request rejects at once with AbortError, no retry', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    // Aborted 50 ms after the server got the request, which it never answers.
    const server = await serve(() => setTimeout(() => controller.abort(reason), 50));
    const client = clientFor(server, { maxRetries: 3, timeoutMs: 30_000 });
    const start = performance.now();
    const error = await rejectionOf(client.listCheckpoints(JOB, {}, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as Error).cause).toBe(reason);
    expect(since(start)).toBeLessThan(5_000);
    // Give a (wrong) retry a moment to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
  });

  it('aborting during the backoff sleep rejects at once, without the retry', async () => {
    const server = await serve(status(503));
    const controller = new AbortController();
    let start = 0;
    // Aborted 50 ms into the 10 s sleep before the first retry.
    const backoff = () => {
      start = performance.now();
      setTimeout(() => controller.abort(), 50);
      return 10_000;
    };
    const client = clientFor(server, { backoff });
    const error = await rejectionOf(client.listCheckpoints(JOB, {}, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(since(start)).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('aborting during a server-requested wait rejects at once', async () => {
    const controller = new AbortController();
    const answer = status(429, { 'retry-after': '30' });
    let start = 0;
    const server = await serve((req, res, seen, index) => {
      answer(req, res, seen, index);
      start = performance.now();
      setTimeout(() => controller.abort(), 50);
    });
    const client = clientFor(server);
    const error = await rejectionOf(client.listCheckpoints(JOB, {}, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(since(start)).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('an already-aborted signal sends no request', async () => {
    const server = await serve(ok());
    const error = await rejectionOf(
      clientFor(server).listCheckpoints(JOB, {}, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  it.each([true, false])(
    'aborting while a later page hangs stops the iteration, no retry (prefetch %s)',
    async (prefetch) => {
      const controller = new AbortController();
      // Page 1 answers (more to come); page 2 never does, and the caller aborts 30 ms into it.
      const server = await serve(
        sequence(ok(checkpoints(2), true), () => setTimeout(() => controller.abort(), 30)),
      );
      const client = clientFor(server, { timeoutMs: 30_000, maxRetries: 3 });
      const seen: string[] = [];
      const start = performance.now();
      const error = await rejectionOf(
        (async () => {
          const listing = client.listCheckpoints(JOB, {}, { signal: controller.signal, prefetch });
          for await (const item of listing) seen.push(item.id);
        })(),
      );
      expect(error).toBeInstanceOf(AbortError);
      expect(seen).toEqual(['ckpt_0', 'ckpt_1']);
      expect(since(start)).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1]!.query.get('after')).toBe('ckpt_1');
    },
  );
});

describe("a caller's signal that times out", () => {
  it('AbortSignal.timeout() surfaces as TimeoutError (not "aborted by the caller"), not retried', async () => {
    const server = await serve(() => {});
    const client = clientFor(server, { maxRetries: 3, timeoutMs: 30_000 });
    const signal = AbortSignal.timeout(60);
    const error = await rejectionOf(client.listCheckpoints(JOB, {}, { signal }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ attempts: 1, timeoutMs: undefined });
    expect((error as Error).message).toMatch(/caller's signal/);
    expect((error as Error).cause).toBe(signal.reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
  });

  it('an abort with any other reason stays an AbortError with that reason as cause', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort('done here'), 30);
    const error = await rejectionOf(
      clientFor(server).listCheckpoints(JOB, {}, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).cause).toBe('done here');
  });
});
