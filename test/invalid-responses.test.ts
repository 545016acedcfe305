// Responses that are not what the spec promises: each gives a typed error that says what was
// wrong, with the status and request id; the transient ones are retried, the others are not.
// Also: useful messages for error statuses without the API's JSON, and the `maxPages` guard.
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  DEFAULT_MAX_PAGES,
  InternalServerError,
  InvalidResponseError,
  PaginationError,
  paginate,
  type paths,
} from '../src/index.js';
import { createMockServer, generateCheckpoints } from '../src/mock/index.js';
import { checkpoint, type Handler, pageBody, raw, sequence, serverPool } from './helpers/http.js';
import { clientFor, JOB, PATH } from './helpers/client.js';
import { collect, rejectionOf } from './helpers/outcomes.js';

const serve = serverPool();

const JSON_TYPE = { 'content-type': 'application/json' };
const VALID = JSON.stringify(
  pageBody([checkpoint('ftckpt_2', 2), checkpoint('ftckpt_1', 1)], false),
);

describe('invalid 2xx bodies', () => {
  /** A 200 sent in chunks, without a content-length: fetch cannot vouch that it is complete. */
  const chunked =
    (body: string): Handler =>
    (_req, res, _seen, index) => {
      res.writeHead(200, { ...JSON_TYPE, 'x-request-id': `req_${index + 1}` });
      res.write(body);
      res.end();
    };

  it.each<[string, Handler, RegExp]>([
    ['malformed JSON', raw(200, '{"object":"list","data":[}', JSON_TYPE), /not valid JSON$/],
    [
      'a body that ends mid-JSON, at its content-length',
      raw(200, VALID.slice(0, VALID.length / 2), JSON_TYPE),
      /not valid JSON$/,
    ],
    ['an empty body', raw(200, '', JSON_TYPE), /empty/],
  ])(
    '%s, complete as fetch verified: InvalidResponseError, not retried',
    async (_n, handler, problem) => {
      const server = await serve(handler);
      const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status: 200, requestId: 'req_1', attempts: 1 });
      expect((error as Error).message).toMatch(problem);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('JSON that does not parse, of no verified length: InvalidResponseError, retried', async () => {
    const server = await serve(chunked(VALID.slice(0, VALID.length / 2)));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, requestId: 'req_3', attempts: 3 });
    expect((error as Error).message).toMatch(/not valid JSON \(truncated\?\)/);
    expect(server.requests).toHaveLength(3);
  });

  it('JSON of no verified length that does not parse, then a valid page, recovers', async () => {
    const server = await serve(sequence(chunked('{"data": ['), raw(200, VALID, JSON_TYPE)));
    const page = await clientFor(server).listCheckpoints(JOB);
    expect(page.data.map((item) => item.id)).toEqual(['ftckpt_2', 'ftckpt_1']);
    expect(server.requests).toHaveLength(2);
  });

  it.each<[string, Handler, RegExp]>([
    [
      'a wrong content type (text/html)',
      raw(200, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' }),
      /content-type "text\/html"/,
    ],
    [
      '`data` that is not an array',
      raw(
        200,
        JSON.stringify({ object: 'list', data: { 0: checkpoint('a', 1) }, has_more: false }),
        JSON_TYPE,
      ),
      /page 1: `data`: expected array/,
    ],
    [
      '`has_more` that is not a boolean',
      raw(200, JSON.stringify({ object: 'list', data: [], has_more: 'false' }), JSON_TYPE),
      /page 1: `has_more`: expected boolean/,
    ],
    [
      'a JSON body that is not an object',
      raw(200, 'null', JSON_TYPE),
      /page 1: the value: expected object/,
    ],
    ['a JSON array', raw(200, '[1, 2]', JSON_TYPE), /page 1: the value: expected object/],
    [
      '`last_id` that is not a string',
      raw(
        200,
        JSON.stringify({ object: 'list', data: [], has_more: false, last_id: 7 }),
        JSON_TYPE,
      ),
      /`last_id`/,
    ],
  ])('%s: InvalidResponseError, not retried', async (_name, handler, problem) => {
    const server = await serve(handler);
    const error = await rejectionOf(clientFor(server, { maxRetries: 3 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, requestId: 'req_1', attempts: 1 });
    expect((error as Error).message).toMatch(problem);
    expect(server.requests).toHaveLength(1);
  });

  it("the mock's truncated fault is retried; its malformed-json and wrong-content-type are not", async () => {
    const data = generateCheckpoints({ jobId: JOB, count: 5, seed: 1 });
    const mock = serve.track(
      await createMockServer({
        jobs: { [JOB]: data },
        faults: [
          { request: 1, kind: 'truncated' },
          { request: 3, kind: 'malformed-json' },
          { request: 4, kind: 'wrong-content-type' },
        ],
      }),
    );
    const client = clientFor(mock);
    // Request 1 is cut off and retried; request 2 answers.
    const page = await client.listCheckpoints(JOB);
    expect(page.data).toHaveLength(5);
    expect(page.requestId).toBe('req_2');
    for (const requestId of ['req_3', 'req_4']) {
      const error = await rejectionOf(client.listCheckpoints(JOB));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status: 200, requestId, attempts: 1 });
    }
    expect(mock.requests).toHaveLength(4);
  });
});

