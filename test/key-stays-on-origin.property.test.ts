// The key goes only to the configured origin, whatever points a request elsewhere: a middleware
// added with client.raw.use, a per-call middleware, or a redirect. The transport checks the final
// URL of every request it sends; a mismatch is refused before anything is sent (an
// InvalidArgumentError for the caller's code, an InvalidResponseError for a server's redirect),
// and never retried. Property tests run the URL spellings that might slip past a naive check:
// case, default and zero-padded ports, IPv4 and IPv6 forms, userinfo, a trailing dot.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from 'openapi-fetch';
import {
  CheckpointsError,
  InvalidArgumentError,
  InvalidResponseError,
  paginate,
  type CheckpointsClient,
} from '../src/index.js';
import { checkpoint, pageBody, sendJson, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, FAIL_FAST, JOB, KEY, PATH } from './helpers/client.js';
import { rejectionOf } from './helpers/outcomes.js';
import { leaks } from './helpers/security.js';

const ENDPOINT = `/v1/fine_tuning/jobs/${JOB}/checkpoints`;

// A is the API; B is another origin that must never see a request.
let a: TestServer;
let b: TestServer;
let redirectTo: string | undefined;
const serve = serverPool('file');

beforeAll(async () => {
  a = await serve((req, res) => {
    if (redirectTo !== undefined && !req.url?.includes('followed')) {
      res.writeHead(307, { location: redirectTo, 'content-length': '0' });
      res.end();
      return;
    }
    sendJson(res, 200, pageBody([checkpoint('ftckpt_a', 1)], false));
  });
  b = await serve((_req, res) => sendJson(res, 200, pageBody([checkpoint('stolen', 1)], false)));
});
afterEach(() => {
  redirectTo = undefined;
  a.requests.length = 0;
  b.requests.length = 0;
});

/** A middleware that sends the request to `url` instead. */
const sendTo = (url: string): Middleware => ({
  onRequest: ({ request }) => new Request(url, request),
});

/** Every way this client's calls take a middleware: on the client, or per call on client.raw. */
const viaClientMiddleware = async (client: CheckpointsClient, middleware: Middleware) => {
  client.raw.use(middleware);
  return client.listCheckpoints(JOB);
};
const viaPerCallMiddleware = async (client: CheckpointsClient, middleware: Middleware) =>
  client.raw.GET(PATH, {
    params: { path: { fine_tuning_job_id: JOB } },
    middleware: [middleware],
  });
const viaPaginate = async (client: CheckpointsClient, middleware: Middleware) => {
  client.raw.use(middleware);
  return paginate(client.raw, PATH, { params: { path: { fine_tuning_job_id: JOB } } });
};

