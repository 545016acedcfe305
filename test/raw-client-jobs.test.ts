// The job operations added through the pipeline (retrieveFineTuningJob,
// listPaginatedFineTuningJobs) are checked by the client's boundary with no code of their own:
// `client.raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}')` and
// `paginate(client.raw, '/fine_tuning/jobs')` refuse a body the spec does not allow, through the
// generated operations table, and deliver one it does.
import { describe, expect, it } from 'vitest';
import { operations } from '../generated/checkpoints.operations.js';
import { InvalidResponseError, paginate } from '../src/index.js';
import { createMockServer, generateCheckpoints } from '../src/mock/index.js';
import { fineTuningJob } from './helpers/cli.js';
import { clientFor, FAIL_FAST } from './helpers/client.js';
import { pageBody, sendJson, serverPool } from './helpers/http.js';

const serve = serverPool();
const JOB = 'ftjob-abc123';
const JOB_PATH = '/fine_tuning/jobs/{fine_tuning_job_id}';

describe('the job operations through client.raw and paginate', () => {
  it('are in the generated operations table the boundary reads', () => {
    expect(Object.keys(operations).sort()).toEqual([
      '/fine_tuning/jobs',
      '/fine_tuning/jobs/{fine_tuning_job_id}',
      '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
    ]);
    expect(Object.keys(operations['/fine_tuning/jobs'].get).sort()).toEqual([
      'error',
      'item',
      'page',
    ]);
    expect(Object.keys(operations[JOB_PATH].get).sort()).toEqual(['body', 'error']);
  });

  it('deliver what the spec allows, from the mock', async () => {
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 2 });
    const mock = await createMockServer({
      jobs: Object.fromEntries(
        ['ftjob-1', 'ftjob-2', 'ftjob-3', JOB].map((id) => [id, { checkpoints, status: 'failed' }]),
      ),
    });
    try {
      const client = clientFor(mock);
      const { data } = await client.raw.GET(JOB_PATH, {
        params: { path: { fine_tuning_job_id: JOB } },
      });
      expect(data).toMatchObject({ id: JOB, status: 'failed', error: { code: 'job_failed' } });
      const ids: string[] = [];
      for await (const job of paginate(client.raw, '/fine_tuning/jobs', {
        params: { query: { limit: 1 } },
      })) {
        ids.push(job.id);
      }
      expect(ids).toHaveLength(4);
      expect(
        mock.requests.filter((r) => r.operation === 'listPaginatedFineTuningJobs'),
      ).toHaveLength(4);
    } finally {
      await mock.close();
    }
  });

  it('refuse a job the spec does not allow: retrieve', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { ...fineTuningJob(JOB), status: 'paused' }),
    );
    const client = clientFor(server, FAIL_FAST);
    const failure = client.raw.GET(JOB_PATH, { params: { path: { fine_tuning_job_id: JOB } } });
    await expect(failure).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(failure).rejects.toThrow(/`status`: expected "validating_files" or/);
  });

  it('refuse a page or an item the spec does not allow: list, with the page and item named', async () => {
    const good = fineTuningJob('ftjob-1');
    const { created_at: _, ...noDate } = fineTuningJob('ftjob-2');
    const server = await serve((_req, res) => sendJson(res, 200, pageBody([good, noDate], false)));
    const client = clientFor(server, FAIL_FAST);
    const walk = paginate(client.raw, '/fine_tuning/jobs').toArray();
    await expect(walk).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(walk).rejects.toThrow(/page 1, item 1: `created_at`: missing/);
    const envelope = await serve((_req, res) =>
      sendJson(res, 200, { object: 'list', data: [good] }),
    );
    await expect(paginate(clientFor(envelope, FAIL_FAST).raw, '/fine_tuning/jobs')).rejects.toThrow(
      /`has_more`: missing/,
    );
  });
});
