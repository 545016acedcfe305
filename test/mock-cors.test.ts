import { describe, expect, it } from 'vitest';
import { createMockServer, generateCheckpoints, type MockServer } from '../src/mock/index.js';
import { main } from '../src/cli/app.js';
import { AUTH, checkpointsUrl, getJson, mockServers } from './helpers/mock-http.js';

const JOB = 'ftjob-cors';
const jobs = { [JOB]: generateCheckpoints({ jobId: JOB, count: 12, seed: 5 }) };
const ORIGIN = 'http://127.0.0.1:5173';
// What a browser sends before a GET with an Authorization header from another origin.
const PREFLIGHT = {
  origin: ORIGIN,
  'access-control-request-method': 'GET',
  'access-control-request-headers': 'authorization, openai-organization, openai-project',
};

const start = mockServers();

function preflight(mock: MockServer): Promise<Response> {
  return fetch(checkpointsUrl(mock, JOB), { method: 'OPTIONS', headers: PREFLIGHT });
}

/** The comma-separated list in a header, lowercased, for order-free comparison. */
function listOf(headers: Headers, name: string): string[] {
  return (headers.get(name) ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '')
    .sort();
}

describe('mock server with cors: true', () => {
  it('answers a preflight with 204, the method and every header the client sends', async () => {
    const mock = await start({ jobs, cors: true });
    const response = await preflight(mock);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    expect(listOf(response.headers, 'access-control-allow-headers')).toEqual([
      'authorization',
      'content-type',
      'openai-organization',
      'openai-project',
    ]);
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('neither records nor numbers preflights, so a fault plan hits the same requests', async () => {
    const mock = await start({
      jobs,
      cors: true,
      faults: [{ kind: 'status', status: 503, request: 1 }],
    });
    await preflight(mock);
    await preflight(mock);
    const faulted = await getJson(checkpointsUrl(mock, JOB), {
      headers: { ...AUTH, origin: ORIGIN },
    });
    expect(faulted.status).toBe(503);
    expect(mock.requests.map((r) => [r.number, r.method, r.fault])).toEqual([[1, 'GET', 'status']]);
  });

  it('adds Allow-Origin and Expose-Headers to pages, errors and faulted replies', async () => {
    const mock = await start({
      jobs,
      cors: true,
      faults: [{ kind: 'status', status: 503, request: 2 }],
    });
    const page = await getJson(checkpointsUrl(mock, JOB, { limit: 5 }), {
      headers: { ...AUTH, origin: ORIGIN },
    });
    const fault = await getJson(checkpointsUrl(mock, JOB), {
      headers: { ...AUTH, origin: ORIGIN },
    });
    const notFound = await getJson(checkpointsUrl(mock, 'ftjob-missing'), {
      headers: { ...AUTH, origin: ORIGIN },
    });
    const unauthorized = await getJson(checkpointsUrl(mock, JOB), { headers: { origin: ORIGIN } });
    expect([page.status, fault.status, notFound.status, unauthorized.status]).toEqual([
      200, 503, 404, 401,
    ]);
    for (const { headers } of [page, fault, notFound, unauthorized]) {
      expect(headers.get('access-control-allow-origin')).toBe('*');
      expect(listOf(headers, 'access-control-expose-headers')).toEqual([
        'retry-after',
        'retry-after-ms',
        'x-request-id',
        'x-should-retry',
      ]);
    }
    expect((page.body as { data: unknown[] }).data).toHaveLength(5);
  });

  it('treats an OPTIONS without Access-Control-Request-Method as an ordinary request (405)', async () => {
    const mock = await start({ jobs, cors: true });
    const response = await getJson(checkpointsUrl(mock, JOB), { method: 'OPTIONS' });
    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(mock.requests).toHaveLength(1);
  });
});

describe('mock server without cors (the default)', () => {
  for (const cors of [undefined, false] as const) {
    it(`sends no CORS headers and refuses a preflight with 405 (cors: ${String(cors)})`, async () => {
      const mock = await start(cors === undefined ? { jobs } : { jobs, cors });
      const response = await preflight(mock);
      expect(response.status).toBe(405);
      const page = await getJson(checkpointsUrl(mock, JOB), {
        headers: { ...AUTH, origin: ORIGIN },
      });
      expect(page.status).toBe(200);
      for (const headers of [response.headers, page.headers]) {
        const cors = [...headers.keys()].filter((name) => name.startsWith('access-control-'));
        expect(cors).toEqual([]);
      }
      expect(mock.requests.map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
    });
  }

  it('refuses a cors option that is not a boolean, before listening', async () => {
    await expect(createMockServer({ jobs, cors: 'yes' as unknown as boolean })).rejects.toThrow(
      new TypeError('cors must be a boolean, got yes'),
    );
  });
});

describe('ft-checkpoints mock --cors', () => {
  async function serve(argv: string[]) {
    const controller = new AbortController();
    const chunks: string[] = [];
    const stdout = { write: (chunk: string) => chunks.push(chunk) };
    const done = main(argv, {
      stdout,
      stderr: { write: () => true },
      env: {},
      signal: controller.signal,
    });
    for (let i = 0; i < 200 && !chunks.join('').includes('listening on'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const url = /listening on (\S+)/.exec(chunks.join(''))?.[1];
    if (url === undefined) throw new Error(`no banner in ${JSON.stringify(chunks.join(''))}`);
    return { url, stop: () => (controller.abort('SIGINT'), done) };
  }

  for (const [argv, expected] of [
    [['mock', '--port', '0', '--cors'], { status: 204, origin: '*' }],
    [['mock', '--port', '0'], { status: 405, origin: null }],
  ] as const) {
    it(`${argv.join(' ')}: preflight ${expected.status}`, async () => {
      const server = await serve([...argv]);
      try {
        const response = await fetch(`${server.url}/fine_tuning/jobs/ftjob-demo/checkpoints`, {
          method: 'OPTIONS',
          headers: PREFLIGHT,
        });
        expect(response.status).toBe(expected.status);
        expect(response.headers.get('access-control-allow-origin')).toBe(expected.origin);
      } finally {
        // Ctrl+C ends the mock with 130, as its help says.
        expect(await server.stop()).toBe(130);
      }
    });
  }
});
