// Options of the wrong kind are refused when they are given, not when they fail later: an object
// that only looks like an AbortSignal, and headers that fetch does not let a request set, whether
// given to the client, per call on client.raw, or by a middleware. Each is an InvalidArgumentError
// before anything is sent, never a retried ConnectionError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckpointsClient, InvalidArgumentError } from '../src/index.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';
import { clientFor, JOB, KEY, PATH } from './helpers/client.js';
import { rejectionOf, thrownBy } from './helpers/outcomes.js';

const serve = serverPool();

describe('signal', () => {
  const notSignals: [string, unknown][] = [
    ['a plain object', {}],
    ['an object with addEventListener only', { addEventListener() {} }],
    [
      'an object with both listener methods but no `aborted`',
      { addEventListener() {}, removeEventListener() {} },
    ],
    ['a string', 'abort'],
    ['an AbortController (not its signal)', new AbortController()],
  ];

  it.each(notSignals)('%s is refused, and nothing is sent', async (_name, signal) => {
    const server = await serve(servePages(checkpoints(1)));
    const client = clientFor(server, { maxRetries: 3 });
    const error = await rejectionOf(
      client.listCheckpoints(JOB, {}, { signal: signal as AbortSignal }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'options.signal' });
    expect(server.requests).toHaveLength(0);
  });

  it('a signal of another realm (a duck-typed one) is accepted and honoured', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const real = new AbortController();
    const foreign = {
      get aborted() {
        return real.signal.aborted;
      },
      get reason() {
        return real.signal.reason as unknown;
      },
      addEventListener: real.signal.addEventListener.bind(real.signal),
      removeEventListener: real.signal.removeEventListener.bind(real.signal),
    } as AbortSignal;
    const page = await clientFor(server).listCheckpoints(JOB, {}, { signal: foreign });
    expect(page.data).toHaveLength(1);
    real.abort('stop');
    const error = await rejectionOf(
      clientFor(server).listCheckpoints(JOB, {}, { signal: foreign }),
    );
    expect(error).toMatchObject({ name: 'AbortError', cause: 'stop' });
  });
});

// The headers fetch refuses to send (Node's fails the request over each), in any letter case.
const FORBIDDEN = ['Connection', 'Expect', 'Keep-Alive', 'Transfer-Encoding', 'Upgrade'];
const anyCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) =>
      [...name].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(''),
    );
const forbiddenName = fc.constantFrom(...FORBIDDEN).chain(anyCase);

describe('headers fetch forbids', () => {
  it('are refused when the client is created (property)', () => {
    fc.assert(
      fc.property(forbiddenName, (name) => {
        const error = thrownBy(() =>
          createCheckpointsClient({ apiKey: KEY, headers: { [name]: 'value' } }),
        );
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect(error).toMatchObject({ argument: `headers[${JSON.stringify(name)}]` });
      }),
    );
  });

  it('are refused per call on client.raw and from a middleware, with nothing sent (property)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    await fc.assert(
      fc.asyncProperty(forbiddenName, fc.boolean(), async (name, fromMiddleware) => {
        const client = clientFor(server, { maxRetries: 3 });
        const params = { path: { fine_tuning_job_id: JOB } };
        if (fromMiddleware) {
          client.raw.use({
            onRequest: ({ request }) => {
              const headers = new Headers(request.headers);
              headers.set(name, 'value');
              return new Request(request, { headers });
            },
          });
        }
        const error = await rejectionOf(
          fromMiddleware
            ? client.listCheckpoints(JOB)
            : client.raw.GET(PATH, { params, headers: { [name]: 'value' } }),
        );
        expect(error).toBeInstanceOf(InvalidArgumentError);
      }),
      { numRuns: 60 },
    );
    expect(server.requests).toHaveLength(0);
  });

  it('other headers still go out as given', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const client = clientFor(server, { headers: { 'X-Trace-Id': 'trace-42' } });
    await client.raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
      headers: { 'X-Connection-Pool': 'a' },
    });
    expect(server.requests[0]?.headers['x-trace-id']).toBe('trace-42');
    expect(server.requests[0]?.headers['x-connection-pool']).toBe('a');
  });
});
