// The mock's jobs: `GET /fine_tuning/jobs` and `GET /fine_tuning/jobs/{id}` for the jobs it
// serves, with a status and a model (defaults: succeeded, the demo model), and a job still
// training that gains a checkpoint every tick from the first request for it. The clock is the
// test's own (`now`), so growth is tested without waiting.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createMockServer,
  generateCheckpoints,
  JobsFileError,
  loadJobsFile,
  parseJobs,
  type FineTuningJob,
  type MockServer,
  type MockServerOptions,
} from '../src/mock/index.js';
import { checkpointsUrl, getJson, mockServers } from './helpers/mock-http.js';
import { tempFolders } from './helpers/temp.js';

const tempFolder = tempFolders();
const start = mockServers();

const jobUrl = (mock: MockServer, id: string) =>
  `${mock.url}/fine_tuning/jobs/${encodeURIComponent(id)}`;

async function job(mock: MockServer, id: string): Promise<FineTuningJob> {
  const { status, body } = await getJson(jobUrl(mock, id));
  expect(status, JSON.stringify(body)).toBe(200);
  return body as FineTuningJob;
}

async function checkpointIds(mock: MockServer, id: string): Promise<string[]> {
  const { status, body } = await getJson(checkpointsUrl(mock, id, { limit: 100 }));
  expect(status, JSON.stringify(body)).toBe(200);
  return (body as { data: { id: string }[] }).data.map((c) => c.id);
}

const older = generateCheckpoints({ jobId: 'ftjob-old', count: 4, startTime: 1_700_000_000 });
const newer = generateCheckpoints({ jobId: 'ftjob-new', count: 3, startTime: 1_710_000_000 });

describe('GET /fine_tuning/jobs/{id}', () => {
  it('says a job of checkpoints alone has succeeded, with the demo model', async () => {
    const mock = await start({ jobs: { 'ftjob-old': older } });
    const found = await job(mock, 'ftjob-old');
    expect(found).toMatchObject({
      object: 'fine_tuning.job',
      id: 'ftjob-old',
      status: 'succeeded',
      model: 'gpt-4o-mini-2024-07-18',
      error: null,
      // The model the job ends with is its last checkpoint's, without `:ckpt-step-N`.
      fine_tuned_model: older.at(-1)?.fine_tuned_model_checkpoint.replace(/:ckpt-step-400$/, ''),
    });
    expect(found.created_at).toBeLessThan(older[0]!.created_at);
    expect(found.finished_at).toBeGreaterThan(older.at(-1)!.created_at);
    expect(mock.requests[0]).toMatchObject({
      jobId: 'ftjob-old',
      operation: 'retrieveFineTuningJob',
      status: 200,
    });
  });

  it('gives the status, model and error it was given', async () => {
    const mock = await start({
      jobs: {
        'ftjob-failed': { checkpoints: older, status: 'failed', error: 'Out of tokens.' },
        'ftjob-failed-quietly': { checkpoints: [], status: 'failed' },
        'ftjob-cancelled': { checkpoints: [], status: 'cancelled', model: 'gpt-4.1' },
        'ftjob-queued': { checkpoints: [], status: 'queued' },
      },
    });
    expect(await job(mock, 'ftjob-failed')).toMatchObject({
      status: 'failed',
      error: { code: 'job_failed', message: 'Out of tokens.', param: null },
      fine_tuned_model: null,
      trained_tokens: null,
    });
    expect((await job(mock, 'ftjob-failed-quietly')).error?.message).toMatch(/failed/);
    expect(await job(mock, 'ftjob-cancelled')).toMatchObject({
      status: 'cancelled',
      model: 'gpt-4.1',
      error: null,
    });
    expect(await job(mock, 'ftjob-queued')).toMatchObject({ status: 'queued', finished_at: null });
  });

  it('404s a job it does not have, in the API error envelope', async () => {
    const mock = await start({ jobs: { 'ftjob-old': older } });
    const { status, body } = await getJson(jobUrl(mock, 'ftjob-nope'));
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: 'fine_tune_not_found' } });
  });
});

