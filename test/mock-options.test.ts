// The mock trusts nothing it is given: every option that becomes a timer fits in one (a larger
// delay would fire after 1 ms), and every fault of a plan is checked whole (kind, fields, types,
// ranges, header-safe text) with a TypeError or RangeError before anything listens. What cannot
// be checked up front (a fault function's answer, data that does not serialise) fails that one
// request with a 500, never the host process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMockServer,
  generateCheckpoints,
  type FaultPlan,
  type MockServer,
  type MockServerOptions,
} from '../src/mock/index.js';
import { serverPool } from './helpers/http.js';
import { AUTH, checkpointsUrl, getJson } from './helpers/mock-http.js';

const JOB = 'ftjob-options';
const jobs = { [JOB]: generateCheckpoints({ jobId: JOB, count: 3 }) };
const MAX_TIMER = 2 ** 31 - 1;
const pool = serverPool();

/** The error `createMockServer` rejects with, or the started (tracked) server. */
async function attempt(options: Partial<MockServerOptions>): Promise<unknown> {
  try {
    return pool.track(await createMockServer({ jobs, ...options }));
  } catch (error) {
    return error;
  }
}

const plan = (fault: Record<string, unknown>): FaultPlan =>
  [{ request: 1, ...fault }] as unknown as FaultPlan;