describe("error statuses without the API's JSON", () => {
  it('a 502 with an empty body still says the status and its meaning', async () => {
    const server = await serve(raw(502, ''));
    const error = await rejectionOf(clientFor(server, { maxRetries: 0 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, requestId: 'req_1', code: null });
    expect((error as Error).message).toMatch(/^502 Bad Gateway/);
    expect((error as Error).message).toContain('empty');
  });

  it('a 500 with an HTML page gives the status and the text', async () => {
    const html = '<html>\n<body><h1>Internal   Server Error</h1>\n</body></html>';
    const server = await serve(raw(500, html, { 'content-type': 'text/html' }));
    const error = await rejectionOf(clientFor(server, { maxRetries: 0 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toMatch(/^500 Internal Server Error: /);
    // Whitespace collapsed to one line.
    expect((error as Error).message).toContain('<h1>Internal Server Error</h1>');
    expect((error as Error).message).not.toContain('\n');
  });

  it('a very long non-JSON error body is shortened', async () => {
    const server = await serve(raw(503, 'x'.repeat(5_000), { 'content-type': 'text/plain' }));
    const error = await rejectionOf(clientFor(server, { maxRetries: 0 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message.length).toBeLessThan(400);
    expect((error as Error).message).toContain('xxxx');
  });

  it("the API's error envelope gives its message and code", async () => {
    const body = JSON.stringify({
      error: {
        message: 'No such job',
        type: 'invalid_request_error',
        param: null,
        code: 'fine_tune_not_found',
      },
    });
    const server = await serve(raw(404, body, JSON_TYPE));
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(error).toMatchObject({
      status: 404,
      code: 'fine_tune_not_found',
      type: 'invalid_request_error',
    });
    expect((error as Error).message).toBe('404 No such job');
  });
});

/** Serves `pages` pages of two items (or endless pages when `pages` is Infinity). */
function pages(count: number): Handler {
  return (_req, res, seen, index) => {
    const after = seen.query.get('after');
    const n = after === null ? 0 : Number(after.split('_')[1]) + 1;
    const items = [checkpoint(`ckpt_${2 * n}`, 2 * n), checkpoint(`ckpt_${2 * n + 1}`, 2 * n + 1)];
    const body = JSON.stringify(pageBody(items, n + 1 < count, { last_id: `page_${n}` }));
    raw(200, body, JSON_TYPE)(_req, res, seen, index);
  };
}

describe('maxPages', () => {
  it('DEFAULT_MAX_PAGES is 1000', () => {
    expect(DEFAULT_MAX_PAGES).toBe(1_000);
  });

  it('as a client option: stops a 10-page job after exactly 3 requests', async () => {
    const server = await serve(pages(10));
    const items: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const item of clientFor(server, { maxPages: 3 }).listCheckpoints(JOB)) {
          items.push(item.id);
        }
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ problem: 'max-pages', pages: 3 });
    expect(items).toEqual(['ckpt_0', 'ckpt_1', 'ckpt_2', 'ckpt_3', 'ckpt_4', 'ckpt_5']);
    expect(server.requests).toHaveLength(3);
  });

  it('as a per-call option, overriding the client', async () => {
    const server = await serve(pages(10));
    const client = clientFor(server, { maxPages: 50, prefetch: false });
    const error = await rejectionOf(collect(client.listCheckpoints(JOB, {}, { maxPages: 4 })));
    expect(error).toMatchObject({ problem: 'max-pages', pages: 4 });
    expect(server.requests).toHaveLength(4);
  });

  it('a job that fits in maxPages is read to the end', async () => {
    const server = await serve(pages(3));
    const items = await collect(clientFor(server, { maxPages: 3 }).listCheckpoints(JOB));
    expect(items).toHaveLength(6);
    expect(server.requests).toHaveLength(3);
  });

  it('paginate takes maxPages too', async () => {
    const server = await serve(pages(10));
    const error = await rejectionOf(
      collect(
        paginate(clientFor(server).raw, PATH, {
          params: { path: { fine_tuning_job_id: JOB } },
          maxPages: 2,
        }),
      ),
    );
    expect(error).toMatchObject({ problem: 'max-pages', pages: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('by default an endless listing stops after DEFAULT_MAX_PAGES pages', async () => {
    const server = await serve(pages(Infinity));
    let count = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const _item of clientFor(server).listCheckpoints(JOB)) count++;
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ problem: 'max-pages', pages: DEFAULT_MAX_PAGES });
    expect(server.requests).toHaveLength(DEFAULT_MAX_PAGES);
    expect(count).toBe(2 * DEFAULT_MAX_PAGES);
  });
});

/** A page of `items` (not necessarily checkpoints), as raw JSON. */
function pageOf(items: unknown[], hasMore = false, ids: Record<string, unknown> = {}): Handler {
  return raw(
    200,
    JSON.stringify({ object: 'list', data: items, has_more: hasMore, ...ids }),
    JSON_TYPE,
  );
}

describe('every item is checked before it is delivered', () => {
  const good = checkpoint('ftckpt_1', 1);
  it.each<[string, unknown, RegExp]>([
    ['null', null, /page 1, item 1: the value: expected object/],
    ['a string', 'ftckpt_9', /page 1, item 1: the value: expected object/],
    ['an item without id', { ...good, id: undefined }, /page 1, item 1: `id`: missing/],
    ['an object id', { ...good, id: { toString: 'x' } }, /page 1, item 1: `id`: expected string/],
    ['an empty id', { ...good, id: '' }, /page 1, item 1: `id`: expected a non-empty string/],
    ['a string created_at', { ...good, created_at: '1' }, /item 1: `created_at`: expected integer/],
    [
      'a wrong object',
      { ...good, object: 'model' },
      /`object`: expected "fine_tuning.job.checkpoint"/,
    ],
    ['metrics not an object', { ...good, metrics: [] }, /`metrics`: expected object/],
  ])(
    'listCheckpoints refuses %s with an InvalidResponseError naming page, index and field',
    async (_name, bad, message) => {
      const server = await serve(pageOf([checkpoint('ftckpt_2', 2), bad]));
      const delivered: string[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const item of clientFor(server).listCheckpoints(JOB)) delivered.push(item.id);
        })(),
      );
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toMatch(message);
      expect(error).toMatchObject({ status: 200, attempts: 1 });
      // Not retried (the server answered; it answered wrongly), and nothing of the page delivered.
      expect(server.requests).toHaveLength(1);
      expect(delivered).toEqual([]);
    },
  );

  it('a bad item on a later page names that page', async () => {
    const server = await serve(
      sequence(
        pageOf([checkpoint('ftckpt_3', 3)], true),
        pageOf([checkpoint('ftckpt_2', 2), { ...checkpoint('ftckpt_1', 1), step_number: 1.5 }]),
      ),
    );
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB).toArray());
    expect((error as Error).message).toMatch(/page 2, item 1: `step_number`: expected integer/);
  });

  it('optional fields are not held against an item (a null metric is kept as sent)', async () => {
    const item = { ...checkpoint('ftckpt_1', 1), metrics: { step: 1, valid_loss: null } };
    const server = await serve(pageOf([item]));
    const page = await clientFor(server).listCheckpoints(JOB);
    expect(page.data).toEqual([item]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['an id that is an object', { id: { nested: true } }],
    ['an empty id', { id: '' }],
  ])(
    'paginate over any client refuses %s: at least an object with a non-empty string id',
    async (_name, bad) => {
      const server = await serve(pageOf([{ id: 'a' }, bad], true, { last_id: 'b' }));
      const bare = createClient<paths>({ baseUrl: server.url });
      const error = await rejectionOf(
        collect(paginate(bare, PATH, { params: { path: { fine_tuning_job_id: JOB } } })),
      );
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as Error).message).toMatch(/page 1, item 1: `id`: expected a non-empty string/);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('paginate over client.raw checks every item of an operation of the spec, with no extra code', async () => {
    const bad = { ...checkpoint('ftckpt_1', 1), step_number: 'x' };
    const server = await serve(pageOf([checkpoint('ftckpt_2', 2), bad]));
    const error = await rejectionOf(
      collect(
        paginate(clientFor(server).raw, PATH, { params: { path: { fine_tuning_job_id: JOB } } }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/page 1, item 1: `step_number`: expected integer/);
    expect(server.requests).toHaveLength(1);
  });

  it('client.raw checks a 2xx body of an operation of the spec before handing it out', async () => {
    const bad = { ...checkpoint('ftckpt_1', 1), created_at: 'yesterday' };
    const server = await serve(pageOf([bad]));
    const error = await rejectionOf(
      clientFor(server).raw.GET(PATH, { params: { path: { fine_tuning_job_id: JOB } } }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/item 0: `created_at`: expected integer/);
  });
});

describe('duplicate items', () => {
  it('an id that came on the previous page ends the listing before it is yielded', async () => {
    const [a, b, c] = [
      checkpoint('ftckpt_3', 3),
      checkpoint('ftckpt_2', 2),
      checkpoint('ftckpt_1', 1),
    ];
    // Overlapping pages: the second starts with the last item of the first.
    const server = await serve(sequence(pageOf([a, b], true), pageOf([b, c])));
    const delivered: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const item of clientFor(server).listCheckpoints(JOB)) delivered.push(item.id);
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ problem: 'duplicate-item', pages: 2 });
    expect((error as Error).message).toContain('"ftckpt_2"');
    expect(delivered).toEqual(['ftckpt_3', 'ftckpt_2']);
  });

  it('an id twice on the same page is refused too, by paginate as well', async () => {
    const server = await serve(pageOf([checkpoint('x', 1), checkpoint('x', 1)]));
    const error = await rejectionOf(
      collect(
        paginate(clientFor(server).raw, PATH, {
          params: { path: { fine_tuning_job_id: JOB } },
        }),
      ),
    );
    expect(error).toMatchObject({ name: 'PaginationError', problem: 'duplicate-item', pages: 1 });
  });

  it('nextPage() refuses a page that repeats an item of the current one', async () => {
    const [a, b] = [checkpoint('ftckpt_2', 2), checkpoint('ftckpt_1', 1)];
    const server = await serve(sequence(pageOf([a], true), pageOf([a, b])));
    const first = await clientFor(server).listCheckpoints(JOB);
    await expect(first.nextPage()).rejects.toMatchObject({ problem: 'duplicate-item' });
  });

  it('nextPage() names the page of the listing where the problem is, not page 2', async () => {
    const [a, b, c] = [
      checkpoint('ftckpt_3', 3),
      checkpoint('ftckpt_2', 2),
      checkpoint('ftckpt_1', 1),
    ];
    const server = await serve(
      sequence(pageOf([a], true), pageOf([b], true), pageOf([b, c], true)),
    );
    const second = await (await clientFor(server).listCheckpoints(JOB)).nextPage();
    const error = await rejectionOf(second.nextPage());
    expect(error).toMatchObject({ problem: 'duplicate-item', pages: 3 });
    expect((error as Error).message).toContain('(page 3)');
  });

  it('the window is two pages: an id from further back is not caught (memory stays flat)', async () => {
    const [a, b, c] = [
      checkpoint('ftckpt_3', 3),
      checkpoint('ftckpt_2', 2),
      checkpoint('ftckpt_1', 1),
    ];
    const server = await serve(sequence(pageOf([a], true), pageOf([b], true), pageOf([a, c])));
    const items = await clientFor(server).listCheckpoints(JOB).toArray();
    expect(items.map((item) => item.id)).toEqual(['ftckpt_3', 'ftckpt_2', 'ftckpt_3', 'ftckpt_1']);
  });
});

