// The mock's request log: bounded (the most recent 10,000 by default, `maxRecordedRequests` to
// change it, none for `ft-checkpoints mock`, which nothing reads), and saying what was answered:
// each entry's `status`, and the fault applied with its parameters (`faultDetails`).
import { Agent, get } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createMockServer,
  DEFAULT_RECORDED_REQUESTS,
  generateCheckpoints,
  type MockServer,
  type MockServerOptions,
} from '../src/mock/index.js';
import { checkOptions } from '../src/mock/options.js';
import { CLI, startCli } from './helpers/cli.js';
import { serverPool } from './helpers/http.js';
import { AUTH, checkpointsUrl, getJson } from './helpers/mock-http.js';

const JOB = 'ftjob-log';
const jobs = { [JOB]: generateCheckpoints({ jobId: JOB, count: 30 }) };
const pool = serverPool();

async function start(options: Partial<MockServerOptions> = {}): Promise<MockServer> {
  return pool.track(await createMockServer({ jobs, ...options }));
}

/**
 * Sends `count` GETs over `sockets` keep-alive connections (fast: no fetch machinery), each
 * with an `x-pad` header of `padBytes`; resolves with the last status.
 */
async function hammer(
  url: string,
  count: number,
  { sockets = 8, padBytes = 0 }: { sockets?: number; padBytes?: number } = {},
): Promise<number> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const headers = { ...AUTH, 'x-pad': 'x'.repeat(padBytes) };
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const request = get(
        { host: target.hostname, port: target.port, path: target.pathname, agent, headers },
        (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)),
      );
      request.on('error', reject);
    });
  let sent = 0;
  let last = 0;
  try {
    await Promise.all(
      Array.from({ length: sockets }, async () => {
        while (sent < count) {
          sent++;
          last = await once();
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return last;
}

describe('class 6: the log is bounded', () => {
  it('keeps the most recent maxRecordedRequests; numbers keep counting', async () => {
    const mock = await start({ maxRecordedRequests: 3 });
    for (let i = 0; i < 5; i++) await getJson(checkpointsUrl(mock, JOB));
    expect(mock.requests.map((r) => r.number)).toEqual([3, 4, 5]);
    mock.requests.length = 0; // allowed: forgets, and numbering goes on
    await getJson(checkpointsUrl(mock, JOB));
    expect(mock.requests.map((r) => r.number)).toEqual([6]);

    const none = await start({ maxRecordedRequests: 0 });
    await getJson(checkpointsUrl(none, JOB));
    expect(none.requests).toEqual([]);
  });

  it(`keeps the most recent ${DEFAULT_RECORDED_REQUESTS} by default`, () => {
    // Checked on the options rather than with 10,001 requests (seconds of a shared CPU): the
    // bound itself is the test above.
    expect(DEFAULT_RECORDED_REQUESTS).toBe(10_000);
    expect(checkOptions({ jobs }).recordLimit).toBe(DEFAULT_RECORDED_REQUESTS);
    expect(checkOptions({ jobs, maxRecordedRequests: Infinity }).recordLimit).toBe(Infinity);
  });

  it('ft-checkpoints mock keeps none: fat requests do not fill a small heap', async () => {
    // 3,000 requests of 12 KB headers: 36 MB if kept, in a 24 MB heap. Kept, they end the
    // process out of memory after about 1,500; not kept, the mock serves them all.
    const mock = startCli(['mock', '--port', '0'], { PATH: process.env.PATH ?? '' }, [
      process.execPath,
      '--max-old-space-size=24',
      CLI,
      'mock',
      '--port',
      '0',
    ]);
    await mock.waitFor(/listening on http:\/\/\S+\/v1\n/);
    const url = /listening on (\S+)/.exec(mock.stdout())?.[1] ?? '';
    const status = await hammer(`${url}/fine_tuning/jobs/ftjob-demo/checkpoints?limit=1`, 3_000, {
      padBytes: 12_000,
    });
    expect(status).toBe(200);
    expect(mock.child.exitCode).toBeNull();
    mock.child.kill('SIGTERM');
    expect(await mock.done).toMatchObject({ code: 143, stderr: 'mock server stopped\n' });
  });
});

describe('issue 20 §3: each entry says what was answered', () => {
  it('records the status and the fault with its parameters', async () => {
    const mock = await start({
      faults: [
        { request: 1, kind: 'status', status: 429, retryAfter: '1', retryAfterMs: 50 },
        { request: 2, kind: 'slow-body', delayMs: 5 },
        { request: 3, kind: 'reset' },
        { request: 5, kind: 'truncated' },
      ],
    });
    await getJson(checkpointsUrl(mock, JOB));
    await getJson(checkpointsUrl(mock, JOB));
    await expect(fetch(checkpointsUrl(mock, JOB), { headers: AUTH })).rejects.toThrow();
    await getJson(checkpointsUrl(mock, 'ftjob-unknown'));
    const cut = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    await expect(cut.text()).rejects.toThrow();

    expect(
      mock.requests.map(({ number, status, fault, faultDetails }) => ({
        number,
        status,
        fault,
        faultDetails,
      })),
    ).toEqual([
      {
        number: 1,
        status: 429,
        fault: 'status',
        faultDetails: { kind: 'status', status: 429, retryAfter: '1', retryAfterMs: 50 },
      },
      {
        number: 2,
        status: 200,
        fault: 'slow-body',
        faultDetails: { kind: 'slow-body', delayMs: 5 },
      },
      { number: 3, status: undefined, fault: 'reset', faultDetails: { kind: 'reset' } },
      { number: 4, status: 404, fault: undefined, faultDetails: undefined },
      { number: 5, status: 200, fault: 'truncated', faultDetails: { kind: 'truncated' } },
    ]);
    expect(Object.isFrozen(mock.requests[0]?.faultDetails)).toBe(true);
  });

  it('for rate plans and fault functions too; no status while a reply is held back', async () => {
    const rate = await start({ faults: { rate: 1, kinds: [{ kind: 'status', status: 503 }] } });
    await getJson(checkpointsUrl(rate, JOB));
    expect(rate.requests[0]).toMatchObject({
      status: 503,
      faultDetails: { kind: 'status', status: 503 },
    });

    const decided = await start({
      faults: ({ number }) => (number === 1 ? { kind: 'hang' } : undefined),
    });
    const hanging = fetch(checkpointsUrl(decided, JOB), { headers: AUTH }).catch(() => 'closed');
    while (decided.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await getJson(checkpointsUrl(decided, JOB));
    expect(decided.requests.map((r) => [r.status, r.faultDetails])).toEqual([
      [undefined, { kind: 'hang' }],
      [200, undefined],
    ]);
    await decided.close();
    expect(await hanging).toBe('closed');
  });
});
