// The API key never leaks: not in any error the client can throw (message, stack, String,
// JSON.stringify, util.inspect with hidden properties, the cause chain), not in any log line, not
// in util.inspect of the client or of a page, even when a hostile server echoes the
// Authorization header back in its body, its status text or its headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  CheckpointsError,
  ConflictError,
  ConnectionError,
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
  type CheckpointsClientOptions,
} from '../src/index.js';
import * as api from '../src/index.js';
import {
  checkpoint,
  closedPortUrl,
  pageBody,
  sendJson,
  serverPool,
  type TestServer,
} from './helpers/http.js';
import { clientFor, FAIL_FAST, KEY, PATH } from './helpers/client.js';
import { iterationError, rejectionOf, thrownBy } from './helpers/outcomes.js';
import { captureOutput, leaks } from './helpers/security.js';

// One hostile server for the file. The job id picks the behaviour; every reply that can echo the
// Authorization header does.
type Handler = (req: IncomingMessage, res: ServerResponse, auth: string) => void;
const handlers = new Map<string, Handler>();
let server: TestServer;

const serve = serverPool('file');
beforeAll(async () => {
  server = await serve((req, res, seen) => {
    const jobId = /^\/v1\/fine_tuning\/jobs\/([^/]+)\/checkpoints$/.exec(seen.path)?.[1] ?? '';
    const handler = handlers.get(jobId);
    if (!handler) return sendJson(res, 404, { error: { message: 'no such route', type: 'x' } });
    handler(req, res, req.headers.authorization ?? '');
  });
});
let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  const lines = output.lines();
  output.restore();
  // "Log lines": nothing written to the console or to stdout/stderr during the test has the key.
  expect(lines.filter((line) => line.includes(KEY))).toEqual([]);
});

/** Every request that reached the server carried the key (so an echo really contained it). */
function expectKeySent(count: number) {
  expect(server.requests).toHaveLength(count);
  for (const request of server.requests)
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
}

function expectNoLeak(error: unknown) {
  expect(leaks(error)).toEqual([]);
}

describe('the leak detector itself', () => {
  it('finds the key in a message, a stack, a hidden property and a non-Error cause', () => {
    expect(leaks(new Error(`x ${KEY}`))).toContain('value .message');
    const hidden = new Error('x');
    Object.defineProperty(hidden, 'secret', { value: KEY, enumerable: false });
    expect(leaks(hidden)).toContain('value inspect');
    expect(leaks(new Error('x', { cause: { token: KEY } }))).toContain('cause#1 JSON.stringify');
    expect(leaks({ deep: { deeper: { deepest: [KEY] } } })).toContain('value inspect');
  });

  it('records console output and stdout/stderr writes', () => {
    console.info('marker-console');
    process.stderr.write('marker-stderr\n');
    expect(output.lines()).toEqual(
      expect.arrayContaining(['marker-console', expect.stringContaining('marker-stderr')]),
    );
  });
});

