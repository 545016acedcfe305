// Responses that are not what the spec promises: each gives a typed error that says what was
// wrong, with the status and request id; the transient ones are retried, the others are not.
// Also: useful messages for error statuses without the API's JSON, and the `maxPages` guard.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  DEFAULT_MAX_PAGES,
  InternalServerError,
  InvalidResponseError,
  PaginationError,
  paginate,
} from '../src/index.js';
import { createMockServer, generateCheckpoints } from '../src/mock/index.js';
import { checkpoint, pageBody } from './helpers/http.js';
import {
  clientFor,
  closeServers,
  collect,
  JOB,
  ok,
  raw,
  rejectionOf,
  sequence,
  serve,
  track,
  type Handler,
} from './helpers/reliability.js';

afterEach(closeServers);

const JSON_TYPE = { 'content-type': 'application/json' };
const VALID = JSON.stringify(
  pageBody([checkpoint('ftckpt_2', 2), checkpoint('ftckpt_1', 1)], false),
);

describe('invalid 2xx bodies', () => {
  it.each<[string, Handler, RegExp]>([
    ['malformed JSON', raw(200, '{"object":"list","data":[}', JSON_TYPE), /not valid JSON/],
    [
      'a body truncated mid-JSON',
      raw(200, VALID.slice(0, VALID.length / 2), JSON_TYPE),
      /not valid JSON/,
    ],
    ['an empty body', raw(200, '', JSON_TYPE), /empty/],
  ])('%s: InvalidResponseError, retried', async (_name, handler, problem) => {
    const server = await serve(handler);
    const error = await rejectionOf(clientFor(server).listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, requestId: 'req_3', attempts: 3 });
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain('req_3');
    expect(server.requests).toHaveLength(3);
  });

  it('malformed JSON then a valid page recovers', async () => {
    const server = await serve(
      sequence(raw(200, '{"data": [', JSON_TYPE), raw(200, VALID, JSON_TYPE)),
    );
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
      /`data` is not an array/,
    ],
    [
      '`has_more` that is not a boolean',
      raw(200, JSON.stringify({ object: 'list', data: [], has_more: 'false' }), JSON_TYPE),
      /`has_more` is not a boolean/,
    ],
    ['a JSON body that is not an object', raw(200, 'null', JSON_TYPE), /not a JSON object/],
    ['a JSON array', raw(200, '[1, 2]', JSON_TYPE), /`data` is not an array/],
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

  it("the mock's malformed-json, truncated and wrong-content-type faults behave the same", async () => {
    const data = generateCheckpoints({ jobId: JOB, count: 5, seed: 1 });
    const mock = track(
      await createMockServer({
        jobs: { [JOB]: data },
        faults: [
          { request: 1, kind: 'malformed-json' },
          { request: 2, kind: 'truncated' },
          { request: 4, kind: 'wrong-content-type' },
        ],
      }),
    );
    const client = clientFor(mock);
    // Requests 1 and 2 fail and are retried; request 3 answers.
    const page = await client.listCheckpoints(JOB);
    expect(page.data).toHaveLength(5);
    expect(page.requestId).toBe('req_3');
    const error = await rejectionOf(client.listCheckpoints(JOB));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, requestId: 'req_4', attempts: 1 });
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
        paginate(clientFor(server).raw, '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
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
