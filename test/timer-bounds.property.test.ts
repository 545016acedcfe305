// Numbers that timers cannot hold: a timer fires after 1 ms when asked for more than 2^31-1 ms, so
// every option that becomes a timer is refused beyond that bound (an InvalidArgumentError, with
// nothing sent), `Infinity` stays valid where it is documented (`timeoutMs`), and what a server
// asks for stays bounded by MAX_RETRY_AFTER_MS.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckpointsClient, InvalidArgumentError, RateLimitError } from '../src/index.js';
import { checkpoints, ok, sequence, servePages, serverPool, status } from './helpers/http.js';
import { clientFor, JOB, KEY } from './helpers/client.js';
import { rejectionOf, thrownBy } from './helpers/outcomes.js';

const serve = serverPool();
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Durations past what a timer holds (Infinity aside), and some it holds. */
const tooLong = fc.oneof(
  fc.double({ min: MAX_TIMER_MS + 1, max: Number.MAX_VALUE, noNaN: true }),
  fc.constantFrom(MAX_TIMER_MS + 1, 2 ** 31, 1e12, 99_999_999_999, Number.MAX_VALUE),
);

describe('timeoutMs', () => {
  it('beyond 2^31-1 ms is refused when the client is created, and per call (property)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    await fc.assert(
      fc.asyncProperty(tooLong, async (timeoutMs) => {
        const error = thrownBy(() =>
          createCheckpointsClient({ apiKey: KEY, baseUrl: server.url, timeoutMs }),
        );
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect(error).toMatchObject({ argument: 'timeoutMs' });
        const listing = clientFor(server).listCheckpoints(JOB, {}, { timeoutMs });
        await expect(listing).rejects.toMatchObject({
          name: 'InvalidArgumentError',
          argument: 'options.timeoutMs',
        });
      }),
      { numRuns: 50 },
    );
    expect(server.requests).toHaveLength(0);
  });

  it('up to 2^31-1 ms, and Infinity, are kept: the call does not time out at once', async () => {
    const server = await serve(servePages(checkpoints(2)));
    for (const timeoutMs of [MAX_TIMER_MS, Infinity]) {
      const page = await clientFor(server, { timeoutMs }).listCheckpoints(JOB);
      expect(page.data).toHaveLength(2);
    }
    expect(server.requests).toHaveLength(2);
  });
});

describe('backoff', () => {
  it('a wait a timer cannot hold, or not a number, is refused when asked: no retry fires at once', async () => {
    const bad: unknown[] = [MAX_TIMER_MS + 1, 1e12, Infinity, Number.NaN, '10', undefined];
    for (const wait of bad) {
      const server = await serve(sequence(status(503), ok()));
      const client = clientFor(server, { backoff: () => wait as number });
      const error = await rejectionOf(client.listCheckpoints(JOB));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'backoff' });
      // The first attempt went out; the retry it would have scheduled did not.
      expect(server.requests).toHaveLength(1);
    }
  });

  it('a wait up to 2^31-1 ms is kept (the caller can still abort it)', async () => {
    const server = await serve(sequence(status(503), ok()));
    const controller = new AbortController();
    const client = clientFor(server, { backoff: () => MAX_TIMER_MS });
    const outcome = rejectionOf(client.listCheckpoints(JOB, {}, { signal: controller.signal }));
    // Still waiting well after a 1 ms timer would have fired: the retry is not sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    controller.abort();
    expect(await outcome).toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });
});

describe("the server's retry-after", () => {
  it('any wait a server asks for past MAX_RETRY_AFTER_MS fails at once, never fires early (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 60_001, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(2 ** 31, 1e12),
        ),
        fc.constantFrom('retry-after-ms', 'retry-after'),
        async (ms, header) => {
          const value = header === 'retry-after' ? String(Math.ceil(ms / 1000)) : String(ms);
          const server = await serve(sequence(status(429, { [header]: value }), ok()));
          const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
          expect(error).toBeInstanceOf(RateLimitError);
          expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
          expect(server.requests).toHaveLength(1);
          await server.close();
        },
      ),
      { numRuns: 25 },
    );
  });
});