describe('InvalidArgumentError', () => {
  it('for a bad limit does not carry the key', async () => {
    const error = await rejectionOf(
      clientFor(server, FAIL_FAST).listCheckpoints('ftjob-abc', { limit: 0 }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('query.limit');
    expectNoLeak(error);
    expect(server.requests).toHaveLength(0);
  });

  it('for a bad path segment, a bad option and an unknown option does not carry the key', async () => {
    const errors = [
      await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('../x')),
      await rejectionOf(
        clientFor(server, FAIL_FAST).listCheckpoints('ftjob-abc', {}, { timeoutMs: -1 }),
      ),
      thrownBy(() => clientFor(server, { ...FAIL_FAST, timeoutMs: 0 })),
      thrownBy(() => clientFor(server, { ...FAIL_FAST, apikey: KEY } as CheckpointsClientOptions)),
      thrownBy(() => clientFor(server, { ...FAIL_FAST, maxRetries: -1 })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expectNoLeak(error);
    }
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['CR LF', `${KEY}\r\nX-Injected: 1`],
    ['LF', `${KEY}\n`],
    ['CR', `\r${KEY}`],
    ['NUL', `${KEY}\u0000`],
    ['DEL', `${KEY}\u007f`],
  ])('for a key with %s does not echo the key', (_name, apiKey) => {
    const error = thrownBy(() => clientFor(server, { ...FAIL_FAST, apiKey }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('apiKey');
    expectNoLeak(error);
  });
});

// Status → the class the client must throw for it.
const STATUSES: [number, typeof ApiError][] = [
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
  [500, InternalServerError],
  [503, InternalServerError],
  [418, ApiError],
];

// How a hostile server echoes the Authorization header in an error reply.
const ECHOES: Record<string, (res: ServerResponse, status: number, auth: string) => void> = {
  // The API's own envelope, with the key in every field.
  json: (res, status, auth) =>
    sendJson(res, status, {
      error: {
        message: `Incorrect API key provided: ${auth}`,
        type: `invalid_request_error ${auth}`,
        code: auth,
        param: auth,
      },
    }),
  // An HTML page from a proxy.
  text: (res, status, auth) => {
    const body = `<html><body>Rejected header: Authorization: ${auth}</body></html>`;
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(body);
  },
  // Nothing in the body; the key in the status text (the HTTP reason phrase).
  statusText: (res, status, auth) => {
    res.writeHead(status, `Rejected ${auth}`, {
      'content-type': 'application/json',
      'content-length': '0',
    });
    res.end();
  },
  // The key in the x-request-id header, which errors expose as `requestId`.
  requestId: (res, status, auth) =>
    sendJson(res, status, { error: { message: 'rejected', type: 'x' } }, { 'x-request-id': auth }),
  // The key in other response headers (kept by ApiError, but never printed).
  otherHeaders: (res, status, auth) =>
    sendJson(
      res,
      status,
      { error: { message: 'rejected', type: 'x' } },
      {
        'x-echo-authorization': auth,
        'www-authenticate': `Bearer realm="api", error="invalid_token ${auth}"`,
      },
    ),
};

describe.each(Object.keys(ECHOES))('ApiError when the server echoes the key (%s)', (echo) => {
  describe.each(STATUSES)('status %i', (status, ErrorClass) => {
    const jobId = `api-${status}-${echo}`;
    beforeEach(() => {
      handlers.set(jobId, (_req, res, auth) => ECHOES[echo]!(res, status, auth));
    });

    it('from listCheckpoints', async () => {
      const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints(jobId));
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as ApiError).status).toBe(status);
      expectKeySent(1);
      expectNoLeak(error);
    });

    it('from paginate(client.raw)', async () => {
      const error = await iterationError(
        paginate(clientFor(server, FAIL_FAST).raw, PATH, {
          params: { path: { fine_tuning_job_id: jobId } },
        }),
      );
      expect(error).toBeInstanceOf(ErrorClass);
      expectKeySent(1);
      expectNoLeak(error);
    });
  });
});

describe('ApiError for a text body that spells the key with \\u escapes', () => {
  // Not JSON, so no parser decodes the escapes, and the message quotes the body's first 200
  // characters: a scrubber that only reads whole JSON documents would let most of the key through.
  const escaped = (text: string) =>
    [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it('scrubs the escaped key before the message quotes the body', async () => {
    const jobId = 'api-401-escaped-text';
    handlers.set(jobId, (_req, res, auth) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(`Rejected: ${escaped(auth)} (check your key)`);
    });
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints(jobId));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).message).toContain('[redacted] (check your key)');
    expect(leaks(error, escaped(KEY.slice(0, 4)))).toEqual([]);
    expectNoLeak(error);
  });
});