/** Numbers a delay can be: in range, just past it, far past it, negative, not finite. */
const delays = fc.oneof(
  fc.integer({ min: 0, max: MAX_TIMER }),
  fc.double({ min: 0, max: MAX_TIMER, noNaN: true }),
  fc.integer({ min: MAX_TIMER + 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(-1, -0.5, 2 ** 31, 1e12, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE),
);
const inTimerRange = (ms: number) => ms >= 0 && ms <= MAX_TIMER;

describe('class 2: options that become timers', () => {
  it('latencyMs: accepted exactly when a timer can hold it, else a RangeError', async () => {
    await fc.assert(
      fc.asyncProperty(delays, async (latencyMs) => {
        const outcome = await attempt({ latencyMs });
        if (inTimerRange(latencyMs)) {
          expect(outcome).toHaveProperty('url');
          await (outcome as MockServer).close();
        } else {
          expect(outcome).toBeInstanceOf(RangeError);
          expect((outcome as Error).message).toMatch(/^latencyMs must be from 0 to 2147483647/);
        }
      }),
      { numRuns: 40 },
    );
    expect(await attempt({ latencyMs: '5' as unknown as number })).toBeInstanceOf(TypeError);
  });

  it('a slow-body delayMs: the same bound, in a schedule and in a rate plan', async () => {
    await fc.assert(
      fc.asyncProperty(delays, async (delayMs) => {
        const fault = { kind: 'slow-body', delayMs };
        for (const faults of [plan(fault), { rate: 0.5, kinds: [fault] } as FaultPlan]) {
          const outcome = await attempt({ faults });
          if (inTimerRange(delayMs)) {
            expect(outcome).toHaveProperty('url');
            await (outcome as MockServer).close();
          } else {
            expect(outcome).toBeInstanceOf(RangeError);
            expect((outcome as Error).message).toMatch(/"delayMs" must be .* from 0 to 2147483647/);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('class 6: a fault plan is checked whole, before listening', () => {
  it('a retryAfter is sent as given, or refused if it is not a header value', async () => {
    // Every string: printable ASCII, Latin-1, line breaks, controls, beyond Latin-1, surrogates.
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\r', '\n', '\t', ' ', '\0', '\x7f', 'é', 'ÿ', '€', '\u2028', '\ud800'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        fc.constantFrom('1', '2', '0', 'W', 'e', 'd', ','),
      ),
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(text, async (retryAfter) => {
        const outcome = await attempt({
          faults: plan({ kind: 'status', status: 503, retryAfter }),
        });
        const headerSafe = /^[\t\x20-\x7e\x80-\xff]*$/.test(retryAfter);
        if (!headerSafe) {
          expect(outcome).toBeInstanceOf(TypeError);
          expect((outcome as Error).message).toMatch(/"retryAfter" must be a valid header value/);
          return;
        }
        const mock = outcome as MockServer;
        const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
        await response.text();
        expect(response.status).toBe(503);
        // fetch reads header bytes as Latin-1; HTTP lets either side trim the ends (OWS).
        const trim = (value: string | null) => value?.replace(/^[\t ]+|[\t ]+$/g, '');
        expect(trim(response.headers.get('retry-after'))).toBe(trim(retryAfter));
        await mock.close();
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a field of the wrong type, out of range, or unknown to its kind', async () => {
    const refused: [Record<string, unknown> | FaultPlan, ErrorConstructor][] = [
      [{ kind: 'status', status: 503, body: 5 }, TypeError],
      [{ kind: 'status', status: 503, body: { error: 'x' } }, TypeError],
      [{ kind: 'status', status: 503, retryAfter: 5 }, TypeError],
      [{ kind: 'status', status: 503, retryAfterMs: -1 }, RangeError],
      [{ kind: 'status', status: 503, retryAfterMs: Infinity }, RangeError],
      [{ kind: 'status', status: 503, retryAfterMs: '50' }, TypeError],
      [{ kind: 'status', status: 503, shouldRetry: 'yes' }, TypeError],
      [{ kind: 'status', status: '503' }, TypeError],
      [{ kind: 'status', status: 503.5 }, RangeError],
      [{ kind: 'status', status: 204, body: 'no room for this' }, TypeError],
      [{ kind: 'slow-body', delayMS: 10 }, TypeError],
      [{ kind: 'reset', status: 500 }, TypeError],
      [{ kind: 'status', status: 503, retryAfterMS: 50 }, TypeError],
    ];
    for (const [fault, error] of refused) {
      const outcome = await attempt({ faults: plan(fault as Record<string, unknown>) });
      expect(outcome, JSON.stringify(fault)).toBeInstanceOf(error);
    }
    const ratePlans: unknown[] = [
      { rate: 0.5, kinds: [{ kind: 'reset' }], seed: 1 },
      { rate: 0.5, kinds: [{ kind: 'status', status: 503, body: 1 }] },
      'reset',
    ];
    for (const faults of ratePlans) {
      expect(await attempt({ faults: faults as FaultPlan })).toBeInstanceOf(TypeError);
    }
  });

  it('refuses other options of the wrong kind', async () => {
    const refused: [Partial<MockServerOptions>, ErrorConstructor][] = [
      [{ apiKey: 42 as unknown as string }, TypeError],
      [{ seed: 'x' as unknown as number }, TypeError],
      [{ port: 70_000 }, RangeError],
      [{ maxRecordedRequests: -1 }, RangeError],
      [{ maxRecordedRequests: 1.5 }, RangeError],
      [{ jobs: null as unknown as MockServerOptions['jobs'] }, TypeError],
    ];
    for (const [options, error] of refused) {
      expect(await attempt(options), JSON.stringify(options)).toBeInstanceOf(error);
    }
  });

  it('sends a status without content (204, 205, 304) without a body or a false length', async () => {
    for (const status of [204, 205, 304]) {
      const mock = (await attempt({ faults: plan({ kind: 'status', status }) })) as MockServer;
      const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
      expect(response.status).toBe(status);
      expect(await response.text()).toBe('');
      expect(response.headers.get('content-length')).toBe(status === 205 ? '0' : null);
      await mock.close();
    }
  });

  it('copies the plan: changing it after creation cannot slip a bad fault in', async () => {
    const schedule = [{ request: 1, kind: 'status' as const, status: 503, retryAfter: '1' }];
    const mock = (await attempt({ faults: schedule })) as MockServer;
    schedule[0]!.retryAfter = '1\r\nx-injected: yes';
    const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-injected')).toBeNull();
  });
});

describe('class 6: what cannot be checked up front fails one request, not the host', () => {
  it("a fault function's bad answer is a 500 naming it; the server goes on serving", async () => {
    const answers: unknown[] = [
      { kind: 'status', status: 503, retryAfter: 'a\nb' },
      { kind: 'slow-body', delayMs: 2 ** 31 },
      { kind: 'status', status: 503, body: 7 },
      'reset',
    ];
    const mock = (await attempt({
      faults: ({ number }) => answers[number - 1] as never,
    })) as MockServer;
    for (const [i, expected] of [
      /"retryAfter" must be a valid header value/,
      /"delayMs" must be a number of milliseconds/,
      /"body" must be a string/,
      /a fault must be an object/,
    ].entries()) {
      const { status, body } = await getJson(checkpointsUrl(mock, JOB));
      expect(status).toBe(500);
      expect((body as { error: { message: string } }).error.message).toMatch(
        new RegExp(`fault function's answer for request ${i + 1}: .*${expected.source}`),
      );
    }
    expect((await getJson(checkpointsUrl(mock, JOB))).status).toBe(200);
    expect(mock.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 200]);
  });

  it('data that does not serialise is a 500 for that request, not a crash', async () => {
    const [first] = generateCheckpoints({ jobId: JOB, count: 1 });
    const unserialisable = { ...first!, metrics: { step: 1n as unknown as number } };
    const mock = (await attempt({
      jobs: { [JOB]: [unserialisable], 'ftjob-ok': [] },
    })) as MockServer;
    const { status, body } = await getJson(checkpointsUrl(mock, JOB));
    expect(status).toBe(500);
    expect((body as { error: { message: string } }).error.message).toMatch(
      /^The mock could not answer: .*BigInt/,
    );
    expect((await getJson(checkpointsUrl(mock, 'ftjob-ok'))).status).toBe(200);
  });
});
