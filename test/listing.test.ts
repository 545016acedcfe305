// One listCheckpoints call: the page it gives (data, cursors, request id, navigation), that it is
// lazy, and the request it sends (query, path, headers).
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';
import { clientFor, JOB, KEY } from './helpers/client.js';

const serve = serverPool();

describe('one page', () => {
  it('gives data, cursors, request id and navigation', async () => {
    const all = checkpoints(25);
    const server = await serve(servePages(all));
    const page = await clientFor(server).listCheckpoints(JOB, { limit: 10 });
    expect(page.data.map((c) => c.id)).toEqual(all.slice(0, 10).map((c) => c.id));
    expect(page.data[0]).toEqual(all[0]);
    expect(page.hasMore).toBe(true);
    expect(page.hasNextPage()).toBe(true);
    expect(page.firstId).toBe('ckpt_0');
    expect(page.lastId).toBe('ckpt_9');
    expect(page.requestId).toBe('req_1');
    const second = await page.nextPage();
    expect(second.data.map((c) => c.id)).toEqual(all.slice(10, 20).map((c) => c.id));
    expect(server.requests[1]!.query.get('after')).toBe('ckpt_9');
    expect(server.requests[1]!.query.get('limit')).toBe('10');
    const last = await second.nextPage();
    expect(last.hasNextPage()).toBe(false);
    await expect(last.nextPage()).rejects.toMatchObject({ problem: 'no-more-pages' });
    expect(server.requests).toHaveLength(3);
  });

  it('is lazy: nothing is sent until awaited, and the first page is fetched once', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const listing = clientFor(server).listCheckpoints(JOB);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
    const [a, b] = await Promise.all([listing, listing]);
    expect(a).toBe(b);
    const pages = [];
    for await (const page of listing.pages()) pages.push(page);
    expect(pages[0]).toBe(a);
    expect(server.requests).toHaveLength(1);
  });

  it('sends limit and after as given, and the headers the API needs', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const client = clientFor(server, {
      organization: 'org-123',
      project: 'proj_456',
      headers: { 'X-Trace': 'abc' },
    });
    await client.listCheckpoints(JOB, { limit: 5, after: 'ckpt_3' });
    const [seen] = server.requests;
    expect(seen!.method).toBe('GET');
    expect(seen!.path).toBe(`/v1/fine_tuning/jobs/${JOB}/checkpoints`);
    expect(Object.fromEntries(seen!.query)).toEqual({ limit: '5', after: 'ckpt_3' });
    expect(seen!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen!.headers['openai-organization']).toBe('org-123');
    expect(seen!.headers['openai-project']).toBe('proj_456');
    expect(seen!.headers.accept).toBe('application/json');
    expect(seen!.headers['user-agent']).toBe(
      `fine-tuning-checkpoints/${VERSION} node/${process.versions.node}`,
    );
    expect(seen!.headers['x-trace']).toBe('abc');
  });

  it('omits organization and project headers when not set', async () => {
    const server = await serve(servePages(checkpoints(1)));
    await clientFor(server).listCheckpoints(JOB);
    expect(server.requests[0]!.headers).not.toHaveProperty('openai-organization');
    expect(server.requests[0]!.headers).not.toHaveProperty('openai-project');
    expect(server.requests[0]!.query.has('limit')).toBe(false);
  });
});