describe('maxResponseBytes', () => {
  const big =
    (bytes: number, headers: Record<string, string> = {}): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
    };

  it('a body over the bound (no content-length) is aborted while streaming, not retried', async () => {
    const server = await serve(big(4 * 1024 * 1024));
    const error = await rejectionOf(
      clientFor(server, { maxResponseBytes: 1024 * 1024 }).listCheckpoints(JOB),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(
      /larger than maxResponseBytes \(1048576 bytes\); not retried/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('a declared content-length over the bound is refused before the body is read', async () => {
    const body = VALID.padEnd(5_000, ' ');
    const server = await serve(raw(200, body, JSON_TYPE));
    const error = await rejectionOf(
      clientFor(server).listCheckpoints(JOB, {}, { maxResponseBytes: 4_000 }),
    );
    expect((error as Error).message).toMatch(/content-length 5000/);
    expect(server.requests).toHaveLength(1);
    // The same body within the bound is fine.
    await expect(
      clientFor(server).listCheckpoints(JOB, {}, { maxResponseBytes: 5_000 }),
    ).resolves.toBeDefined();
  });

  it('counts the decoded body: a small gzip that inflates past the bound is refused once', async () => {
    const { gzipSync } = await import('node:zlib');
    const inflated = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': inflated.length,
      });
      res.end(inflated);
    });
    const error = await rejectionOf(
      clientFor(server, { maxResponseBytes: 1024 * 1024 }).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: JOB } },
      }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/larger than maxResponseBytes/);
    expect(server.requests).toHaveLength(1);
  });

  it('must be a positive integer', async () => {
    expect(() => clientFor({ url: 'http://127.0.0.1:1/v1' }, { maxResponseBytes: 0 })).toThrow(
      expect.objectContaining({ argument: 'maxResponseBytes' }),
    );
    const error = await rejectionOf(
      clientFor({ url: 'http://127.0.0.1:1/v1' }).listCheckpoints(
        JOB,
        {},
        { maxResponseBytes: 1.5 },
      ),
    );
    expect(error).toMatchObject({ argument: 'options.maxResponseBytes' });
  });
});