describe('GET /fine_tuning/jobs', () => {
  const many = Object.fromEntries(
    Array.from({ length: 25 }, (_, i) => [
      `ftjob-${String(i).padStart(2, '0')}`,
      generateCheckpoints({ jobId: `ftjob-${i}`, count: 1, startTime: 1_700_000_000 + i * 1000 }),
    ]),
  );

  it('lists newest first, 20 by default, paged by `after` (a job id), without cursors', async () => {
    const mock = await start({ jobs: many });
    const first = (await getJson(`${mock.url}/fine_tuning/jobs`)).body as {
      data: FineTuningJob[];
      has_more: boolean;
    };
    expect(Object.keys(first)).toEqual(['object', 'data', 'has_more']);
    expect(first.data).toHaveLength(20);
    expect(first.has_more).toBe(true);
    expect(first.data[0]?.id).toBe('ftjob-24');
    const rest = (await getJson(`${mock.url}/fine_tuning/jobs?after=ftjob-05&limit=100`)).body as {
      data: FineTuningJob[];
      has_more: boolean;
    };
    expect(rest.data.map((j) => j.id)).toEqual([
      'ftjob-04',
      'ftjob-03',
      'ftjob-02',
      'ftjob-01',
      'ftjob-00',
    ]);
    expect(rest.has_more).toBe(false);
    expect(mock.requests[0]).toMatchObject({ operation: 'listPaginatedFineTuningJobs' });
    expect(mock.requests[0]?.jobId).toBeUndefined();
  });

  it('refuses a bad limit or an unknown after with a 400, and filters by metadata', async () => {
    const mock = await start({ jobs: many });
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'after=ftjob-zz']) {
      const { status, body } = await getJson(`${mock.url}/fine_tuning/jobs?${query}`);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ error: { type: 'invalid_request_error' } });
    }
    // The mock's jobs have no metadata: a filter on it leaves none.
    const filtered = await getJson(`${mock.url}/fine_tuning/jobs?metadata%5Bteam%5D=a`);
    expect(filtered.body).toEqual({ object: 'list', data: [], has_more: false });
    const unauthenticated = await getJson(`${mock.url}/fine_tuning/jobs`, { headers: {} });
    expect(unauthenticated.status).toBe(401);
  });
});

describe('a job still training (tickMs)', () => {
  it('gains a checkpoint every tick from the first request for it, then reaches its status', async () => {
    let now = 1_000_000;
    const mock = await start({
      jobs: { 'ftjob-new': { checkpoints: newer, tickMs: 100 }, 'ftjob-old': older },
      now: () => now,
    });
    // Listing the jobs does not start its clock.
    now += 5_000;
    const listed = (await getJson(`${mock.url}/fine_tuning/jobs`)).body as {
      data: FineTuningJob[];
    };
    expect(listed.data.map((j) => [j.id, j.status])).toEqual([
      ['ftjob-new', 'running'],
      ['ftjob-old', 'succeeded'],
    ]);
    expect(await job(mock, 'ftjob-new')).toMatchObject({
      status: 'running',
      fine_tuned_model: null,
      finished_at: null,
    });
    expect(await checkpointIds(mock, 'ftjob-new')).toEqual([]);
    now += 99;
    expect(await checkpointIds(mock, 'ftjob-new')).toEqual([]);
    now += 1;
    expect(await checkpointIds(mock, 'ftjob-new')).toEqual([newer[0]?.id]);
    // A cursor of a checkpoint not made yet names nothing.
    const early = await getJson(checkpointsUrl(mock, 'ftjob-new', { after: newer[2]!.id }));
    expect(early.status).toBe(400);
    now += 100;
    expect(await checkpointIds(mock, 'ftjob-new')).toEqual([newer[1]?.id, newer[0]?.id]);
    expect((await job(mock, 'ftjob-new')).status).toBe('running');
    // The last checkpoint and the end come together.
    now += 100;
    expect((await job(mock, 'ftjob-new')).status).toBe('succeeded');
    expect(await checkpointIds(mock, 'ftjob-new')).toEqual(newer.map((c) => c.id).reverse());
    now += 1e9;
    expect(await job(mock, 'ftjob-new')).toMatchObject({ status: 'succeeded' });
  });

  it('ends as it was told, and a clock that does not tell the time fails the request', async () => {
    let now = 0;
    const mock = await start({
      jobs: { 'ftjob-new': { checkpoints: newer, tickMs: 1, status: 'failed', error: 'boom' } },
      now: () => now,
    });
    await job(mock, 'ftjob-new');
    now = 3;
    expect(await job(mock, 'ftjob-new')).toMatchObject({
      status: 'failed',
      error: { message: 'boom' },
    });
    now = Number.NaN;
    const broken = await getJson(jobUrl(mock, 'ftjob-new'));
    expect(broken.status).toBe(500);
    expect(JSON.stringify(broken.body)).toMatch(/now\(\) returned NaN/);
  });
});

