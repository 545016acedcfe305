import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../generated/checkpoints.js';
import {
  createMockServer,
  generateCheckpoints,
  JobsFileError,
  loadJobsFile,
  parseJobs,
  type Fault,
  type FaultContext,
  type MockServer,
} from '../src/mock/index.js';
import {
  AUTH,
  checkpointsUrl,
  getJson,
  rawGet,
  walkPages,
  mockServers,
} from './helpers/mock-http.js';
import { tempFolders } from './helpers/temp.js';

type FineTuningJobCheckpoint = components['schemas']['FineTuningJobCheckpoint'];
type ListResponse = components['schemas']['ListFineTuningJobCheckpointsResponse'];
type ErrorResponse = components['schemas']['ErrorResponse'];

const JOB = 'ftjob-abc123';

function checkpoint(
  id: string,
  createdAt: number,
  step: number,
  job = JOB,
): FineTuningJobCheckpoint {
  return {
    object: 'fine_tuning.job.checkpoint',
    id,
    created_at: createdAt,
    fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:abcdefgh:ckpt-step-${step}`,
    fine_tuning_job_id: job,
    metrics: { step, train_loss: 0.5 },
    step_number: step,
  };
}

/** A job of 30 checkpoints, for tests that need data but not specific data. */
const jobs = { [JOB]: generateCheckpoints({ jobId: JOB, count: 30, seed: 3 }) };

const start = mockServers();

/** Fetches the default job's first page with the given query and init. */
function list(mock: MockServer, query: Record<string, string | number> = {}, init?: RequestInit) {
  return getJson(checkpointsUrl(mock, JOB, query), init);
}

function expectError(
  body: unknown,
  expected: { type?: string; param: string | null; code: string | null },
): void {
  const { error } = body as ErrorResponse;
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error.type).toBe(expected.type ?? 'invalid_request_error');
  expect(error.param).toBe(expected.param);
  expect(error.code).toBe(expected.code);
  expect(error.message.length).toBeGreaterThan(0);
}

describe('serving checkpoints', () => {
  it('serves newest first: created_at desc, then step_number desc, ties stable', async () => {
    const input = [
      checkpoint('ftckpt_a', 100, 1),
      checkpoint('ftckpt_b', 300, 3),
      checkpoint('ftckpt_c', 200, 5),
      checkpoint('ftckpt_d', 200, 7), // same second as c, later step: comes first
      checkpoint('ftckpt_e', 200, 5), // equal to c on both keys: keeps input order after c
    ];
    const snapshot = structuredClone(input);
    const mock = await start({ jobs: { [JOB]: input } });
    const { status, body } = await list(mock);
    expect(status).toBe(200);
    expect((body as ListResponse).data.map((c) => c.id)).toEqual([
      'ftckpt_b',
      'ftckpt_d',
      'ftckpt_c',
      'ftckpt_e',
      'ftckpt_a',
    ]);
    expect(input).toEqual(snapshot); // the caller's array is not sorted in place
  });

  it('answers a page in the spec shape with first_id/last_id of its ends', async () => {
    const data = generateCheckpoints({ jobId: JOB, count: 5, seed: 1 });
    const mock = await start({ jobs: { [JOB]: data } });
    const { body } = await list(mock, { limit: 2 });
    const page = body as ListResponse;
    expect(Object.keys(page)).toEqual(['object', 'data', 'first_id', 'last_id', 'has_more']);
    expect(page.object).toBe('list');
    expect(page.data).toEqual([data[4], data[3]]);
    expect(page.first_id).toBe(data[4]?.id);
    expect(page.last_id).toBe(data[3]?.id);
    expect(page.has_more).toBe(true);
  });

  it('uses 10 per page without limit, or the pageSize option', async () => {
    const jobs = { [JOB]: generateCheckpoints({ jobId: JOB, count: 25 }) };
    const byDefault = await start({ jobs });
    expect(((await list(byDefault)).body as ListResponse).data).toHaveLength(10);
    const custom = await start({ jobs, pageSize: 4 });
    expect(((await list(custom)).body as ListResponse).data).toHaveLength(4);
  });

  it('walks every checkpoint exactly once, in order, via after/limit', async () => {
    const data = generateCheckpoints({ jobId: JOB, count: 95, seed: 7 });
    const mock = await start({ jobs: { [JOB]: data } });
    const pages = await walkPages(mock, JOB, 7);
    expect(pages).toHaveLength(14);
    const ids = pages.flatMap((page) => page.data.map((c) => c.id));
    expect(ids).toEqual(data.map((c) => c.id).reverse());
    expect(new Set(ids).size).toBe(95);
    expect(pages.slice(0, -1).every((page) => page.has_more && page.data.length === 7)).toBe(true);
    expect(pages.at(-1)?.has_more).toBe(false);
    expect(pages.at(-1)?.data).toHaveLength(4);
  });

  it('answers an empty page with null ids, for an empty job and after the last checkpoint', async () => {
    const data = generateCheckpoints({ jobId: JOB, count: 3 });
    const mock = await start({ jobs: { [JOB]: data, 'ftjob-empty': [] } });
    const empty = { object: 'list', data: [], first_id: null, last_id: null, has_more: false };
    expect((await getJson(checkpointsUrl(mock, 'ftjob-empty'))).body).toEqual(empty);
    expect((await list(mock, { after: data[0]?.id ?? '' })).body).toEqual(empty);
  });

  it('accepts limit up to maxLimit (default 100)', async () => {
    const mock = await start({ jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 120 }) } });
    const { status, body } = await list(mock, { limit: 100 });
    expect(status).toBe(200);
    expect((body as ListResponse).data).toHaveLength(100);
  });

  it('adds content-type and x-request-id req_<n> to every response', async () => {
    const mock = await start({
      jobs: { [JOB]: [] },
      faults: [{ request: 4, kind: 'status', status: 500 }],
    });
    const responses = [
      await list(mock),
      await list(mock, {}, { headers: {} }),
      await getJson(`${mock.url}/nope`),
      await list(mock),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 404, 500]);
    responses.forEach((response, i) => {
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-request-id')).toBe(`req_${i + 1}`);
    });
  });

  it('waits latencyMs before answering', async () => {
    const mock = await start({ jobs: { [JOB]: [] }, latencyMs: 80 });
    const t0 = performance.now();
    expect((await list(mock)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(75);
  });

  it('listens on 127.0.0.1 under /v1', async () => {
    const mock = await start({ jobs: {} });
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });
});

describe('errors', () => {
  it('401s a missing, empty, non-bearer or (with apiKey) wrong token', async () => {
    const open = await start({ jobs: { [JOB]: [] } });
    const noToken: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ' },
      { authorization: 'Basic dTpw' },
    ];
    for (const headers of noToken) {
      const { status, body } = await list(open, {}, { headers });
      expect(status).toBe(401);
      expectError(body, { param: null, code: 'invalid_api_key' });
    }
    expect((await list(open, {}, { headers: { authorization: 'bearer anything' } })).status).toBe(
      200,
    );

    const secret = 'sk-proj-0123456789abcdefSECRET';
    const locked = await start({ jobs: { [JOB]: [] }, apiKey: secret });
    const wrongKey = 'sk-proj-wrong-key-9876543210';
    const wrong = await list(locked, {}, { headers: { authorization: `Bearer ${wrongKey}` } });
    expect(wrong.status).toBe(401);
    expectError(wrong.body, { param: null, code: 'invalid_api_key' });
    expect(JSON.stringify(wrong.body)).not.toContain(wrongKey); // the key is masked
    const right = await list(locked, {}, { headers: { authorization: `Bearer ${secret}` } });
    expect(right.status).toBe(200);
  });

  it('404s an unknown job with fine_tune_not_found', async () => {
    const mock = await start({ jobs: { [JOB]: [] } });
    const { status, body } = await getJson(checkpointsUrl(mock, 'ftjob-unknown'));
    expect(status).toBe(404);
    expectError(body, { param: 'fine_tuning_job_id', code: 'fine_tune_not_found' });
    expect((body as ErrorResponse).error.message).toBe(
      'Could not find fine-tuning job: ftjob-unknown.',
    );
  });

  it('checks auth before the job, so an unauthenticated probe learns nothing', async () => {
    const mock = await start({ jobs: { [JOB]: [] } });
    const { status } = await getJson(checkpointsUrl(mock, 'ftjob-unknown'), { headers: {} });
    expect(status).toBe(401);
  });

  it('URL-decodes the job id: an encoded .. or a prototype key never matches a job', async () => {
    const mock = await start({ jobs: { [JOB]: [] } });
    const encoded = await rawGet(mock, '/v1/fine_tuning/jobs/ftjob%2Dabc123/checkpoints');
    expect(encoded.status).toBe(200);
    expect(mock.requests[0]?.jobId).toBe(JOB);
    // Sent raw: fetch would resolve a %2E%2E segment itself and never send it.
    const ids = ['%2E%2E', '%2e%2e%2F%2e%2e', '..%2Fftjob-abc123', 'constructor', '__proto__'];
    for (const id of ids) {
      const { status, body } = await rawGet(mock, `/v1/fine_tuning/jobs/${id}/checkpoints`);
      expect(status, id).toBe(404);
      expectError(body, { param: 'fine_tuning_job_id', code: 'fine_tune_not_found' });
    }
    expect(mock.requests.slice(1, 4).map((r) => r.jobId)).toEqual([
      '..',
      '../..',
      '../ftjob-abc123',
    ]);
    expect(mock.requests[1]?.path).toBe('/v1/fine_tuning/jobs/%2E%2E/checkpoints');
  });

  it('404s any other path in the error envelope', async () => {
    const mock = await start({ jobs: { [JOB]: [] } });
    const paths = [
      '/v1/fine_tuning/jobs/',
      `/v1/fine_tuning/jobs/${JOB}/checkpoints/`,
      `/v1/fine_tuning/jobs/${JOB}/`,
      `/v1/fine_tuning/jobs/${JOB}/events`,
      `/fine_tuning/jobs/${JOB}/checkpoints`,
      `/fine_tuning/jobs/${JOB}`,
      '/v1/fine_tuning/jobs//checkpoints',
      '/v1/fine_tuning/jobs/%E0%A4%A/checkpoints', // malformed escape
    ];
    const origin = new URL(mock.url).origin;
    for (const path of paths) {
      const { status, body } = await getJson(origin + path);
      expect(status, path).toBe(404);
      expectError(body, { param: null, code: null });
      expect((body as ErrorResponse).error.message).toContain(path);
    }
  });

  it('405s another method on the checkpoints path, with Allow: GET', async () => {
    const mock = await start({ jobs: { [JOB]: [] } });
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const { status, headers, body } = await getJson(checkpointsUrl(mock, JOB), {
        method,
        headers: AUTH,
      });
      expect(status).toBe(405);
      expect(headers.get('allow')).toBe('GET');
      expectError(body, { param: null, code: null });
    }
  });

  it('400s a limit that is not a positive integer or exceeds maxLimit', async () => {
    const mock = await start({ jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 3 }) } });
    for (const limit of ['0', '-1', 'abc', '1.5', '', '1e1', '101', '99999999999999999999']) {
      const { status, body } = await list(mock, { limit });
      expect(status, `limit=${limit}`).toBe(400);
      expectError(body, { param: 'limit', code: (body as ErrorResponse).error.code });
    }
    expect(((await list(mock, { limit: '0' })).body as ErrorResponse).error.code).toBe(
      'integer_below_min_value',
    );
    expect(((await list(mock, { limit: '101' })).body as ErrorResponse).error.code).toBe(
      'integer_above_max_value',
    );
    const small = await start({ jobs: { [JOB]: [] }, maxLimit: 5 });
    expect((await list(small, { limit: 5 })).status).toBe(200);
    expect((await list(small, { limit: 6 })).status).toBe(400);
  });

  it('400s an after that is not a checkpoint of this job', async () => {
    const other = generateCheckpoints({ jobId: 'ftjob-other', count: 2 });
    const mock = await start({
      jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 3 }), 'ftjob-other': other },
    });
    for (const after of ['ftckpt_nope', '', other[0]?.id ?? '']) {
      const { status, body } = await list(mock, { after });
      expect(status).toBe(400);
      expectError(body, { param: 'after', code: null });
    }
  });
});

describe('recording', () => {
  it('records every request, rejected and faulted ones included, with lowercased headers', async () => {
    const mock = await start({
      jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 3 }) },
      faults: [{ request: 4, kind: 'reset' }],
    });
    await list(mock, { limit: 2 }, { headers: { ...AUTH, 'X-Custom-Header': 'Value' } });
    await list(mock, {}, { headers: {} });
    await getJson(`${mock.url}/other?x=1`);
    await expect(list(mock)).rejects.toThrow();

    expect(mock.requests.map((r) => r.number)).toEqual([1, 2, 3, 4]);
    const [first, second, third, fourth] = mock.requests;
    expect(first).toMatchObject({
      method: 'GET',
      path: `/v1/fine_tuning/jobs/${JOB}/checkpoints`,
      url: `/v1/fine_tuning/jobs/${JOB}/checkpoints?limit=2`,
      query: { limit: '2' },
      jobId: JOB,
    });
    expect(first?.fault).toBeUndefined();
    expect(first?.headers['x-custom-header']).toBe('Value');
    expect(first?.headers.authorization).toBe(AUTH.authorization);
    expect(second?.headers.authorization).toBeUndefined();
    expect(third).toMatchObject({ path: '/v1/other', query: { x: '1' } });
    expect(third?.jobId).toBeUndefined();
    expect(fourth?.fault).toBe('reset');
  });

  it('keeps the first value of a repeated query parameter', async () => {
    const mock = await start({ jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 5 }) } });
    const { body } = await getJson(`${checkpointsUrl(mock, JOB)}?limit=1&limit=3`);
    expect((body as ListResponse).data).toHaveLength(1);
    expect(mock.requests[0]?.query).toEqual({ limit: '1' });
  });
});

describe('faults', () => {
  it('status: sends the status, retry headers and a matching error envelope', async () => {
    const mock = await start({
      jobs,
      faults: [
        {
          request: 1,
          kind: 'status',
          status: 429,
          retryAfter: '2',
          retryAfterMs: 1500,
          shouldRetry: false,
        },
        { request: 2, kind: 'status', status: 503 },
        { request: 3, kind: 'status', status: 500, body: '' },
        { request: 4, kind: 'status', status: 502, body: 'upstream exploded' },
        { request: 5, kind: 'status', status: 409 },
      ],
    });
    const limited = await list(mock);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    expect(limited.headers.get('x-should-retry')).toBe('false');
    expectError(limited.body, { type: 'requests', param: null, code: 'rate_limit_exceeded' });

    const unavailable = await list(mock);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    expectError(unavailable.body, { type: 'server_error', param: null, code: null });

    const empty = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(empty.status).toBe(500);
    expect(await empty.text()).toBe('');

    const raw = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(raw.status).toBe(502);
    expect(await raw.text()).toBe('upstream exploded');

    const conflict = await list(mock);
    expect(conflict.status).toBe(409);
    expectError(conflict.body, { param: null, code: null });
    expect((await list(mock)).status).toBe(200); // the schedule is over
  });

  it('reset: the connection drops before any byte, so fetch itself fails', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'reset' }] });
    await expect(fetch(checkpointsUrl(mock, JOB), { headers: AUTH })).rejects.toThrow(TypeError);
    expect((await list(mock)).status).toBe(200);
    expect(mock.requests.map((r) => r.fault)).toEqual(['reset', undefined]);
  });

  it('hang: never answers, can be aborted, and close() ends it promptly', async () => {
    const mock = await createMockServer({ jobs, faults: () => ({ kind: 'hang' }) });
    const aborted = fetch(checkpointsUrl(mock, JOB), {
      headers: AUTH,
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow(/abort|timeout/i);

    const pending = fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.requests).toHaveLength(2);
    const t0 = performance.now();
    await mock.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
  });

  it('slow-body: headers and half the body arrive, then the rest after delayMs', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'slow-body', delayMs: 800 }] });
    const t0 = performance.now();
    const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    const reader = response.body!.getReader();
    const firstChunk = await reader.read();
    const firstAt = performance.now() - t0;
    const chunks = [firstChunk.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const endAt = performance.now() - t0;
    // Relative timings, so a loaded machine delaying everything does not fail the test.
    expect(endAt).toBeGreaterThanOrEqual(790);
    expect(endAt - firstAt).toBeGreaterThan(400); // the first half came well before the rest
    const text = Buffer.concat(chunks).toString('utf8');
    expect(firstChunk.value!.length).toBeLessThan(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual((await list(mock)).body); // same body, just slow
  });

  it('truncated: full content-length, half the body, then the connection dies', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'truncated' }] });
    const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100);
    await expect(response.text()).rejects.toThrow();
  });

  it('malformed-json: 200 application/json that does not parse', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'malformed-json' }] });
    const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('wrong-content-type: 200 with an HTML body', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'wrong-content-type' }] });
    const response = await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('bad-shape: 200 JSON whose data is an object, not an array', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'bad-shape' }] });
    const { status, body } = await list(mock, { limit: 3 });
    expect(status).toBe(200);
    const { data } = body as { data: unknown };
    expect(Array.isArray(data)).toBe(false);
    expect(typeof data).toBe('object');
    expect(data).not.toBeNull();
  });

  it('repeat-cursor: the page after a cursor comes back ending at that same cursor', async () => {
    const mock = await start({ jobs, faults: [{ request: 2, kind: 'repeat-cursor' }] });
    const first = (await list(mock, { limit: 5 })).body as ListResponse;
    const after = first.last_id!;
    const repeated = (await list(mock, { limit: 5, after })).body as ListResponse;
    expect(repeated.last_id).toBe(after);
    expect(repeated.has_more).toBe(true);
    expect(repeated).toEqual(first); // the same page again: a naive client would loop
    expect(mock.requests[1]?.fault).toBe('repeat-cursor');
    const next = (await list(mock, { limit: 5, after })).body as ListResponse;
    expect(next.data[0]?.id).not.toBe(first.data[0]?.id); // one-shot: then the cursor advances
  });

  it('repeat-cursor on a request without after waits for the next one with after', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'repeat-cursor' }] });
    const first = (await list(mock, { limit: 4 })).body as ListResponse;
    expect(first.data).toHaveLength(4);
    await list(mock, {}, { headers: {} }); // a 401 has no cursor either
    const repeated = (await list(mock, { limit: 4, after: first.last_id! })).body as ListResponse;
    expect(repeated.last_id).toBe(first.last_id);
    expect(mock.requests.map((r) => r.fault)).toEqual([undefined, undefined, 'repeat-cursor']);
  });

  it('no-cursor: an empty page that claims more', async () => {
    const mock = await start({ jobs, faults: [{ request: 1, kind: 'no-cursor' }] });
    const { status, body } = await list(mock);
    expect(status).toBe(200);
    expect(body).toEqual({
      object: 'list',
      data: [],
      first_id: null,
      last_id: null,
      has_more: true,
    });
  });

  it('schedules faults by request number across the server', async () => {
    const mock = await start({
      jobs: { [JOB]: [], 'ftjob-2': [] },
      faults: [
        { request: 2, kind: 'status', status: 500 },
        { request: 4, kind: 'status', status: 503 },
      ],
    });
    const statuses = [];
    for (const job of [JOB, 'ftjob-2', JOB, 'ftjob-2', JOB]) {
      statuses.push((await getJson(checkpointsUrl(mock, job))).status);
    }
    expect(statuses).toEqual([200, 500, 200, 503, 200]);
    expect(mock.requests.map((r) => r.fault)).toEqual([
      undefined,
      'status',
      undefined,
      'status',
      undefined,
    ]);
  });

  it('a seeded rate plan is deterministic for a seed and differs for another', async () => {
    const run = async (seed: number) => {
      const mock = await start({
        jobs,
        seed,
        faults: { rate: 0.3, kinds: [{ kind: 'status', status: 500 }, { kind: 'no-cursor' }] },
      });
      for (let i = 0; i < 60; i++) await fetch(checkpointsUrl(mock, JOB), { headers: AUTH });
      return mock.requests.map((r) => r.fault ?? '-').join(',');
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const faulted = a.split(',').filter((f) => f !== '-').length;
    expect(faulted).toBeGreaterThan(5); // ~18 expected at rate 0.3
    expect(faulted).toBeLessThan(35);
    expect(a).toContain('status');
    expect(a).toContain('no-cursor');
  });

  it('a fault function sees the request and decides per request', async () => {
    const seen: FaultContext[] = [];
    const mock = await start({
      jobs,
      faults: (ctx): Fault | undefined => {
        seen.push(ctx);
        return ctx.query.after === undefined ? undefined : { kind: 'status', status: 500 };
      },
    });
    const first = (await list(mock, { limit: 2 })).body as ListResponse;
    expect((await list(mock, { after: first.last_id! })).status).toBe(500);
    expect(seen).toEqual([
      { number: 1, jobId: JOB, operation: 'listFineTuningJobCheckpoints', query: { limit: '2' } },
      {
        number: 2,
        jobId: JOB,
        operation: 'listFineTuningJobCheckpoints',
        query: { after: first.last_id },
      },
    ]);
  });

  it('a throwing fault function answers 500 naming the problem', async () => {
    const mock = await start({
      jobs,
      faults: () => {
        throw new Error('boom');
      },
    });
    const { status, body } = await list(mock);
    expect(status).toBe(500);
    expect((body as ErrorResponse).error.message).toContain('boom');
  });
});

describe('options and lifecycle', () => {
  it('rejects invalid options up front', async () => {
    const dup = [checkpoint('ftckpt_x', 1, 1), checkpoint('ftckpt_x', 2, 2)];
    await expect(createMockServer({ jobs: { [JOB]: dup } })).rejects.toThrow(/two checkpoints/);
    await expect(createMockServer({ jobs: {}, pageSize: 0 })).rejects.toThrow(RangeError);
    await expect(createMockServer({ jobs: {}, maxLimit: 1.5 })).rejects.toThrow(RangeError);
    await expect(createMockServer({ jobs: {}, latencyMs: -1 })).rejects.toThrow(RangeError);
    // A wrong type or an unknown kind is a TypeError; a number out of range a RangeError.
    const bad: [unknown, typeof TypeError | typeof RangeError][] = [
      [[{ request: 1, kind: 'explode' }], TypeError],
      [[{ request: 0, kind: 'reset' }], RangeError],
      [[{ request: 1, kind: 'status', status: 700 }], RangeError],
      [[{ request: 1, kind: 'slow-body' }], TypeError],
      [
        [
          { request: 1, kind: 'reset' },
          { request: 1, kind: 'hang' },
        ],
        TypeError,
      ],
      [{ rate: 1.5, kinds: [{ kind: 'reset' }] }, RangeError],
      [{ rate: 0.5, kinds: [] }, TypeError],
    ];
    for (const [faults, error] of bad) {
      await expect(createMockServer({ jobs: {}, faults: faults as never })).rejects.toThrow(error);
    }
  });

  it('close() is prompt with keep-alive connections open, idempotent, and stops serving', async () => {
    const mock = await createMockServer({ jobs: { [JOB]: [] } });
    await Promise.all([list(mock), list(mock), list(mock)]);
    const t0 = performance.now();
    await Promise.all([mock.close(), mock.close()]);
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(fetch(checkpointsUrl(mock, JOB), { headers: AUTH })).rejects.toThrow();
  });

  it('close() cancels a pending latency timer and answers nothing after', async () => {
    const mock = await createMockServer({
      jobs,
      latencyMs: 5_000,
    });
    const pending = fetch(checkpointsUrl(mock, JOB), { headers: AUTH }).catch(() => 'failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t0 = performance.now();
    await mock.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe('failed');
  });
});

describe('generateCheckpoints', () => {
  const data = generateCheckpoints({ jobId: JOB, count: 200, seed: 11 });

  it('is deterministic for a seed and differs for another', () => {
    expect(generateCheckpoints({ jobId: JOB, count: 200, seed: 11 })).toEqual(data);
    const other = generateCheckpoints({ jobId: JOB, count: 200, seed: 12 });
    expect(other.map((c) => c.id)).not.toEqual(data.map((c) => c.id));
    // Without a seed, the job id seeds it: reproducible, yet different per job.
    const a = generateCheckpoints({ jobId: 'ftjob-a', count: 3 });
    expect(generateCheckpoints({ jobId: 'ftjob-a', count: 3 })).toEqual(a);
    expect(generateCheckpoints({ jobId: 'ftjob-b', count: 3 })[0]?.id).not.toBe(a[0]?.id);
  });

  it('makes unique ftckpt_ ids, rising steps and strictly rising created_at', () => {
    expect(data).toHaveLength(200);
    expect(data.every((c) => /^ftckpt_[A-Za-z0-9]{24}$/.test(c.id))).toBe(true);
    expect(new Set(data.map((c) => c.id)).size).toBe(200);
    data.forEach((c, i) => {
      expect(c.step_number).toBe((i + 1) * 100);
      expect(c.metrics.step).toBe(c.step_number);
      expect(c.object).toBe('fine_tuning.job.checkpoint');
      expect(c.fine_tuning_job_id).toBe(JOB);
      expect(c.fine_tuned_model_checkpoint).toMatch(
        new RegExp(
          `^ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:[A-Za-z0-9]{8}:ckpt-step-${c.step_number}$`,
        ),
      );
      if (i > 0) expect(c.created_at).toBeGreaterThan(data[i - 1]!.created_at);
    });
  });

  it('has falling losses and rising accuracies, with noise', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const metric = (
      slice: FineTuningJobCheckpoint[],
      name: 'train_loss' | 'valid_loss' | 'train_mean_token_accuracy' | 'valid_mean_token_accuracy',
    ) => mean(slice.map((c) => c.metrics[name] ?? NaN));
    const early = data.slice(0, 20);
    const late = data.slice(-20);
    expect(metric(late, 'train_loss')).toBeLessThan(metric(early, 'train_loss'));
    expect(metric(late, 'valid_loss')).toBeLessThan(metric(early, 'valid_loss'));
    expect(metric(late, 'train_mean_token_accuracy')).toBeGreaterThan(
      metric(early, 'train_mean_token_accuracy'),
    );
    expect(metric(late, 'valid_mean_token_accuracy')).toBeGreaterThan(
      metric(early, 'valid_mean_token_accuracy'),
    );
    // Noise: the curve is not perfectly monotonic.
    const losses = data.map((c) => c.metrics.train_loss!);
    expect(losses.some((loss, i) => i > 0 && loss > losses[i - 1]!)).toBe(true);
    for (const c of data) {
      for (const value of Object.values(c.metrics)) expect(Number.isFinite(value)).toBe(true);
      expect(c.metrics.train_mean_token_accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('omits full_valid_* from some intermediate checkpoints, never from the last', () => {
    const full = data.filter((c) => c.metrics.full_valid_loss !== undefined);
    expect(full.length).toBeGreaterThan(100); // most
    expect(full.length).toBeLessThan(200); // not all
    for (const c of data) {
      expect(c.metrics.full_valid_loss === undefined).toBe(
        c.metrics.full_valid_mean_token_accuracy === undefined,
      );
      expect(Object.keys(c.metrics).length).toBeGreaterThanOrEqual(5);
    }
    expect(Object.keys(data.at(-1)!.metrics)).toHaveLength(7);
  });

  it('honours stepsPerCheckpoint, model and startTime, and count 0', () => {
    const custom = generateCheckpoints({
      jobId: JOB,
      count: 3,
      stepsPerCheckpoint: 7,
      model: 'gpt-4.1-nano-2025-04-14',
      startTime: 1_700_000_000,
    });
    expect(custom.map((c) => c.step_number)).toEqual([7, 14, 21]);
    expect(custom[0]?.fine_tuned_model_checkpoint).toMatch(/^ft:gpt-4\.1-nano-2025-04-14:/);
    expect(custom[0]!.created_at).toBeGreaterThan(1_700_000_000);
    expect(custom[0]!.created_at).toBeLessThan(1_700_000_100);
    expect(generateCheckpoints({ jobId: JOB, count: 0 })).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => generateCheckpoints({ jobId: JOB, count: -1 })).toThrow(RangeError);
    expect(() => generateCheckpoints({ jobId: JOB, count: 1.5 })).toThrow(RangeError);
    expect(() => generateCheckpoints({ jobId: '', count: 1 })).toThrow(TypeError);
    expect(() => generateCheckpoints({ jobId: JOB, count: 1, stepsPerCheckpoint: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('loadJobsFile', () => {
  const tempFolder = tempFolders('file');
  let dir: string;
  beforeAll(async () => {
    dir = await tempFolder('ft-mock-');
  });

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('loads checkpoint lists and { count, seed } recipes', async () => {
    const listed = generateCheckpoints({ jobId: 'ftjob-listed', count: 3 });
    const path = await file(
      'ok.json',
      JSON.stringify({ 'ftjob-listed': listed, 'ftjob-gen': { count: 12, seed: 5 } }),
    );
    const loaded = await loadJobsFile(path);
    expect(loaded['ftjob-listed']).toEqual(listed);
    expect(loaded['ftjob-gen']).toEqual(
      generateCheckpoints({ jobId: 'ftjob-gen', count: 12, seed: 5 }),
    );
    const mock = await start({ jobs: loaded });
    expect((await walkPages(mock, 'ftjob-gen', 5)).flatMap((p) => p.data)).toHaveLength(12);
  });

  it('checks optional fields only where present: a null metric is kept, as the API may send it', () => {
    const item = {
      ...checkpoint('ftckpt_1', 1, 1, 'ftjob-1'),
      metrics: { step: 1, valid_loss: null },
    };
    expect(parseJobs({ 'ftjob-1': [item] })['ftjob-1']).toEqual([item]);
    expect(() => parseJobs({ 'ftjob-1': [{ ...item, metrics: { valid_loss: 'low' } }] })).toThrow(
      /"ftjob-1"\[0\]: `metrics\.valid_loss`: expected number$/,
    );
  });

  it('keeps a job named __proto__ as an own job', () => {
    const jobs = parseJobs(JSON.parse('{"__proto__": {"count": 2}}'));
    expect(Object.keys(jobs)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(jobs)).toBe(Object.prototype);
  });

  it('explains what is wrong with a bad file', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /is not valid JSON/],
      ['[]', /expected an object mapping job ids/],
      ['{"ftjob-1": 5}', /"ftjob-1" must be an array of checkpoints or an object/],
      ['{"ftjob-1": {"cout": 5}}', /unknown key "cout"/],
      ['{"ftjob-1": {"count": -2}}', /"ftjob-1"\.count must be an integer >= 0/],
      ['{"ftjob-1": {"count": 2, "seed": "x"}}', /\.seed must be an integer/],
      ['{"ftjob-1": [{"id": "a"}]}', /"ftjob-1"\[0\]: `created_at`: missing$/],
    ];
    const good = checkpoint('ftckpt_1', 1, 1, 'ftjob-1');
    cases.push(
      [
        JSON.stringify({ 'ftjob-1': [{ ...good, created_at: '1' }] }),
        /"ftjob-1"\[0\]: `created_at`: expected integer$/,
      ],
      [
        JSON.stringify({ 'ftjob-1': [{ ...good, object: 'x' }] }),
        /"ftjob-1"\[0\]: `object`: expected "fine_tuning\.job\.checkpoint"$/,
      ],
      [
        JSON.stringify({ 'ftjob-1': [{ ...good, metrics: { train_loss: 'high' } }] }),
        /"ftjob-1"\[0\]: `metrics\.train_loss`: expected number$/,
      ],
      [
        JSON.stringify({ 'ftjob-1': [{ ...good, id: '' }] }),
        /"ftjob-1"\[0\]: `id`: expected a non-empty string/,
      ],
      [
        JSON.stringify({ 'ftjob-2': [good] }),
        /fine_tuning_job_id is "ftjob-1", expected "ftjob-2"/,
      ],
      [JSON.stringify({ 'ftjob-1': [good, good] }), /\[1\]\.id "ftckpt_1" is a duplicate/],
    );
    for (const [i, [content, message]] of cases.entries()) {
      const path = await file(`bad-${i}.json`, content);
      const error = await loadJobsFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, content).toBeInstanceOf(JobsFileError);
      expect((error as Error).message, content).toMatch(message);
      expect((error as Error).message, content).toContain(path);
    }
    await expect(loadJobsFile(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read jobs file .*missing\.json/,
    );
  });
});