describe('what a custom fetch or a server can send that is not HTTP as expected', () => {
  const clientWith = (fetch: (request: Request) => Promise<unknown>) =>
    clientFor({ url: 'http://127.0.0.1:9/v1' }, { fetch: fetch as never, maxRetries: 2 });

  it.each<[string, () => unknown, RegExp]>([
    ['undefined', () => undefined, /fetch resolved with undefined, not a Response/],
    ['null', () => null, /fetch resolved with null, not a Response/],
    ['a string', () => 'ok', /fetch resolved with string, not a Response/],
    [
      'a status outside 200-599',
      () => ({ status: 600, headers: new Headers(), body: null }),
      /status 600 is not a final HTTP status/,
    ],
    ['a 1xx', () => ({ status: 101, headers: new Headers(), body: null }), /status 101/],
    [
      'an opaque redirect (browsers, redirect: manual)',
      () => ({ type: 'opaqueredirect', status: 0, headers: new Headers(), body: null }),
      /refused a redirect/,
    ],
  ])('%s is an InvalidResponseError, not retried', async (_name, answer, message) => {
    let calls = 0;
    const error = await rejectionOf(
      clientWith(async () => {
        calls++;
        return answer();
      }).listCheckpoints(JOB),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(message);
    expect(calls).toBe(1);
  });

  it('a body already read or locked is an InvalidResponseError', async () => {
    const error = await rejectionOf(
      clientWith(async () => {
        const response = new Response(VALID, { headers: JSON_TYPE });
        response.body!.getReader();
        return response;
      }).listCheckpoints(JOB),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/already read/);
  });

  it('a body that fails while read is a (retried) InvalidResponseError', async () => {
    let calls = 0;
    const error = await rejectionOf(
      clientWith(async () => {
        calls++;
        const body = new ReadableStream({
          pull(controller) {
            controller.error(new TypeError('socket hang up'));
          },
        });
        return new Response(body, { headers: JSON_TYPE });
      }).listCheckpoints(JOB),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/cut off/);
    expect(calls).toBe(3);
  });
});

describe('error bodies of any JSON content type are described', () => {
  it('application/problem+json', async () => {
    const body = JSON.stringify({ type: 'about:blank', title: 'Gateway says no', status: 502 });
    const server = await serve(raw(502, body, { 'content-type': 'application/problem+json' }));
    const error = await rejectionOf(clientFor(server, { maxRetries: 0 }).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toContain('Gateway says no');
    expect((error as Error).message).not.toMatch(/empty/);
  });

  it('the API envelope under a vendor JSON type', async () => {
    const body = JSON.stringify({
      error: {
        message: 'no such job',
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
    const server = await serve(
      raw(404, body, { 'content-type': 'application/vnd.api+json; charset=utf-8' }),
    );
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: '404 no such job' });
  });

  it('through paginate over a bare openapi-fetch client too', async () => {
    const { default: createClient } = await import('openapi-fetch');
    const body = JSON.stringify({ title: 'Proxy refused' });
    const server = await serve(raw(403, body, { 'content-type': 'application/problem+json' }));
    const bare = createClient<import('../src/index.js').paths>({ baseUrl: server.url });
    const error = await rejectionOf(
      collect(paginate(bare, PATH, { params: { path: { fine_tuning_job_id: JOB } } })),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('Proxy refused');
  });
});

describe('client.raw with a status that has no body', () => {
  it.each([204, 205])('%i comes back as a response, not a TypeError', async (code) => {
    const server = await serve((_req, res) => {
      res.writeHead(code, { 'x-request-id': 'req_1' });
      res.end();
    });
    const { response } = await clientFor(server).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(response.status).toBe(code);
  });
});
