// Retries: which failures are retried, how many times, how long the client waits between
// attempts, what the final error says, and that every way of calling gets the same behaviour.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  defaultBackoff,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  MAX_RETRY_AFTER_MS,
  NotFoundError,
  paginate,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../src/index.js';
import { createMockServer, generateCheckpoints } from '../src/mock/index.js';
import {
  checkpoints,
  closedMidBody,
  closedPortUrl,
  ok,
  reset,
  sequence,
  servePages,
  serverPool,
  status,
} from './helpers/http.js';
import { clientFor, JOB, PATH } from './helpers/client.js';
import { collect, rejectionOf, since } from './helpers/outcomes.js';

const serve = serverPool();

/** The fixture in pages of two, each page's first attempt answered with an empty 503. */
function eachPageFailsOnce() {
  return servePages(checkpoints(6), {
    pageSize: 2,
    fault: (_after, attempt, res) => {
      if (attempt > 1) return false;
      res.writeHead(503, { 'content-length': '0' }).end();
      return true;
    },
  });
}

describe('maxRetries', () => {
  it('defaults to 2: three attempts, then the last status is thrown', async () => {
    const server = await serve(status(503));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, attempts: 3, requestId: 'req_3' });
    expect((error as Error).message).toContain('503');
    expect((error as Error).message).toContain('after 3 attempts');
  });

  it.each([0, 1, 4])('is a client option: maxRetries %i gives one attempt more', async (n) => {
    const server = await serve(status(500));
    const error = await rejectionOf(clientFor(server, { maxRetries: n }).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(n + 1);
    expect(error).toMatchObject({ status: 500, attempts: n + 1 });
  });

  it('is overridable per call, in both directions', async () => {
    const server = await serve(status(503));
    const few = clientFor(server, { maxRetries: 0 });
    await rejectionOf(few.listCheckpoints(JOB, {}, { maxRetries: 3 }));
    expect(server.requests).toHaveLength(4);

    const many = clientFor(server, { maxRetries: 3 });
    const error = await rejectionOf(many.listCheckpoints(JOB, {}, { maxRetries: 0 }));
    expect(server.requests).toHaveLength(5);
    expect(error).toMatchObject({ attempts: 1 });
    expect((error as Error).message).not.toContain('attempts');
  });

  it('stops retrying as soon as an attempt succeeds', async () => {
    const server = await serve(sequence(status(503), status(502), ok()));
    const page = await clientFor(server, { maxRetries: 5 }).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(3);
    expect(page.data.map((item) => item.id)).toEqual(['ckpt_0', 'ckpt_1']);
    expect(page.requestId).toBe('req_3');
  });
});

