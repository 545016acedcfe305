// Prefetch (issue #5): page N+1 is in flight while the consumer handles page N, with every
// guarantee of the sequential path: order, exactly once, retries, abort, loop guards.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortError, paginate, PaginationError } from '../src/index.js';
import {
  checkpoints,
  repeatingCursor,
  sequence,
  servePages,
  serverPool,
  status,
  type TestServer,
} from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';

const serve = serverPool();

/** Resolves once `server` has seen `count` requests, or after `ms` (then the caller asserts). */
async function requestsReach(server: TestServer, count: number, ms = 2_000) {
  const deadline = Date.now() + ms;
  while (server.requests.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return server.requests.length;
}

describe('prefetch', () => {
  it('is on by default: page 2 is requested while the consumer still holds page 1', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const pages = clientFor(server).listCheckpoints(JOB).pages();
    const first = await pages.next();
    expect(first.value?.data).toHaveLength(10);
    // The consumer has not asked for page 2, yet the server sees it.
    expect(await requestsReach(server, 2)).toBe(2);
    await pages.return();
  });

  it('prefetch: false waits for the consumer', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const pages = clientFor(server, { prefetch: false }).listCheckpoints(JOB).pages();
    await pages.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    await pages.next();
    expect(server.requests).toHaveLength(2);
    await pages.return();
  });

  it.each([true, false])(
    'prefetch %s: every item exactly once, in order, no request past the last page',
    async (prefetch) => {
      const all = checkpoints(97);
      const server = await serve(servePages(all));
      const ids: string[] = [];
      for await (const item of clientFor(server).listCheckpoints(JOB, { limit: 7 }, { prefetch })) {
        ids.push(item.id);
        if (ids.length % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(ids).toEqual(all.map((c) => c.id));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(server.requests).toHaveLength(14);
    },
  );

  it('an early break aborts the prefetched request and sends no other', async () => {
    const all = checkpoints(100);
    const closedEarly: number[] = [];
    const server = await serve((req, res, seen, index) => {
      if (index === 0) return servePages(all)(req, res, seen, index);
      // Hold page 2 back so the consumer's break happens while it is in flight.
      res.on('close', () => {
        if (!res.writableFinished) closedEarly.push(index);
      });
      setTimeout(() => servePages(all)(req, res, seen, index), 300);
    });
    for await (const item of clientFor(server).listCheckpoints(JOB)) {
      // Let the prefetched request reach the server, then stop.
      expect(await requestsReach(server, 2)).toBe(2);
      if (item.id === 'ckpt_3') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.requests).toHaveLength(2);
    expect(closedEarly).toEqual([1]); // the client hung up on the prefetched page
  });

  it('a prefetched page that fails is retried on its own, once the consumer reaches it', async () => {
    const all = checkpoints(30);
    const pages = servePages(all);
    const server = await serve(sequence(pages, status(503), pages)); // request 2 fails
    const ids = (await clientFor(server).listCheckpoints(JOB).toArray()).map((c) => c.id);
    expect(ids).toEqual(all.map((c) => c.id));
    expect(server.requests.map((seen) => seen.query.get('after'))).toEqual([
      null,
      'ckpt_9',
      'ckpt_9',
      'ckpt_19',
    ]);
  });

  it('a failure of the prefetched page surfaces after the current page was delivered', async () => {
    const all = checkpoints(30);
    const pages = servePages(all);
    const server = await serve(sequence(pages, status(404), pages)); // request 2 fails
    const ids: string[] = [];
    const error = await (async () => {
      for await (const item of clientFor(server).listCheckpoints(JOB)) ids.push(item.id);
    })().catch((e: unknown) => e);
    expect(ids).toEqual(all.slice(0, 10).map((c) => c.id));
    expect((error as { status?: number }).status).toBe(404);
  });

  it("the caller's abort stops the prefetched request too", async () => {
    const all = checkpoints(30);
    const server = await serve((req, res, seen, index) => {
      if (index === 0) return servePages(all)(req, res, seen, index);
      // Never answer page 2.
    });
    const controller = new AbortController();
    const ids: string[] = [];
    const error = await (async () => {
      for await (const item of clientFor(server).listCheckpoints(
        JOB,
        {},
        { signal: controller.signal },
      )) {
        ids.push(item.id);
        if (ids.length === 10) setTimeout(() => controller.abort(), 20);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(ids).toHaveLength(10);
    expect(server.requests).toHaveLength(2);
  });

  it('the loop guards hold with prefetch', async () => {
    // Page 3 hands back page 2's cursor again.
    const server = await serve(repeatingCursor());
    const ids: string[] = [];
    const error = await (async () => {
      for await (const item of clientFor(server, { prefetch: true }).listCheckpoints(JOB))
        ids.push(item.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(ids).toEqual(['ckpt_0', 'ckpt_1', 'ckpt_2', 'ckpt_3']);
    expect(server.requests).toHaveLength(3);

    const capped = await serve(servePages(checkpoints(100)));
    const capError = await clientFor(capped, { prefetch: true })
      .listCheckpoints(JOB, {}, { maxPages: 2 })
      .toArray()
      .catch((e: unknown) => e);
    expect(capError).toMatchObject({ problem: 'max-pages' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(capped.requests).toHaveLength(2); // no prefetch past the cap
  });
});

describe('a long walk on one signal', () => {
  // A fetch Request that follows a signal adds a listener to it that stays until the Request is
  // collected. Every signal a page's Request is given is recorded here, with the most listeners
  // it held while the walk went on: none may pile up (Node warns past 1,500; memory grows).
  async function walkRecordingSignals(options: { prefetch: boolean; signal?: AbortSignal }) {
    const server = await serve(servePages(checkpoints(40)));
    // The caller's signal is measured too: it must hold the client's one listener, no more.
    const given = new Set<AbortSignal>(options.signal ? [options.signal] : []);
    let most = 0;
    const PlatformRequest = globalThis.Request;
    globalThis.Request = class extends PlatformRequest {
      constructor(...[input, init]: ConstructorParameters<typeof Request>) {
        super(input, init);
        if (init?.signal) given.add(init.signal);
      }
    };
    try {
      const client = clientFor(server, { prefetch: options.prefetch });
      let items = 0;
      for await (const _ of client.listCheckpoints(JOB, { limit: 1 }, { signal: options.signal })) {
        items++;
        for (const signal of given)
          most = Math.max(most, getEventListeners(signal, 'abort').length);
      }
      return { items, signals: given.size, most };
    } finally {
      globalThis.Request = PlatformRequest;
    }
  }

  it('with prefetch, each page follows the walk through a signal of its own', async () => {
    const walk = await walkRecordingSignals({ prefetch: true });
    expect(walk.items).toBe(40);
    expect(walk.signals).toBeGreaterThanOrEqual(39);
    expect(walk.most).toBeLessThanOrEqual(2);
  });

  it("without prefetch, the caller's signal gets one listener, not one per page", async () => {
    const signal = new AbortController().signal;
    const walk = await walkRecordingSignals({ prefetch: false, signal });
    expect(walk.items).toBe(40);
    expect(walk.most).toBeLessThanOrEqual(2);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it("a client whose GET throws, rather than rejects, leaves no listener on the caller's signal", async () => {
    const signal = new AbortController().signal;
    const throwing = {
      GET() {
        throw new Error('not a promise');
      },
    } as unknown as Parameters<typeof paginate>[0];
    await expect(paginate(throwing, '/things' as never, { signal } as never)).rejects.toThrow(
      /not a promise/,
    );
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('without prefetch or a signal, no page carries one', async () => {
    const walk = await walkRecordingSignals({ prefetch: false });
    expect(walk.items).toBe(40);
    expect(walk.signals).toBe(0);
  });
});
