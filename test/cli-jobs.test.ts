// `ft-checkpoints jobs`: the built CLI lists recent jobs through `paginate(client.raw, ...)`:
// id, model, status, created and the fine-tuned model, fitted to the width like `list`, the
// first page in one request or every page with --all, in every format of `list`, one field per
// line with --field. What the server sends is checked by the client's boundary (the page) and by
// the CLI (each job whole) before anything is printed.
import { describe, expect, it } from 'vitest';
import { layoutTable, renderLayout } from '../src/cli/table-layout.js';
import { jobColumns } from '../src/cli/job-columns.js';
import { createMockServer, generateCheckpoints, type MockServer } from '../src/mock/index.js';
import type { FineTuningJob } from '../src/types.js';
import { cliEnv, fineTuningJob, runCli } from './helpers/cli.js';
import { parseCsv } from './helpers/csv.js';
import { pageBody, sendJson, servePages, startServer, type TestServer } from './helpers/http.js';

/** 25 jobs, newest first, each with a checkpoint; every fifth failed, every seventh running. */
function mockJobs() {
  return Object.fromEntries(
    Array.from({ length: 25 }, (_, i) => {
      const id = `ftjob-${String(i).padStart(24, 'x')}`;
      const checkpoints = generateCheckpoints({
        jobId: id,
        count: 1,
        startTime: 1_720_000_000 + i * 3600,
      });
      const status = i % 5 === 0 ? 'failed' : i % 7 === 0 ? 'running' : 'succeeded';
      return [id, { checkpoints, status } as const];
    }),
  );
}

async function withMock<T>(body: (mock: MockServer) => Promise<T>): Promise<T> {
  const mock = await createMockServer({ jobs: mockJobs() });
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}