describe('what is retried', () => {
  it.each([
    [408, ApiError],
    [409, ConflictError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [504, InternalServerError],
    [599, InternalServerError],
  ])('status %i is retried (%o after the last attempt)', async (code, ErrorClass) => {
    const server = await serve(status(code));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status: code, attempts: 3 });
  });

  it('a 429 spends no retry: it is waited out, within maxRateLimitWaitMs, then a RateLimitError', async () => {
    const server = await serve(status(429, { 'retry-after-ms': '5' }));
    const client = clientFor(server, { maxRetries: 0, maxRateLimitWaitMs: 200 });
    const error = await rejectionOf(client.listCheckpoints(JOB));
    expect(error).toBeInstanceOf(RateLimitError);
    // More attempts than maxRetries allows for other statuses, and each spaced by the server's wait.
    expect(server.requests.length).toBeGreaterThan(2);
    expect(error).toMatchObject({ status: 429, attempts: server.requests.length, retryAfterMs: 5 });
  });

  it('a retried status recovers when the next attempt succeeds', async () => {
    const server = await serve(sequence(status(429, { 'retry-after-ms': '1' }), ok()));
    const page = await clientFor(server).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(2);
    expect(page.data).toHaveLength(2);
  });

  it('a refused connection is retried; the final ConnectionError carries the cause', async () => {
    const url = await closedPortUrl();
    const retries: number[] = [];
    const client = clientFor(url, { backoff: (retry) => (retries.push(retry), 0) });
    const error = await rejectionOf(client.listCheckpoints(JOB));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(retries).toEqual([1, 2]);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as Error).message).toContain('after 3 attempts');
    expect((error as Error).message).toContain(new URL(url).origin);
    expect((error as Error).cause).toBeDefined();
  });

  it('a connection reset before the response is retried', async () => {
    const server = await serve(reset);
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as Error).message).toContain('after 3 attempts');
    expect((error as Error).cause).toBeDefined();
  });

  it('a reset followed by an answer recovers', async () => {
    const server = await serve(sequence(reset, reset, ok()));
    const page = await clientFor(server).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(3);
    expect(page.data).toHaveLength(2);
  });

  it('a connection closed mid-body is retried; the final error keeps status and cause', async () => {
    const server = await serve(closedMidBody);
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, attempts: 3, requestId: 'req_3' });
    expect((error as Error).message).toContain('after 3 attempts');
    expect((error as Error).cause).toBeDefined();
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, UnprocessableEntityError],
  ])('status %i is not retried', async (code, ErrorClass) => {
    const server = await serve(status(code));
    const error = await rejectionOf(clientFor(server, { maxRetries: 3 }).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status: code, attempts: 1, requestId: 'req_1' });
  });

  it('x-should-retry: true makes a 400 retried', async () => {
    const server = await serve(status(400, { 'x-should-retry': 'true' }));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it('x-should-retry: false makes a 503 final', async () => {
    const server = await serve(status(503, { 'x-should-retry': 'false' }));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
  });

  it('bad input sends no request at all', async () => {
    const server = await serve(ok());
    const client = clientFor(server);
    const attempts = [
      client.listCheckpoints(''),
      client.listCheckpoints('../other'),
      client.listCheckpoints(JOB, { limit: 0 }),
      client.listCheckpoints(JOB, {}, { maxRetries: -1 }),
      client.listCheckpoints(JOB, {}, { timeoutMs: 0 }),
    ];
    for (const attempt of attempts) {
      expect(await rejectionOf(attempt)).toBeInstanceOf(InvalidArgumentError);
    }
    expect(() => clientFor(server, { maxRetries: 1.5 })).toThrow(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('delay between attempts', () => {
  it('without a server hint, backoff(retry) is called with 1, 2, 3, ...', async () => {
    const server = await serve(status(503));
    const retries: number[] = [];
    const client = clientFor(server, {
      maxRetries: 4,
      backoff: (retry) => (retries.push(retry), 0),
    });
    await rejectionOf(client.listCheckpoints(JOB));
    expect(retries).toEqual([1, 2, 3, 4]);
    expect(server.requests).toHaveLength(5);
  });

  it('the backoff restarts at 1 for each page of an iteration', async () => {
    const server = await serve(eachPageFailsOnce());
    const retries: number[] = [];
    const client = clientFor(server, { backoff: (retry) => (retries.push(retry), 0) });
    const items = await collect(client.listCheckpoints(JOB, { limit: 2 }));
    expect(items.map((item) => item.id)).toEqual(checkpoints(6).map((item) => item.id));
    expect(retries).toEqual([1, 1, 1]);
  });

  it('waits what backoff returns', async () => {
    const server = await serve(sequence(status(500), ok()));
    await clientFor(server, { backoff: () => 80 }).listCheckpoints(JOB);
    expect(server.times[1]! - server.times[0]!).toBeGreaterThanOrEqual(78);
  });

  it('defaultBackoff: about 0.5 s doubling, capped at 8 s, with at most 25 % jitter', () => {
    for (let retry = 1; retry <= 10; retry++) {
      const ceiling = Math.min(500 * 2 ** (retry - 1), 8_000);
      const draws = Array.from({ length: 2_000 }, () => defaultBackoff(retry));
      const low = Math.min(...draws);
      const high = Math.max(...draws);
      expect(low).toBeGreaterThanOrEqual(ceiling * 0.75);
      expect(high).toBeLessThanOrEqual(ceiling);
      // Jitter is really there, spread over most of the allowed 25 %.
      expect(high - low).toBeGreaterThan(ceiling * 0.2);
    }
    expect(defaultBackoff(1)).toBeLessThanOrEqual(500);
    expect(defaultBackoff(5)).toBeGreaterThanOrEqual(6_000);
    expect(defaultBackoff(50)).toBeLessThanOrEqual(8_000);
  });

  it('honours retry-after-ms (and does not call backoff)', async () => {
    const server = await serve(sequence(status(429, { 'retry-after-ms': '120' }), ok()));
    let called = 0;
    const client = clientFor(server, { backoff: () => (called++, 0) });
    await client.listCheckpoints(JOB);
    expect(server.requests).toHaveLength(2);
    expect(server.times[1]! - server.times[0]!).toBeGreaterThanOrEqual(118);
    expect(called).toBe(0);
  });

  it('honours Retry-After in seconds', async () => {
    const server = await serve(sequence(status(503, { 'retry-after': '0.15' }), ok()));
    await clientFor(server).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(2);
    expect(server.times[1]! - server.times[0]!).toBeGreaterThanOrEqual(148);
  });

  it('honours Retry-After as an HTTP date', async () => {
    // HTTP dates have whole seconds: the next second boundary at least 150 ms away.
    const until = Math.ceil((Date.now() + 150) / 1_000) * 1_000;
    const server = await serve(
      sequence(status(503, { 'retry-after': new Date(until).toUTCString() }), ok()),
    );
    await clientFor(server).listCheckpoints(JOB);
    expect(server.requests).toHaveLength(2);
    // The second request comes no earlier than the date (a few ms for clock granularity).
    const secondArrival = Date.now() - (performance.now() - server.times[1]!);
    expect(secondArrival).toBeGreaterThanOrEqual(until - 5);
  });

  it.each([
    ['Retry-After', 'retry-after', '120', 120_000],
    ['retry-after-ms', 'retry-after-ms', String(MAX_RETRY_AFTER_MS + 1), MAX_RETRY_AFTER_MS + 1],
  ])(
    'a %s beyond MAX_RETRY_AFTER_MS is not waited for: the error is thrown at once',
    async (_name, header, value, expected) => {
      expect(MAX_RETRY_AFTER_MS).toBe(60_000);
      const server = await serve(status(429, { [header]: value }));
      const start = performance.now();
      const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
      expect(since(start)).toBeLessThan(5_000);
      expect(server.requests).toHaveLength(1);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, attempts: 1, retryAfterMs: expected });
    },
  );
});

describe('per page', () => {
  it.each([true, false])(
    'a fault on page 40 of 50 is retried on its own (prefetch %s)',
    async (prefetch) => {
      const data = generateCheckpoints({ jobId: JOB, count: 100, seed: 40 });
      const ordered = [...data].sort((a, b) => b.created_at - a.created_at);
      const page40Cursor = ordered[39 * 2 - 1]!.id;
      let faulted = false;
      const mock = serve.track(
        await createMockServer({
          jobs: { [JOB]: data },
          faults: ({ query }) => {
            if (query.after !== page40Cursor || faulted) return undefined;
            faulted = true;
            return { kind: 'status', status: 503 };
          },
        }),
      );
      const client = clientFor(mock, { prefetch });
      const items = await collect(client.listCheckpoints(JOB, { limit: 2 }));
      expect(items.map((item) => item.id)).toEqual(ordered.map((item) => item.id));

      const asked = mock.requests.map((request) => request.query.after);
      expect(asked).toHaveLength(51);
      const expectedCursors = [
        undefined,
        ...ordered
          .slice(0, 98)
          .filter((_, i) => i % 2 === 1)
          .map((c) => c.id),
      ];
      // Pages 1..39 once, page 40 twice (fault, retry), pages 41..50 once, in order.
      expect(asked).toEqual([
        ...expectedCursors.slice(0, 40),
        page40Cursor,
        ...expectedCursors.slice(40),
      ]);
      expect(mock.requests[39]!.fault).toBe('status');
      expect(mock.requests[40]!.fault).toBeUndefined();
      expect(mock.requests.filter((request) => request.fault !== undefined)).toHaveLength(1);
    },
  );
});

describe('raw client and paginate', () => {
  it('client.raw.GET gets the same retries', async () => {
    const server = await serve(sequence(status(503), ok()));
    const { data, error, response } = await clientFor(server).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(server.requests).toHaveLength(2);
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data.map((item) => item.id)).toEqual(['ckpt_0', 'ckpt_1']);
  });

  it('client.raw.GET gives up after maxRetries like listCheckpoints', async () => {
    const server = await serve(status(502));
    const { error, response } = await clientFor(server, { maxRetries: 1 }).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(server.requests).toHaveLength(2);
    expect(response.status).toBe(502);
    expect(error).toMatchObject({ error: { message: 'status 502 from the test server' } });
  });

  it('paginate(client.raw, ...) retries each page', async () => {
    const server = await serve(eachPageFailsOnce());
    const client = clientFor(server);
    const items = await collect(
      paginate(client.raw, PATH, {
        params: { path: { fine_tuning_job_id: JOB }, query: { limit: 2 } },
      }),
    );
    expect(items.map((item) => item.id)).toEqual(checkpoints(6).map((item) => item.id));
    // Three pages, each failed once then answered.
    expect(server.requests).toHaveLength(6);
    expect(server.requests.map((request) => request.query.get('after'))).toEqual([
      null,
      null,
      'ckpt_1',
      'ckpt_1',
      'ckpt_3',
      'ckpt_3',
    ]);
  });

  it('paginate(client.raw, ...) throws a typed error after the last attempt', async () => {
    const server = await serve(status(503));
    const client = clientFor(server, { maxRetries: 1 });
    const error = await rejectionOf(
      collect(paginate(client.raw, PATH, { params: { path: { fine_tuning_job_id: JOB } } })),
    );
    expect(server.requests).toHaveLength(2);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, attempts: 2 });
  });
});

