// Redirects the client refuses once, as the server's fault (InvalidResponseError, not retried):
// a same-origin Location that carries credentials (user:pass@), and a Location that is not a URL.
// Both used to fail inside fetch as a ConnectionError and be retried. A refused redirect's body is
// released, also when a custom fetch produced it.
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../src/index.js';
import { checkpoint, pageBody, sendJson, serverPool } from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';
import { rejectionOf } from './helpers/outcomes.js';
import { leaks } from './helpers/security.js';

const serve = serverPool();

describe.each([301, 302, 303, 307, 308])('a %i redirect', (status) => {
  const refused: [string, (origin: string) => string, RegExp][] = [
    [
      'to its own origin with user:pass@',
      (origin) => origin.replace('//', '//user:hunter2pw@') + '/v1/x',
      /carries credentials/,
    ],
    [
      'to its own origin with user@',
      (origin) => origin.replace('//', '//user@') + '/v1/x',
      /carries credentials/,
    ],
    ['to a Location that is not a URL', () => 'http://[not-a-host/v1/x', /Location is not a URL/],
    ['to a Location with a bad port', () => 'http://127.0.0.1:99999/v1/x', /Location is not a URL/],
  ];

  it.each(refused)(
    '%s: InvalidResponseError, once, not retried',
    async (_name, location, message) => {
      const server = await serve((req, res) => {
        if (req.url?.startsWith('/v1/x'))
          return sendJson(res, 200, pageBody([checkpoint('followed', 1)], false));
        res.writeHead(status, { location: location(server.origin), 'content-length': '0' });
        res.end();
      });
      const error = await rejectionOf(clientFor(server, { maxRetries: 3 }).listCheckpoints(JOB));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('hunter2pw');
      expect(leaks(error)).toEqual([]);
      expect(server.requests).toHaveLength(1);
    },
  );
});

it("a refused redirect's body is cancelled, also from a custom fetch", async () => {
  const server = await serve((_req, res) => sendJson(res, 200, pageBody([], false)));
  let cancelled = false;
  const client = clientFor(server, {
    maxRetries: 0,
    fetch: async () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(new TextEncoder().encode('moved'));
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 302, headers: { location: 'http://[broken' } },
      ),
  });
  const error = await rejectionOf(client.listCheckpoints(JOB));
  expect(error).toBeInstanceOf(InvalidResponseError);
  expect(cancelled).toBe(true);
});
