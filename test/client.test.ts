// The client's contract (issue #2): pages, iteration, headers, errors, bad input, loop guards.
import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  CheckpointsError,
  ConflictError,
  ConnectionError,
  createCheckpointsClient,
  DEFAULT_BASE_URL,
  InternalServerError,
  InvalidArgumentError,
  InvalidResponseError,
  NotFoundError,
  paginate,
  PaginationError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
  VERSION,
  type paths,
} from '../src/index.js';
import {
  checkpoints,
  pageBody,
  sendJson,
  servePages,
  serverPool,
  startServer,
  type TestServer,
} from './helpers/http.js';

const JOB = 'ftjob-abc123';
const PATH = `/v1/fine_tuning/jobs/${JOB}/checkpoints`;
const serve = serverPool();

function clientFor(
  server: TestServer,
  options: Parameters<typeof createCheckpointsClient>[0] = {},
) {
  return createCheckpointsClient({
    apiKey: 'sk-test',
    baseUrl: server.url,
    backoff: () => 0,
    ...options,
  });
}

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
    expect(seen!.path).toBe(PATH);
    expect(Object.fromEntries(seen!.query)).toEqual({ limit: '5', after: 'ckpt_3' });
    expect(seen!.headers.authorization).toBe('Bearer sk-test');
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
    const all = checkpoints(4);
    const server = await serve((_req, res, _seen, index) => {
      // Page 3 hands back page 2's cursor again.
      const pages = [all.slice(0, 2), all.slice(2, 4), all.slice(2, 4)];
      sendJson(res, 200, pageBody(pages[Math.min(index, 2)]!, true));
    });
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

describe('errors', () => {
  const cases = [
    [400, BadRequestError, 'invalid_request_error', 'limit', 'invalid_limit'],
    [401, AuthenticationError, 'invalid_request_error', null, 'invalid_api_key'],
    [403, PermissionDeniedError, 'invalid_request_error', null, 'unsupported_country'],
    [404, NotFoundError, 'invalid_request_error', 'fine_tuning_job_id', 'fine_tune_not_found'],
    [409, ConflictError, 'invalid_request_error', null, null],
    [422, UnprocessableEntityError, 'invalid_request_error', null, null],
    [429, RateLimitError, 'requests', null, 'rate_limit_exceeded'],
    [500, InternalServerError, 'server_error', null, null],
    [503, InternalServerError, 'server_error', null, null],
    [418, ApiError, 'teapot', null, null],
  ] as const;
  it.each(cases)(
    '%i gives %o with the API error fields',
    async (status, ErrorClass, type, param, code) => {
      const server = await serve((_req, res) =>
        sendJson(
          res,
          status,
          { error: { message: `boom ${status}`, type, param, code } },
          { 'x-request-id': 'req_err' },
        ),
      );
      const error = await clientFor(server, { maxRetries: 0 })
        .listCheckpoints(JOB)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(CheckpointsError);
      expect(error).toMatchObject({ status, type, param, code, requestId: 'req_err', attempts: 1 });
      expect((error as Error).message).toBe(`${status} boom ${status}`);
      expect((error as ApiError).name).toBe(ErrorClass.name);
    },
  );

  it('an empty or non-JSON error body still gives a useful message', async () => {
    const server = await serve((_req, res, _seen, index) => {
      if (index === 0) return res.writeHead(502).end();
      res
        .writeHead(500, { 'content-type': 'text/html' })
        .end('<html><body>Upstream exploded</body></html>');
    });
    const client = clientFor(server, { maxRetries: 0 });
    const empty = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InternalServerError);
    expect((empty as Error).message).toBe('502 Bad Gateway (empty response body)');
    const html = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect((html as Error).message).toBe(
      '500 Internal Server Error: <html><body>Upstream exploded</body></html>',
    );
    expect((html as ApiError).code).toBeNull();
  });

  it('connection, timeout, abort and invalid-response errors are typed', async () => {
    // A port that was just released: nothing listens there.
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    const refused = await createCheckpointsClient({ apiKey: 'k', baseUrl: url, maxRetries: 0 })
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as Error).message).toMatch(
      /could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );

    const hang = await serve(() => {});
    const timeout = await clientFor(hang, { maxRetries: 0, timeoutMs: 50 })
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout).toBeInstanceOf(ConnectionError);

    const controller = new AbortController();
    const pending = clientFor(hang).listCheckpoints(JOB, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);

    const bad = await serve((_req, res) =>
      sendJson(res, 200, { data: {}, has_more: false }, { 'x-request-id': 'req_bad' }),
    );
    const invalid = await clientFor(bad)
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect(invalid).toMatchObject({ status: 200, requestId: 'req_bad' });
    expect((invalid as Error).message).toContain('`data` is not an array');
  });
});