describe('failures no retry can fix are not retried', () => {
  it("a port fetch refuses to use (6000, on the fetch spec's bad-port list): one attempt", async () => {
    const client = clientFor('http://127.0.0.1:6000/v1', { maxRetries: 3 });
    const error = await rejectionOf(client.listCheckpoints(JOB));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 1 });
    expect((error as Error).message).toMatch(/bad port/);
  });

  /** How many times a custom fetch that always fails with `failure` is called by one listing. */
  async function callsFailingWith(failure: Error): Promise<{ calls: number; error: unknown }> {
    let calls = 0;
    const client = clientFor('http://127.0.0.1:9/v1', {
      maxRetries: 2,
      fetch: async () => {
        calls++;
        throw failure;
      },
    });
    const error = await rejectionOf(client.listCheckpoints(JOB));
    return { calls, error };
  }

  it('a header value fetch refuses (from a custom fetch): one attempt', async () => {
    const { calls, error } = await callsFailingWith(
      new TypeError('Cannot convert argument to a ByteString: the character at index 1 is 256'),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toBe(1);
  });

  it('a network failure still is retried', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const { calls } = await callsFailingWith(new TypeError('fetch failed', { cause: reset }));
    expect(calls).toBe(3);
  });
});

describe('a request with a body (client.raw)', () => {
  it('is sent with its body on every attempt', async () => {
    const bodies: string[] = [];
    const server = await serve((req, res, _seen, index) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        (index === 0 ? status(503) : ok())(req, res, _seen, index);
      });
    });
    const raw = clientFor(server).raw as unknown as {
      request(method: string, path: string, init: object): Promise<{ response: Response }>;
    };
    const { response } = await raw.request(
      'post',
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
      {
        params: { path: { fine_tuning_job_id: JOB } },
        body: { note: 'hello' },
      },
    );
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"note":"hello"}', '{"note":"hello"}']);
  });
});
