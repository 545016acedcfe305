// The key is only ever sent to the configured origin: redirects to another origin are refused
// (and the other origin sees nothing), a cursor that looks like a URL stays a query value on the
// API's origin, query values cannot add parameters, and unsafe base URLs are rejected.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createCheckpointsClient,
  InvalidArgumentError,
  InvalidResponseError,
  paginate,
} from '../src/index.js';
import { checkpoint, pageBody, sendJson, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, FAIL_FAST, KEY, PATH } from './helpers/client.js';
import { iterationError, rejectionOf, thrownBy } from './helpers/outcomes.js';
import { leaks } from './helpers/security.js';

// A is the API; B is another origin (another port on the same host) that must never be reached.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handleA: Handler;
let a: TestServer;
let b: TestServer;
const serve = serverPool('file');

beforeAll(async () => {
  a = await serve((req, res) => handleA(req, res));
  b = await serve((_req, res) => sendJson(res, 200, pageBody([checkpoint('stolen', 1)], false)));
});
beforeEach(() => {
  handleA = (_req, res) => sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], false));
});

/** The raw request targets A received, before any normalisation. */
const targetsA = () => a.requests.map((seen) => seen.target);

function redirectTo(location: () => string, status: number): Handler {
  return (_req, res) => {
    res.writeHead(status, { location: location(), 'content-type': 'text/plain' });
    res.end('moved');
  };
}

describe.each([301, 302, 303, 307, 308])('a %i redirect to another origin', (status) => {
  const elsewhere: [string, () => string][] = [
    ['absolute URL', () => `${b.origin}/steal`],
    ['protocol-relative URL', () => `//127.0.0.1:${new URL(b.origin).port}/steal`],
    ['same port, other host name', () => `http://localhost:${new URL(a.origin).port}/v1/x`],
  ];

  it.each(elsewhere)('(%s) is refused from listCheckpoints; B sees nothing', async (_n, to) => {
    handleA = redirectTo(to, status);
    const error = await rejectionOf(
      clientFor(a, { ...FAIL_FAST, maxRetries: 2 }).listCheckpoints('ftjob-abc123'),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/refused a redirect to another origin/);
    expect((error as InvalidResponseError).status).toBe(status);
    expect(leaks(error)).toEqual([]);
    // Not retried, and not followed: A saw one request (the localhost one would land on A too).
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
  });

  it('is refused from client.raw.GET and paginate; B sees nothing', async () => {
    handleA = redirectTo(() => `${b.origin}/steal`, status);
    const c = clientFor(a, FAIL_FAST);
    const raw = await rejectionOf(
      c.raw.GET(PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc123' } } }),
    );
    expect(raw).toBeInstanceOf(InvalidResponseError);
    const paged = await iterationError(
      paginate(c.raw, PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc123' } } }),
    );
    expect(paged).toBeInstanceOf(InvalidResponseError);
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(0);
  });
});

describe('a redirect that hops on A before going to B', () => {
  it('is refused at the hop to B', async () => {
    handleA = (req, res) => {
      const to = req.url?.startsWith('/v1/hop') ? `${b.origin}/steal` : '/v1/hop';
      res.writeHead(302, { location: to });
      res.end();
    };
    const error = await rejectionOf(clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(a.requests.map((request) => request.path)).toEqual([
      '/v1/fine_tuning/jobs/ftjob-abc123/checkpoints',
      '/v1/hop',
    ]);
    expect(b.requests).toHaveLength(0);
  });
});

describe('a redirect on the same origin', () => {
  it.each([302, 307, 308])('(%i) is followed, with the key', async (status) => {
    handleA = (req, res) => {
      if (req.url?.startsWith('/v1/moved')) {
        sendJson(res, 200, pageBody([checkpoint('ftckpt_moved', 1)], false));
      } else {
        res.writeHead(status, { location: '/v1/moved?from=a' });
        res.end();
      }
    };
    const page = await clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123');
    expect(page.data.map((item) => item.id)).toEqual(['ftckpt_moved']);
    expect(targetsA()).toEqual([
      '/v1/fine_tuning/jobs/ftjob-abc123/checkpoints',
      '/v1/moved?from=a',
    ]);
    for (const request of a.requests) expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(b.requests).toHaveLength(0);
  });

  it('is not followed forever', async () => {
    handleA = (_req, res) => {
      res.writeHead(302, { location: '/v1/loop' });
      res.end();
    };
    const error = await rejectionOf(clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/redirects/);
    expect(a.requests.length).toBeLessThanOrEqual(10);
  });
});

describe('a cursor that points elsewhere', () => {
  it('stays a query value on A; B sees nothing', async () => {
    const steal = `http://127.0.0.1:${new URL(b.origin).port}/steal`;
    handleA = (req, res) => {
      const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      if (after === null) {
        sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], true, { last_id: steal }));
      } else {
        sendJson(res, 200, pageBody([checkpoint('ftckpt_2', 2)], false));
      }
    };
    const ids = [];
    for await (const item of clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123'))
      ids.push(item.id);
    expect(ids).toEqual(['ftckpt_1', 'ftckpt_2']);
    expect(a.requests).toHaveLength(2);
    const second = a.requests[1]!;
    expect(second.path).toBe('/v1/fine_tuning/jobs/ftjob-abc123/checkpoints');
    expect(second.query.get('after')).toBe(steal);
    expect(second.headers.authorization).toBe(`Bearer ${KEY}`);
    // URL-encoded: the raw target has no second "//" or ":" outside the encoded value.
    expect(targetsA()[1]).toBe(
      `/v1/fine_tuning/jobs/ftjob-abc123/checkpoints?after=${encodeURIComponent(steal)}`,
    );
    expect(b.requests).toHaveLength(0);
  });

  it('through page.nextPage() and paginate stays on A too', async () => {
    const steal = `${b.origin}/steal?x=1#y`;
    handleA = (req, res) => {
      const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      if (after === null)
        sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], true, { last_id: steal }));
      else sendJson(res, 200, pageBody([], false));
    };
    const c = clientFor(a, FAIL_FAST);
    const first = await c.listCheckpoints('ftjob-abc123');
    await first.nextPage();
    await paginate(c.raw, PATH, {
      params: { path: { fine_tuning_job_id: 'ftjob-abc123' } },
    }).toArray();
    expect(a.requests.map((request) => request.query.get('after'))).toEqual([
      null,
      steal,
      null,
      steal,
    ]);
    expect(b.requests).toHaveLength(0);
  });
});