describe('createMockServer refuses a job it cannot serve', () => {
  it.each<[string, MockServerOptions['jobs'], RegExp, ErrorConstructor]>([
    [
      'a status the spec lacks',
      { a: { checkpoints: [], status: 'done' as 'failed' } },
      /`status`/,
      TypeError,
    ],
    [
      'an unknown key',
      { a: { checkpoints: [], tick: 5 } as never },
      /unknown key "tick"/,
      TypeError,
    ],
    [
      'no checkpoints',
      { a: { status: 'failed' } as never },
      /must be an array of checkpoints or/,
      TypeError,
    ],
    ['an empty model', { a: { checkpoints: [], model: '' } }, /model must not be empty/, TypeError],
    [
      'a tick of 0',
      { a: { checkpoints: [], tickMs: 0 } },
      /tickMs must be an integer from 1/,
      RangeError,
    ],
    ['a tick too long', { a: { checkpoints: [], tickMs: 2 ** 31 } }, /tickMs/, RangeError],
  ])('%s', async (_, jobs, message, type) => {
    const failure = createMockServer({ jobs });
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toBeInstanceOf(type);
  });

  it('a `now` that is not a function', async () => {
    await expect(createMockServer({ jobs: {}, now: 5 as never })).rejects.toThrow(TypeError);
  });
});

describe('a jobs file says what each job is', () => {
  it('reads status, model, error and tickMs, from a recipe or from listed checkpoints', async () => {
    const dir = await tempFolder('ft-mock-jobs-');
    const file = join(dir, 'jobs.json');
    await writeFile(
      file,
      JSON.stringify({
        'ftjob-plain': { count: 2, seed: 1 },
        'ftjob-failed': { count: 3, status: 'failed', error: 'Bad file.', model: 'gpt-4.1' },
        'ftjob-growing': {
          checkpoints: older.map((c) => ({ ...c, fine_tuning_job_id: 'ftjob-growing' })),
          tickMs: 50,
        },
      }),
    );
    const jobs = await loadJobsFile(file);
    // Nothing said but the checkpoints: their array, as before.
    expect(Array.isArray(jobs['ftjob-plain'])).toBe(true);
    expect(jobs['ftjob-failed']).toMatchObject({
      status: 'failed',
      error: 'Bad file.',
      model: 'gpt-4.1',
    });
    expect(jobs['ftjob-growing']).toMatchObject({ tickMs: 50 });
    const mock = await start({ jobs });
    expect(await job(mock, 'ftjob-failed')).toMatchObject({ status: 'failed', model: 'gpt-4.1' });
    expect((await job(mock, 'ftjob-plain')).status).toBe('succeeded');
  });

  it.each<[string, unknown, RegExp]>([
    ['a status the spec lacks', { a: { count: 1, status: 'done' } }, /"a": `status`: expected/],
    [
      'count and checkpoints',
      { a: { count: 1, checkpoints: [] } },
      /"checkpoints" and "count" exclude each other/,
    ],
    ['checkpoints not a list', { a: { checkpoints: 5 } }, /\.checkpoints must be an array/],
    ['an empty error', { a: { count: 1, error: '' } }, /\.error must be a non-empty string/],
    ['a tick of 1.5', { a: { count: 1, tickMs: 1.5 } }, /\.tickMs must be an integer/],
    ['a tick of 0', { a: { count: 1, tickMs: 0 } }, /tickMs must be an integer from 1/],
    ['an unknown key', { a: { count: 1, state: 'x' } }, /unknown key "state"/],
  ])('refuses %s with a JobsFileError', (_, value, message) => {
    expect(() => parseJobs(value, 'jobs.json')).toThrow(message);
    expect(() => parseJobs(value, 'jobs.json')).toThrow(JobsFileError);
  });
});