describe('bad input is rejected before any request', () => {
  const badJobIds: unknown[] = [
    '',
    ' ',
    '.',
    '..',
    '...',
    'a/b',
    '%2e%2e',
    'a b',
    'x?y',
    42,
    null,
    undefined,
    {},
  ];
  it.each(badJobIds)('job id %j', async (jobId) => {
    const server = await serve(servePages(checkpoints(1)));
    const listing = clientFor(server).listCheckpoints(jobId as string);
    await expect(listing).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(listing).rejects.toMatchObject({ argument: 'jobId' });
    expect(server.requests).toHaveLength(0);
  });

  const badQueries: [string, unknown][] = [
    ['query.limit', { limit: 0 }],
    ['query.limit', { limit: -1 }],
    ['query.limit', { limit: 1.5 }],
    ['query.limit', { limit: '10' }],
    ['query.limit', { limit: Number.NaN }],
    ['query.limit', { limit: Number.POSITIVE_INFINITY }],
    ['query.after', { after: '' }],
    ['query.after', { after: 5 }],
    ['query.limt', { limt: 5 }],
    ['query', 'limit=5'],
  ];
  it.each(badQueries)('%s in %j', async (argument, query) => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .listCheckpoints(JOB, query as never)
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(server.requests).toHaveLength(0);
  });

  const badOptions: [string, unknown][] = [
    ['options.timeoutMs', { timeoutMs: -1 }],
    ['options.timeoutMs', { timeoutMs: '5' }],
    ['options.maxRetries', { maxRetries: 1.5 }],
    ['options.maxPages', { maxPages: 0 }],
    ['options.prefetch', { prefetch: 'yes' }],
    ['options.signal', { signal: {} }],
    ['options.retries', { retries: 2 }],
  ];
  it.each(badOptions)('%s in %j', async (argument, options) => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .listCheckpoints(JOB, {}, options as never)
      .catch((e: unknown) => e);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(server.requests).toHaveLength(0);
  });

  it('toArray maxItems must be a positive integer', async () => {
    const server = await serve(servePages(checkpoints(1)));
    await expect(
      clientFor(server).listCheckpoints(JOB).toArray({ maxItems: 0 }),
    ).rejects.toMatchObject({
      argument: 'maxItems',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('bad client options throw at construction', () => {
    const bad: [string, object][] = [
      ['baseUrl', { baseUrl: 'not a url' }],
      ['baseUrl', { baseUrl: 'ftp://example.com' }],
      ['maxRetries', { maxRetries: -1 }],
      ['timeoutMs', { timeoutMs: 0 }],
      ['fetch', { fetch: 'fetch' }],
      ['options.retries', { retries: 3 }],
      ['organization', { organization: 'org\r\nX-Evil: 1' }],
    ];
    for (const [argument, options] of bad) {
      expect(() => createCheckpointsClient({ apiKey: 'k', ...options } as never)).toThrow(
        expect.objectContaining({ argument }),
      );
    }
  });
});

describe('configuration', () => {
  it('a missing key is a clear error that says how to set it', () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => createCheckpointsClient()).toThrow(InvalidArgumentError);
      expect(() => createCheckpointsClient()).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment', async () => {
    const server = await serve(servePages(checkpoints(2)));
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.OPENAI_BASE_URL = server.url;
    try {
      await createCheckpointsClient().listCheckpoints(JOB);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-env');
    } finally {
      for (const [name, value] of [
        ['OPENAI_API_KEY', saved.key],
        ['OPENAI_BASE_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('the default base URL is the spec server, and VERSION is package.json version', () => {
    const spec = parse(
      readFileSync(new URL('../openapi/checkpoints.yaml', import.meta.url), 'utf8'),
    );
    expect(DEFAULT_BASE_URL).toBe(spec.servers[0].url);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('a custom fetch is used for every request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const urls: string[] = [];
    const client = clientFor(server, {
      fetch: (request) => {
        urls.push(request.url);
        return fetch(request);
      },
    });
    await client.listCheckpoints(JOB, { limit: 2 }).toArray();
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(`${server.url}/fine_tuning/jobs/${JOB}/checkpoints?limit=2`);
  });
});

describe('raw client and paginate', () => {
  it('client.raw is the typed openapi-fetch client with auth', async () => {
    const all = checkpoints(3);
    const server = await serve(servePages(all));
    const { data, error, response } = await clientFor(server).raw.GET(
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
      { params: { path: { fine_tuning_job_id: JOB }, query: { limit: 2 } } },
    );
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data.map((c) => c.id)).toEqual(['ckpt_0', 'ckpt_1']);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('paginate walks any paginated path of client.raw, and of a bare openapi-fetch client', async () => {
    const all = checkpoints(23);
    const server = await serve(servePages(all));
    const path = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';
    const params = { path: { fine_tuning_job_id: JOB }, query: { limit: 5 } };
    const ids: string[] = [];
    for await (const item of paginate(clientFor(server).raw, path, { params })) ids.push(item.id);
    expect(ids).toEqual(all.map((c) => c.id));
    const bare = createClient<paths>({ baseUrl: server.url });
    const again = await paginate(bare, path, { params, prefetch: false }).toArray();
    expect(again.map((c) => c.id)).toEqual(ids);
    expect(server.requests.filter((seen) => seen.query.get('limit') === '5')).toHaveLength(10);
    const notFound = await serve((_req, res) =>
      sendJson(res, 404, {
        error: { message: 'nope', type: 'invalid_request_error', param: null, code: null },
      }),
    );
    await expect(
      paginate(createClient<paths>({ baseUrl: notFound.url }), path, { params }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('paginate rejects bad input before any request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const path = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';
    const raw = clientFor(server).raw;
    await expect(
      paginate(raw, path, { params: { path: { fine_tuning_job_id: JOB }, query: { limit: 0 } } }),
    ).rejects.toMatchObject({ argument: 'params.query.limit' });
    await expect(
      paginate(raw, path, { params: { path: { fine_tuning_job_id: '..' } } }).toArray(),
    ).rejects.toMatchObject({ argument: 'path.fine_tuning_job_id' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('scrubbing the key never corrupts data', () => {
  it('a short test key that occurs in the data leaves the data intact', async () => {
    const all = checkpoints(12);
    const server = await serve(servePages(all));
    // 'k' occurs in every id ("ckpt_…"); only plausible keys (8+ characters) are scrubbed.
    const client = createCheckpointsClient({ apiKey: 'k', baseUrl: server.url });
    const ids = (await client.listCheckpoints(JOB).toArray()).map((c) => c.id);
    expect(ids).toEqual(all.map((c) => c.id));
  });
});

describe('a custom fetch that ignores its signal', () => {
  it('still times out, and still stops at the caller’s abort', async () => {
    const neverSettles = () => new Promise<Response>(() => {});
    const client = createCheckpointsClient({
      apiKey: 'sk-test',
      baseUrl: 'http://127.0.0.1:9/v1',
      fetch: neverSettles,
      maxRetries: 1,
      backoff: () => 0,
    });
    const timedOut = await client
      .listCheckpoints(JOB, {}, { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut).toMatchObject({ attempts: 2, timeoutMs: 30 });
    const controller = new AbortController();
    const pending = client.listCheckpoints(
      JOB,
      {},
      { signal: controller.signal, timeoutMs: 60_000 },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it('a body that never ends still times out', async () => {
    const stalledBody = () =>
      Promise.resolve(new Response(new ReadableStream({ start() {} }), { status: 200 }));
    const client = createCheckpointsClient({
      apiKey: 'sk-test',
      baseUrl: 'http://127.0.0.1:9/v1',
      fetch: stalledBody,
      maxRetries: 0,
    });
    await expect(client.listCheckpoints(JOB, {}, { timeoutMs: 30 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
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
    const items = await paginate(
      clientFor(server).raw,
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
      {
        params: { path: { fine_tuning_job_id: JOB }, query: { limit: 8 } },
        maxItems: 10,
      },
    ).toArray();
    expect(items).toHaveLength(10);
    expect(limits(server)).toEqual(['8', '2']);
  });
});

describe('organization and project from the environment', () => {
  function withEnv(values: Record<string, string | undefined>, run: () => Promise<void>) {
    const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return run().finally(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
  }

  it('OPENAI_ORG_ID and OPENAI_PROJECT_ID are sent; an explicit option wins; undefined is "not given"', () =>
    withEnv({ OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj-env' }, async () => {
      const server = await serve(servePages(checkpoints(1)));
      await clientFor(server).listCheckpoints(JOB);
      await clientFor(server, { organization: 'org-option', project: undefined }).listCheckpoints(
        JOB,
      );
      const [fromEnv, mixed] = server.requests;
      expect(fromEnv!.headers['openai-organization']).toBe('org-env');
      expect(fromEnv!.headers['openai-project']).toBe('proj-env');
      expect(mixed!.headers['openai-organization']).toBe('org-option');
      expect(mixed!.headers['openai-project']).toBe('proj-env');
    }));

  it('without them, no header', () =>
    withEnv({ OPENAI_ORG_ID: undefined, OPENAI_PROJECT_ID: undefined }, async () => {
      const server = await serve(servePages(checkpoints(1)));
      await clientFor(server).listCheckpoints(JOB);
      expect(server.requests[0]!.headers['openai-organization']).toBeUndefined();
      expect(server.requests[0]!.headers['openai-project']).toBeUndefined();
    }));
});

describe('explicit undefined means "not given"', () => {
  it('for every client option, call option and query field', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const client = createCheckpointsClient({
      apiKey: 'sk-test-undefined',
      baseUrl: server.url,
      organization: undefined,
      project: undefined,
      headers: undefined,
      fetch: undefined,
      maxRetries: undefined,
      timeoutMs: undefined,
      maxResponseBytes: undefined,
      backoff: undefined,
      prefetch: undefined,
      maxPages: undefined,
      dangerouslyAllowBrowser: undefined,
    });
    const items = await client
      .listCheckpoints(
        JOB,
        { after: undefined, limit: undefined },
        {
          signal: undefined,
          timeoutMs: undefined,
          maxRetries: undefined,
          maxResponseBytes: undefined,
          prefetch: undefined,
          maxPages: undefined,
          maxItems: undefined,
        },
      )
      .toArray({ maxItems: undefined });
    expect(items).toHaveLength(3);
    expect(server.requests[0]!.query.toString()).toBe('');
  });
});

describe('one client: listCheckpoints, paginate and raw share middleware and checks', () => {
  it('middleware added to client.raw sees every call, with a real Request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const client = clientFor(server);
    const seen: string[] = [];
    client.raw.use({
      onRequest({ request }) {
        expect(request).toBeInstanceOf(Request);
        seen.push(new URL(request.url).search);
        request.headers.set('x-trace', 'on');
      },
    });
    await client.listCheckpoints(JOB, { limit: 2 }).toArray();
    await paginate(client.raw, '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
      params: { path: { fine_tuning_job_id: JOB } },
    }).toArray();
    await client.raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(seen).toEqual(['?limit=2', '?limit=2&after=ckpt_1', '', '']);
    expect(server.requests.map((r) => r.headers['x-trace'])).toEqual(['on', 'on', 'on', 'on']);
  });

  it.each(['fetch', 'baseUrl', 'pathSerializer', 'Request'])(
    'a per-call %s on client.raw is refused before anything is sent',
    async (option) => {
      const server = await serve(servePages(checkpoints(1)));
      const error = await clientFor(server)
        .raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
          params: { path: { fine_tuning_job_id: JOB } },
          [option]: option === 'baseUrl' ? 'http://127.0.0.1:1' : () => '/x',
        } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: `init.${option}` });
      expect(server.requests).toHaveLength(0);
    },
  );

  it('raw without params.path is refused (no literal {placeholder} is sent)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await (clientFor(server).raw.GET as (path: string) => Promise<unknown>)(
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path.fine_tuning_job_id',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('a path parameter the path does not have is refused, by name (a misspelling, say)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
        params: { path: { fine_tuning_job_id: JOB, fine_tuning_jobid: 'x' } as never },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path.fine_tuning_jobid',
    });
    expect((error as Error).message).toMatch(/is not a parameter of this path/);
    expect(server.requests).toHaveLength(0);
  });

  it('raw.request takes any method name openapi-fetch does', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const { response } = await clientFor(server).raw.request(
      'get',
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
      { params: { path: { fine_tuning_job_id: JOB } } },
    );
    expect(response.status).toBe(200);
  });

  it('a throwing middleware still surfaces as a CheckpointsError', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const client = clientFor(server);
    client.raw.use({
      onRequest() {
        throw new RangeError('middleware broke');
      },
    });
    const error = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointsError);
    expect((error as Error).message).toContain('middleware broke');
    expect((error as Error).cause).toBeInstanceOf(RangeError);
  });
});
