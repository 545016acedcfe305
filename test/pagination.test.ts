// Walking a listing: every item of every page once and in order, .pages() and toArray, the loop
// guards (repeated or missing cursors, maxPages), and maxItems sizing the last request.
import { describe, expect, it } from 'vitest';
import { paginate, PaginationError } from '../src/index.js';
import {
  checkpoints,
  pageBody,
  repeatingCursor,
  sendJson,
  servePages,
  serverPool,
  type TestServer,
} from './helpers/http.js';
import { clientFor, JOB, PATH } from './helpers/client.js';

const serve = serverPool();

describe('iteration', () => {
  it('yields every item of many pages of varying sizes exactly once, in order', async () => {
    const all = checkpoints(57);
    const sizes = [1, 7, 13, 2, 20, 5, 9];
    const server = await serve(servePages(all, { sizes }));
    const ids: string[] = [];
    for await (const item of clientFor(server).listCheckpoints(JOB, { limit: 4 }))
      ids.push(item.id);
    expect(ids).toEqual(all.map((c) => c.id));
    expect(server.requests).toHaveLength(7);
    // limit is kept on every page; after is always the previous page's last id.
    for (const seen of server.requests) expect(seen.query.get('limit')).toBe('4');
    expect(server.requests.slice(1).map((seen) => seen.query.get('after'))).toEqual([
      'ckpt_0',
      'ckpt_7',
      'ckpt_20',
      'ckpt_22',
      'ckpt_42',
      'ckpt_47',
    ]);
  });

  it('walks page by page with .pages()', async () => {
    const server = await serve(servePages(checkpoints(25)));
    const sizes = [];
    for await (const page of clientFor(server).listCheckpoints(JOB).pages())
      sizes.push(page.data.length);
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('a page is itself an async iterable of the items from there on', async () => {
    const all = checkpoints(15);
    const server = await serve(servePages(all));
    const first = await clientFor(server).listCheckpoints(JOB, { limit: 6 });
    const ids: string[] = [];
    for await (const item of first) ids.push(item.id);
    expect(ids).toEqual(all.map((c) => c.id));
    expect(server.requests).toHaveLength(3);
  });

  it('toArray collects everything, or stops at maxItems without fetching past them', async () => {
    const all = checkpoints(45);
    const server = await serve(servePages(all));
    const client = clientFor(server);
    expect((await client.listCheckpoints(JOB).toArray()).map((c) => c.id)).toEqual(
      all.map((c) => c.id),
    );
    expect(server.requests).toHaveLength(5);
    const some = await client.listCheckpoints(JOB).toArray({ maxItems: 20 });
    expect(some.map((c) => c.id)).toEqual(all.slice(0, 20).map((c) => c.id));
    expect(server.requests).toHaveLength(7); // two pages, no prefetch of a third
    const few = await client.listCheckpoints(JOB).toArray({ maxItems: 3 });
    expect(few).toHaveLength(3);
    expect(server.requests).toHaveLength(8);
  });

  it('uses the last item id as the cursor when last_id is absent', async () => {
    const all = checkpoints(6);
    const server = await serve((_req, res, seen) => {
      const after = seen.query.get('after');
      const items = after === null ? all.slice(0, 3) : all.slice(3);
      const body = pageBody(items, after === null);
      delete (body as { last_id?: unknown }).last_id;
      sendJson(res, 200, body);
    });
    const ids = (await clientFor(server).listCheckpoints(JOB).toArray()).map((c) => c.id);
    expect(ids).toEqual(all.map((c) => c.id));
    expect(server.requests[1]!.query.get('after')).toBe('ckpt_2');
  });

  it('continues past an empty page that says has_more and gives a cursor', async () => {
    const all = checkpoints(4);
    const server = await serve((_req, res, seen, index) => {
      if (index === 0) return sendJson(res, 200, pageBody(all.slice(0, 2), true));
      if (index === 1) return sendJson(res, 200, pageBody([], true, { last_id: 'ckpt_1' }));
      expect(seen.query.get('after')).toBe('ckpt_1');
      sendJson(res, 200, pageBody(all.slice(2), false));
    });
    // The empty page repeats cursor ckpt_1: that is a loop, and it must be reported, not followed.
    await expect(clientFor(server).listCheckpoints(JOB).toArray()).rejects.toMatchObject({
      problem: 'repeated-cursor',
    });
    const server2 = await serve((_req, res, _seen, index) => {
      if (index === 0) return sendJson(res, 200, pageBody(all.slice(0, 2), true));
      if (index === 1) return sendJson(res, 200, pageBody([], true, { last_id: 'ckpt_2' }));
      sendJson(res, 200, pageBody(all.slice(3), false));
    });
    const ids = (await clientFor(server2).listCheckpoints(JOB).toArray()).map((c) => c.id);
    expect(ids).toEqual(['ckpt_0', 'ckpt_1', 'ckpt_3']);
    expect(server2.requests.map((seen) => seen.query.get('after'))).toEqual([
      null,
      'ckpt_1',
      'ckpt_2',
    ]);
  });

  it('ends with an error, not a loop, when the server repeats a cursor', async () => {
    // Page 3 hands back page 2's cursor again.
    const server = await serve(repeatingCursor());
    const ids: string[] = [];
    const error = await (async () => {
      for await (const item of clientFor(server).listCheckpoints(JOB)) ids.push(item.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ problem: 'repeated-cursor', pages: 3 });
    // The replayed third page is not delivered: no item arrives twice.
    expect(ids).toEqual(['ckpt_0', 'ckpt_1', 'ckpt_2', 'ckpt_3']);
    expect(server.requests).toHaveLength(3);
  });

  it('ends with an error when has_more is true but there is no cursor at all', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, pageBody([], true, { last_id: null })),
    );
    const error = await clientFor(server)
      .listCheckpoints(JOB)
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).problem).toBe('missing-cursor');
    expect(server.requests).toHaveLength(1);
  });

  it('sends no further request after an early break (prefetch off)', async () => {
    const server = await serve(servePages(checkpoints(100)));
    let seen = 0;
    for await (const item of clientFor(server).listCheckpoints(JOB, {}, { prefetch: false })) {
      seen++;
      if (item.id === 'ckpt_12') break;
    }
    expect(seen).toBe(13);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(2);
  });

  it('stops at maxPages with an error', async () => {
    const server = await serve(servePages(checkpoints(100)));
    const error = await clientFor(server, { maxPages: 3 })
      .listCheckpoints(JOB)
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PaginationError', problem: 'max-pages', pages: 3 });
    expect(server.requests).toHaveLength(3);
    // The per-call option overrides the client's.
    const items = await clientFor(server, { maxPages: 3 })
      .listCheckpoints(JOB, {}, { maxPages: 10 })
      .toArray();
    expect(items).toHaveLength(100);
  });
});