describe('a middleware that points a request at another origin', () => {
  it.each([
    ['client.raw.use, then listCheckpoints', viaClientMiddleware],
    ['a per-call middleware on client.raw.GET', viaPerCallMiddleware],
    ['client.raw.use, then paginate(client.raw)', viaPaginate],
  ])('%s: InvalidArgumentError, not retried, nothing sent', async (_name, call) => {
    const client = clientFor(a, { maxRetries: 3 });
    const error = await rejectionOf(call(client, sendTo(`${b.url}/steal`)));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/not the API's origin/);
    expect(leaks(error)).toEqual([]);
    expect(b.requests).toHaveLength(0);
    expect(a.requests).toHaveLength(0);
  });

  it('a middleware that keeps the origin works as before', async () => {
    const client = clientFor(a);
    client.raw.use(sendTo(`${a.origin}${ENDPOINT}?limit=3`));
    const page = await client.listCheckpoints(JOB);
    expect(page.data.map((item) => item.id)).toEqual(['ftckpt_a']);
    expect(a.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});

/** Whether the platform makes a Request of `url` at all (it refuses one with credentials). */
function constructible(url: string): boolean {
  try {
    new Request(url);
    return true;
  } catch {
    return false;
  }
}

// The spellings of a URL's origin part that a check comparing strings could get wrong.
const scheme = fc.constantFrom('http', 'HTTP', 'Http', 'https');
const userinfo = fc.constantFrom('', 'user@', 'user:pass@', ':pass@', '@');

describe('the URL spellings a request may take (property)', () => {
  /** Loopback hosts: some are 127.0.0.1 spelt otherwise (the same origin), some are not. */
  const loopbackHost = fc.constantFrom(
    '127.0.0.1',
    '127.0.0.1.',
    '127.1',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '2130706433',
    'localhost',
    'LocalHost',
    'localhost.',
    '[::1]',
    '[::ffff:127.0.0.1]',
    '[0:0:0:0:0:ffff:7f00:1]',
  );
  const loopbackPort = fc.constantFrom('A', '0A', '00A', 'B', '', '80', '443');
  const portOf = (spelling: string) =>
    spelling.replace('A', new URL(a.origin).port).replace('B', new URL(b.origin).port);

  const spelling = fc
    .record({ scheme, userinfo, host: loopbackHost, port: loopbackPort })
    .map(({ scheme, userinfo, host, port }) => {
      const written = portOf(port);
      return `${scheme}://${userinfo}${host}${written === '' ? '' : `:${written}`}`;
    });
  const via = fc.constantFrom('client middleware', 'per-call middleware', 'redirect');

  it('reaches A exactly when it is A’s origin without credentials, and nothing else ever', async () => {
    await fc.assert(
      fc.asyncProperty(spelling, via, async (origin, route) => {
        a.requests.length = 0;
        b.requests.length = 0;
        const target = `${origin}${ENDPOINT}?followed=1`;
        const url = URL.canParse(target) ? new URL(target) : undefined;
        const allowed = url?.origin === a.origin && url.username === '' && url.password === '';
        const client = clientFor(a, { ...FAIL_FAST, maxRetries: 2 });
        let outcome: Promise<unknown>;
        if (route === 'redirect') {
          redirectTo = target;
          outcome = client.listCheckpoints(JOB);
        } else {
          const middleware: Middleware = {
            onRequest: ({ request }) => new Request(target, request),
          };
          outcome =
            route === 'client middleware'
              ? viaClientMiddleware(client, middleware)
              : viaPerCallMiddleware(client, middleware);
        }
        const result = await outcome.then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        redirectTo = undefined;
        expect(b.requests).toHaveLength(0);
        if (allowed) {
          expect(result).not.toHaveProperty('error');
          const followed = a.requests.filter((seen) => seen.query.has('followed'));
          expect(followed).toHaveLength(1);
          expect(followed[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
        } else {
          expect(result).toHaveProperty('error');
          const { error } = result as { error: unknown };
          // A URL with credentials cannot even become a Request: that middleware throws its own
          // error, again with nothing sent (client.raw hands it back as it is; a listing as a
          // CheckpointsError).
          const expected =
            route === 'redirect'
              ? InvalidResponseError
              : constructible(target)
                ? InvalidArgumentError
                : route === 'client middleware'
                  ? CheckpointsError
                  : TypeError;
          expect(error).toBeInstanceOf(expected);
          expect(leaks(error)).toEqual([]);
          // A saw only the request that answered with the redirect, never the redirected one.
          expect(a.requests.filter((seen) => seen.query.has('followed'))).toHaveLength(0);
          expect(a.requests).toHaveLength(route === 'redirect' ? 1 : 0);
        }
      }),
      { numRuns: 150 },
    );
  });

  /** Public hosts, spelt with their case, default ports and a trailing dot. */
  const publicOrigin = fc
    .record({
      scheme,
      userinfo,
      host: fc.constantFrom('api.openai.com', 'API.OpenAI.com', 'api.openai.com.', 'openai.com'),
      port: fc.constantFrom('', ':443', ':0443', ':80', ':8443'),
    })
    .map(({ scheme, userinfo, host, port }) => `${scheme}://${userinfo}${host}${port}`);

  it('against a public base URL: only its own origin, however spelt, is sent to', async () => {
    // A base URL on the internet, reached through a custom fetch that stands in for a proxy: it
    // records where each request would go, then forwards it to A.
    await fc.assert(
      fc.asyncProperty(publicOrigin, publicOrigin, async (base, origin) => {
        const baseUrl = URL.canParse(base) ? new URL(base) : undefined;
        fc.pre(baseUrl !== undefined && baseUrl.username === '' && baseUrl.password === '');
        const sentTo: string[] = [];
        const client = clientFor(`${base}/v1`, {
          ...FAIL_FAST,
          fetch: async (request) => {
            sentTo.push(request.url);
            return fetch(`${a.origin}${new URL(request.url).pathname}`, {
              headers: request.headers,
            });
          },
        });
        const target = `${origin}${ENDPOINT}`;
        const url = URL.canParse(target) ? new URL(target) : undefined;
        const allowed =
          url?.origin === baseUrl!.origin && url.username === '' && url.password === '';
        const result = await viaClientMiddleware(client, sendTo(target)).then(
          () => 'sent',
          (error: unknown) => error,
        );
        if (allowed) {
          expect(result).toBe('sent');
          expect(sentTo.map((sent) => new URL(sent).origin)).toEqual([baseUrl!.origin]);
        } else {
          expect(result).toBeInstanceOf(
            constructible(target) ? InvalidArgumentError : CheckpointsError,
          );
          expect(sentTo).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