describe('query values', () => {
  const after = 'ftckpt_x&limit=1000&x=';

  function expectSingleAfter(request: { query: URLSearchParams } | undefined, value: string) {
    expect([...request!.query.keys()].sort()).toEqual(['after', 'limit']);
    expect(request!.query.getAll('after')).toEqual([value]);
    expect(request!.query.getAll('limit')).toEqual(['5']);
  }

  it('cannot add parameters through listCheckpoints', async () => {
    await clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123', { after, limit: 5 });
    expect(a.requests).toHaveLength(1);
    expectSingleAfter(a.requests[0], after);
  });

  it('cannot add parameters through client.raw.GET and paginate', async () => {
    const c = clientFor(a, FAIL_FAST);
    const params = { path: { fine_tuning_job_id: 'ftjob-abc123' }, query: { after, limit: 5 } };
    await c.raw.GET(PATH, { params });
    await paginate(c.raw, PATH, { params }).toArray();
    expect(a.requests).toHaveLength(2);
    for (const request of a.requests) expectSingleAfter(request, after);
  });

  it.each([
    ['a fragment', 'ftckpt_x#frag'],
    ['a question mark and slashes', '?a=b/../c'],
    ['percent signs', '100%25%2526'],
    ['plus and spaces', 'a+b c'],
    ['unicode', 'ftckpt_\u00e9\u79d8'],
  ])('with %s arrive exactly as given', async (_name, value) => {
    await clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123', { after: value, limit: 5 });
    expectSingleAfter(a.requests[0], value);
    expect(a.requests[0]!.path).toBe('/v1/fine_tuning/jobs/ftjob-abc123/checkpoints');
  });

  it('from a server cursor with & and = cannot add parameters either', async () => {
    const cursor = 'c&limit=1000&after=evil';
    handleA = (req, res) => {
      const got = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      if (got === null)
        sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], true, { last_id: cursor }));
      else sendJson(res, 200, pageBody([], false));
    };
    await clientFor(a, FAIL_FAST).listCheckpoints('ftjob-abc123', { limit: 5 }).toArray();
    expect(a.requests).toHaveLength(2);
    expectSingleAfter(a.requests[1], cursor);
  });
});

describe('unsafe base URLs', () => {
  const port = () => new URL(a.origin).port;
  const cases: [string, () => string][] = [
    ['credentials', () => `http://user:pass@127.0.0.1:${port()}/v1`],
    ['a user name only', () => `http://user@127.0.0.1:${port()}/v1`],
    ['a query', () => `http://127.0.0.1:${port()}/v1?api-version=1`],
    ['an empty query', () => `http://127.0.0.1:${port()}/v1?`],
    ['a fragment', () => `http://127.0.0.1:${port()}/v1#frag`],
    ['an empty fragment', () => `http://127.0.0.1:${port()}/v1#`],
    ['file:', () => 'file:///etc/passwd'],
    ['ftp:', () => `ftp://127.0.0.1:${port()}/v1`],
    ['ws:', () => `ws://127.0.0.1:${port()}/v1`],
    ['javascript:', () => 'javascript:alert(1)'],
    ['data:', () => 'data:text/plain,hello'],
    ['a relative URL', () => '/v1'],
    ['no scheme', () => `127.0.0.1:${port()}/v1`],
    ['an empty string', () => ''],
  ];

  it.each(cases)('with %s are rejected at construction', async (_name, url) => {
    const error = thrownBy(() => clientFor(url(), FAIL_FAST));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('baseUrl');
    expect(leaks(error)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(a.requests).toHaveLength(0);
  });

  it('with credentials do not echo the password', () => {
    const error = thrownBy(() =>
      clientFor(`http://user:hunter2@127.0.0.1:${port()}/v1`, FAIL_FAST),
    );
    expect(leaks(error, 'hunter2')).toEqual([]);
  });

  it('from OPENAI_BASE_URL are rejected too', () => {
    vi.stubEnv('OPENAI_BASE_URL', `http://user:pass@127.0.0.1:${port()}/v1`);
    try {
      const error = thrownBy(() => createCheckpointsClient({ apiKey: KEY }));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('baseUrl');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    ['an empty query', '?'],
    ['an empty fragment', '#'],
  ])('with %s never send the key to another path than the checkpoints one', async (_n, tail) => {
    // Accepted or not, a request must not go to `/v1` with the endpoint path in the query or
    // the fragment (`/v1?/fine_tuning/jobs/...`).
    try {
      await clientFor(`${a.url}${tail}`, FAIL_FAST).listCheckpoints('ftjob-abc123');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
    }
    for (const request of a.requests) {
      expect(request.path).toBe('/v1/fine_tuning/jobs/ftjob-abc123/checkpoints');
    }
  });

  it('a safe one is accepted (control)', async () => {
    await clientFor(`${a.url}/`, FAIL_FAST).listCheckpoints('ftjob-abc123');
    expect(targetsA()).toEqual(['/v1/fine_tuning/jobs/ftjob-abc123/checkpoints']);
  });
});