describe('ConnectionError', () => {
  it('for a refused port does not carry the key', async () => {
    const refused = clientFor(await closedPortUrl(), { ...FAIL_FAST, maxRetries: 1 });
    const error = await rejectionOf(refused.listCheckpoints('ftjob-abc'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).attempts).toBe(2);
    expectNoLeak(error);
    const raw = await rejectionOf(
      refused.raw.GET(PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc' } } }),
    );
    expect(raw).toBeInstanceOf(ConnectionError);
    expectNoLeak(raw);
  });

  it('is scrubbed when a custom fetch fails with the key in its message and in causes', async () => {
    handlers.set('custom-fetch', (_req, res) => sendJson(res, 200, pageBody([], false)));
    // A real request is made; then the custom fetch fails the way a careless proxy agent would.
    const fetch = async (request: Request) => {
      await globalThis.fetch(request.clone());
      const auth = request.headers.get('authorization');
      throw new TypeError(`proxy refused request with ${auth}`, {
        cause: new Error(`upstream saw Authorization: ${auth}`),
      });
    };
    const error = await rejectionOf(
      clientFor(server, { ...FAIL_FAST, fetch }).listCheckpoints('custom-fetch'),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('is scrubbed when a custom fetch fails with an error that carries the key in a property', async () => {
    handlers.set('custom-fetch-prop', (_req, res) => sendJson(res, 200, pageBody([], false)));
    // Like the errors of axios- or got-based fetch adapters, which keep the request options.
    const fetch = async (request: Request) => {
      await globalThis.fetch(request.clone());
      throw Object.assign(new Error('proxy refused the request'), {
        config: { headers: { authorization: request.headers.get('authorization') } },
      });
    };
    const error = await rejectionOf(
      clientFor(server, { ...FAIL_FAST, fetch }).listCheckpoints('custom-fetch-prop'),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expectKeySent(1);
    expectNoLeak(error);
  });
});

describe('TimeoutError', () => {
  it('while waiting for headers does not carry the key', async () => {
    handlers.set('hang', () => {});
    const error = await rejectionOf(
      clientFor(server, { ...FAIL_FAST, timeoutMs: 50, maxRetries: 1 }).listCheckpoints('hang'),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2);
    expectKeySent(2);
    expectNoLeak(error);
  });

  it('while reading a body that echoes the key does not carry the key', async () => {
    handlers.set('hang-body', (_req, res, auth) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
      res.write(`{"echo":"${auth}",`);
    });
    const error = await rejectionOf(
      clientFor(server, { ...FAIL_FAST, timeoutMs: 80 }).listCheckpoints('hang-body'),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expectKeySent(1);
    expectNoLeak(error);
  });
});

describe('AbortError', () => {
  it('for a plain abort during the request does not carry the key', async () => {
    const controller = new AbortController();
    handlers.set('abort', () => controller.abort());
    const error = await rejectionOf(
      clientFor(server, FAIL_FAST).listCheckpoints('abort', {}, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('for a plain abort during the backoff between attempts does not carry the key', async () => {
    const controller = new AbortController();
    handlers.set('abort-backoff', (_req, res, auth) => {
      sendJson(
        res,
        500,
        { error: { message: `boom ${auth}`, type: 'server_error' } },
        {
          'retry-after-ms': '5000',
        },
      );
      setTimeout(() => controller.abort(), 30);
    });
    const started = Date.now();
    const error = await rejectionOf(
      clientFor(server, { ...FAIL_FAST, maxRetries: 2 }).listCheckpoints(
        'abort-backoff',
        {},
        {
          signal: controller.signal,
        },
      ),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(AbortError);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('through client.raw for a plain abort does not carry the key', async () => {
    const controller = new AbortController();
    handlers.set('abort-raw', () => controller.abort());
    const error = await rejectionOf(
      clientFor(server, FAIL_FAST).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: 'abort-raw' } },
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expectNoLeak(error);
  });
});

describe('InvalidResponseError', () => {
  it('for a 200 whose malformed JSON body echoes the key does not carry the key', async () => {
    handlers.set('malformed', (_req, res, auth) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${auth} {"object":"list","data":[ ${auth}`);
    });
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('malformed'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/not valid JSON/);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('for a truncated JSON string holding the key does not carry the key', async () => {
    handlers.set('unterminated', (_req, res, auth) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"object":"list","echo":"${auth}`);
    });
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('unterminated'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expectNoLeak(error);
  });

  it('for a content-type that echoes the key does not carry the key', async () => {
    handlers.set('content-type', (_req, res, auth) => {
      res.writeHead(200, { 'content-type': `text/plain; echo="${auth}"`, 'x-request-id': auth });
      res.end(auth);
    });
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('content-type'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/expected JSON/);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('for a 200 JSON of the wrong shape full of the key does not carry the key', async () => {
    handlers.set('shape', (_req, res, auth) =>
      sendJson(res, 200, { object: auth, data: auth, has_more: auth, last_id: auth }),
    );
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('shape'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expectKeySent(1);
    expectNoLeak(error);
  });

  it('for a body cut off after the key does not carry the key', async () => {
    handlers.set('cut', (_req, res, auth) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
      res.write(`{"object":"list","echo":"${auth}"`, () => res.destroy());
    });
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints('cut'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/cut off/);
    expectNoLeak(error);
  });
});

describe('PaginationError', () => {
  it('for a missing cursor and for maxPages does not carry the key', async () => {
    handlers.set('no-cursor', (_req, res) => sendJson(res, 200, pageBody([], true)));
    const missing = await iterationError(clientFor(server, FAIL_FAST).listCheckpoints('no-cursor'));
    expect(missing).toBeInstanceOf(PaginationError);
    expect((missing as PaginationError).problem).toBe('missing-cursor');
    expectNoLeak(missing);

    let n = 0;
    handlers.set('endless', (_req, res) => {
      n++;
      sendJson(res, 200, pageBody([checkpoint(`ftckpt_${n}`, n)], true));
    });
    const capped = await iterationError(
      clientFor(server, { ...FAIL_FAST, maxPages: 2 }).listCheckpoints(
        'endless',
        {},
        { prefetch: false },
      ),
    );
    expect(capped).toBeInstanceOf(PaginationError);
    expect((capped as PaginationError).problem).toBe('max-pages');
    expectNoLeak(capped);
  });

  it('for the last page asked for its next page does not carry the key', async () => {
    handlers.set('last', (_req, res) => sendJson(res, 200, pageBody([checkpoint('a', 1)], false)));
    const page = await clientFor(server, FAIL_FAST).listCheckpoints('last');
    const error = await rejectionOf(page.nextPage());
    expect(error).toBeInstanceOf(PaginationError);
    expectNoLeak(error);
  });

  it('for a hostile server that repeats the echoed key as its cursor does not carry the key', async () => {
    // Every page says there is more, with the Authorization value as the cursor: the second page
    // repeats the first one's cursor, which the loop guard reports.
    handlers.set('repeat', (_req, res, auth) =>
      sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], true, { last_id: auth })),
    );
    const error = await iterationError(
      clientFor(server, FAIL_FAST).listCheckpoints('repeat', {}, { prefetch: false }),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).problem).toBe('repeated-cursor');
    expectKeySent(2);
    expectNoLeak(error);
  });
});

describe('every error class is covered and is a CheckpointsError', () => {
  it('covers every error class the package exports', () => {
    const covered = new Set<unknown>([
      InvalidArgumentError,
      ...STATUSES.map(([, ErrorClass]) => ErrorClass),
      ConnectionError,
      TimeoutError,
      AbortError,
      InvalidResponseError,
      PaginationError,
    ]);
    const exported = Object.values(api).filter(
      (value) =>
        typeof value === 'function' &&
        value !== CheckpointsError &&
        value.prototype instanceof CheckpointsError,
    );
    expect(exported.length).toBeGreaterThanOrEqual(15);
    expect(exported.filter((ErrorClass) => !covered.has(ErrorClass))).toEqual([]);
  });
});

describe('the client and its pages', () => {
  it('util.inspect(client) and JSON.stringify(client) do not contain the key', () => {
    const c = clientFor(server, {
      ...FAIL_FAST,
      organization: 'org-1',
      project: 'proj-1',
      headers: { 'X-A': 'b' },
    });
    expect(leaks(c)).toEqual([]);
    expect(leaks(c.raw)).toEqual([]);
    expect(inspect(c, { depth: Infinity, showHidden: true, getters: true })).not.toContain(KEY);
  });

  it('util.inspect of a page, of its iteration and of the listing promise do not contain the key', async () => {
    handlers.set('pages', (req, res) => {
      const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      if (after === null) sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], true));
      else sendJson(res, 200, pageBody([checkpoint('ftckpt_2', 2)], false));
    });
    const listing = clientFor(server, FAIL_FAST).listCheckpoints('pages', { limit: 1 });
    expect(leaks(listing)).toEqual([]);
    const page = await listing;
    expect(page.data).toHaveLength(1);
    expect(leaks(page)).toEqual([]);
    expect(leaks(page.response)).toEqual([]);
    const pages = [];
    for await (const each of page.pages()) pages.push(each);
    expect(pages).toHaveLength(2);
    expect(leaks(pages)).toEqual([]);
    expect(leaks(await clientFor(server, FAIL_FAST).listCheckpoints('pages').toArray())).toEqual(
      [],
    );
    expectKeySent(4);
  });

  it('a page from a server that echoes the key in x-request-id does not show the key', async () => {
    handlers.set('page-request-id', (_req, res, auth) =>
      sendJson(res, 200, pageBody([checkpoint('a', 1)], false), { 'x-request-id': auth }),
    );
    const page = await clientFor(server, FAIL_FAST).listCheckpoints('page-request-id');
    expect(page.data).toHaveLength(1);
    expectKeySent(1);
    expect(leaks(page)).toEqual([]);
  });

  it('client.raw error bodies that echo the key are scrubbed', async () => {
    for (const echo of ['json', 'text'] as const) {
      const jobId = `raw-echo-${echo}`;
      handlers.set(jobId, (_req, res, auth) => ECHOES[echo]!(res, 401, auth));
      const result = await clientFor(server, FAIL_FAST).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: jobId } },
      });
      expect(result.response.status).toBe(401);
      expect(result.error).toBeDefined();
      expect(leaks(result.error)).toEqual([]);
    }
    expectKeySent(2);
  });

  it('client.raw results do not contain the key for an honest server', async () => {
    handlers.set('raw', (_req, res) => sendJson(res, 200, pageBody([checkpoint('a', 1)], false)));
    const result = await clientFor(server, FAIL_FAST).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: 'raw' } },
    });
    expect(result.data?.data).toHaveLength(1);
    expect(leaks(result)).toEqual([]);
    expectKeySent(1);
  });
});