describe('maxItems sizes the last request to what is still needed', () => {
  const limits = (server: TestServer) => server.requests.map((r) => r.query.get('limit'));

  it('limit 100 + maxItems 15: one request, limit=15', async () => {
    const server = await serve(servePages(checkpoints(200)));
    const items = await clientFor(server)
      .listCheckpoints(JOB, { limit: 100 })
      .toArray({ maxItems: 15 });
    expect(items).toHaveLength(15);
    expect(limits(server)).toEqual(['15']);
  });

  it('limit 10 + maxItems 15: limit 10, then limit 5', async () => {
    const server = await serve(servePages(checkpoints(200)));
    const items = await clientFor(server)
      .listCheckpoints(JOB, { limit: 10 })
      .toArray({ maxItems: 15 });
    expect(items.map((item) => item.id)).toEqual(checkpoints(15).map((item) => item.id));
    expect(limits(server)).toEqual(['10', '5']);
  });

  it('as a per-call option, for await and pages() stop there too (guards intact)', async () => {
    const server = await serve(servePages(checkpoints(200)));
    const listing = clientFor(server).listCheckpoints(
      JOB,
      { limit: 4 },
      { maxItems: 6, prefetch: false },
    );
    const ids: string[] = [];
    for await (const item of listing) ids.push(item.id);
    expect(ids).toHaveLength(6);
    expect(limits(server)).toEqual(['4', '2']);
    const pages: number[] = [];
    for await (const page of clientFor(server)
      .listCheckpoints(JOB, { limit: 4 })
      .pages({ maxItems: 5 }))
      pages.push(page.data.length);
    expect(pages).toEqual([4, 1]);
  });

  it('a listing shorter than maxItems ends as usual; without a limit, the server decides', async () => {
    const server = await serve(servePages(checkpoints(3)));
    expect(await clientFor(server).listCheckpoints(JOB).toArray({ maxItems: 50 })).toHaveLength(3);
    expect(limits(server)).toEqual([null]);
  });

  it('paginate takes maxItems too', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const items = await paginate(clientFor(server).raw, PATH, {
      params: { path: { fine_tuning_job_id: JOB }, query: { limit: 8 } },
      maxItems: 10,
    }).toArray();
    expect(items).toHaveLength(10);
    expect(limits(server)).toEqual(['8', '2']);
  });
});