async function withServer<T>(
  handler: Parameters<typeof startServer>[0],
  body: (server: TestServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(handler);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

describe('the jobs table (pure)', () => {
  const jobs = [
    fineTuningJob('ftjob-abc123abc123abc123abc12', 'succeeded', {
      fine_tuned_model: 'ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:9Nkodzf3',
    }),
    fineTuningJob('ftjob-def456def456def456def45', 'running'),
  ];
  const table = (width: number) => renderLayout(layoutTable(jobs, jobColumns(jobs), width), jobs);

  it('has id, model, status, created and the fine-tuned model when there is one', () => {
    const [header, first, second] = table(Infinity).split('\n');
    expect(header).toMatch(/^id +model +status +created +fine-tuned model$/);
    expect(first).toMatch(
      /^ftjob-abc123\S+ +gpt-4o-mini-2024-07-18 +succeeded +2024-07-23T\d\d:\d\d:\d\dZ +ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:9Nkodzf3$/,
    );
    expect(second).toMatch(/ running +2024-07-23T\d\d:\d\d:\d\dZ$/);
    const none = [fineTuningJob('ftjob-x', 'queued')];
    expect(renderLayout(layoutTable(none, jobColumns(none), Infinity), none)).toMatch(
      /^id +model +status +created\n/,
    );
  });

  it('narrows as list does: dates, then model names, then the fine-tuned model, then the model', () => {
    expect(widest(table(120))).toBeLessThanOrEqual(120);
    const at80 = table(80);
    expect(widest(at80)).toBeLessThanOrEqual(80);
    // At 80, the fine-tuned model goes first, the model is cut in its middle, the date loses
    // its seconds.
    expect(at80.split('\n')[0]).toMatch(/^id +model +status +created$/);
    expect(at80).toMatch(/ gpt-4o…ni-2024-07-18 +succeeded +2024-07-23 \d\d:\d\d\n/);
    // Where the model is whole, the date gets its seconds back, not before.
    expect(table(85)).toMatch(/ gpt-4o-mini-2024-07-18 +succeeded +2024-07-23 \d\d:\d\d\n/);
    expect(table(86)).toMatch(/ gpt-4o-mini-2024-07-18 +succeeded +2024-07-23T\d\d:\d\d:\d\dZ\n/);
    const at60 = table(60);
    expect(widest(at60)).toBeLessThanOrEqual(60);
    expect(at60.split('\n')[0]).toMatch(/^id +status +created$/);
    // Id and status are never dropped: below them, one block per job.
    expect(table(20)).toContain('id: ftjob-abc123abc123abc123abc12\nmodel: gpt-4o-mini');
  });
});

describe.concurrent('the built CLI lists jobs', () => {
  it('the first page in one request (the API default, 20), fitted, with a count line', () =>
    withMock(async (mock) => {
      const result = await runCli(['jobs'], cliEnv(mock.url, { COLUMNS: '80' }));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(22);
      expect(lines[0]).toMatch(/^id +model +status +created$/);
      expect(lines[1]).toMatch(
        /^ftjob-x{22}24 +gpt-4o.*-2024-07-18 +succeeded +2024-07-04 \d\d:\d\d$/,
      );
      expect(lines.at(-1)).toBe('20 jobs (first page; more with --all)');
      expect(widest(result.stdout)).toBeLessThanOrEqual(80);
      expect(mock.requests.map((r) => r.url)).toEqual(['/v1/fine_tuning/jobs']);
    }));

  it('--all: every page, 100 per page unless --limit; --limit without --all: one page', () =>
    withMock(async (mock) => {
      const all = await runCli(['jobs', '--all', '--format', 'jsonl'], cliEnv(mock.url));
      expect(all.stdout.trim().split('\n')).toHaveLength(25);
      const paged = await runCli(
        ['jobs', '--all', '--limit', '10', '--field', 'id'],
        cliEnv(mock.url),
      );
      const ids = paged.stdout.trim().split('\n');
      expect(ids).toHaveLength(25);
      expect(new Set(ids).size).toBe(25);
      const one = await runCli(['jobs', '--limit', '3', '--field', 'status'], cliEnv(mock.url));
      expect(one.stdout).toBe('succeeded\nsucceeded\nsucceeded\n');
      expect(mock.requests.map((r) => r.url)).toEqual([
        '/v1/fine_tuning/jobs?limit=100',
        '/v1/fine_tuning/jobs?limit=10',
        `/v1/fine_tuning/jobs?limit=10&after=${ids[9]}`,
        `/v1/fine_tuning/jobs?limit=10&after=${ids[19]}`,
        '/v1/fine_tuning/jobs?limit=3',
      ]);
    }));

  it('json, csv and --field of a nested value', () =>
    withMock(async (mock) => {
      const json = await runCli(['jobs', '--format', 'json'], cliEnv(mock.url));
      const jobs = JSON.parse(json.stdout) as FineTuningJob[];
      expect(jobs).toHaveLength(20);
      expect(jobs[0]?.object).toBe('fine_tuning.job');
      const csv = parseCsv((await runCli(['jobs', '--format', 'csv'], cliEnv(mock.url))).stdout);
      const [header, ...rows] = csv;
      expect(header?.slice(0, 4)).toEqual(['id', 'created_at', 'created', 'error.code']);
      expect(rows).toHaveLength(20);
      const failed = rows.find((row) => row[header!.indexOf('status')] === 'failed');
      expect(failed?.[header!.indexOf('error.message')]).toMatch(/failed/);
      expect(failed?.[header!.indexOf('created')]).toMatch(/^2024-07-\d\dT/);
      const messages = await runCli(['jobs', '--field', 'error.message'], cliEnv(mock.url));
      expect(messages.stdout.split('\n').filter((line) => line !== '')).toHaveLength(4);
      const method = await runCli(['jobs', '--limit', '1', '--field', 'method'], cliEnv(mock.url));
      expect(JSON.parse(method.stdout)).toMatchObject({ type: 'supervised' });
    }));

  it('usage errors: an argument, an unknown field (with a suggestion), --field with --format', async () => {
    const env = cliEnv('http://127.0.0.1:9/v1');
    const extra = await runCli(['jobs', 'ftjob-1'], env);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/unexpected argument "ftjob-1" \(jobs lists every job/);
    const field = await runCli(['jobs', '--field', 'message'], env);
    expect(field.stderr).toMatch(
      /unknown field "message"; expected id, .*\. Did you mean error\.message\?/,
    );
    const both = await runCli(['jobs', '--field', 'id', '--format', 'json'], env);
    expect(both.stderr).toMatch(/--field and --format exclude each other/);
    const sort = await runCli(['jobs', '--sort', 'step'], env);
    expect(sort.stderr).toMatch(/option --sort does not apply to 'jobs'/);
  });

  it('a page the spec refuses is refused by the client; a job that cannot be shown, by the CLI', async () => {
    const job = fineTuningJob('ftjob-1');
    await withServer(
      (_req, res) => sendJson(res, 200, pageBody([{ ...job, status: 7 } as never], false)),
      async (server) => {
        const result = await runCli(['jobs'], cliEnv(server.url));
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(
          /^ft-checkpoints: error: invalid response \(status 200\): page 1, item 0: `status`: expected "validating_files" or/,
        );
      },
    );
    // `integrations` is not required, so the client lets it pass; the CLI shows whole jobs only.
    await withServer(servePages([{ ...job, integrations: 'none' } as never]), async (server) => {
      const result = await runCli(['jobs'], cliEnv(server.url));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^ft-checkpoints: error: the server sent a fine-tuning job that cannot be shown: page 1, item 0: `integrations`: expected array of at most 5 items or null\n$/,
      );
    });
  });
});
