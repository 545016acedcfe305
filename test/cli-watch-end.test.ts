// `watch` ends with the job: the built CLI reads the job's status (through `client.raw`) once per
// poll, before the checkpoints, so that a checkpoint made just before the end is printed; then a
// line on stderr, exit 0 for a job that succeeded, 1 with its error for one that failed or was
// cancelled. Each case has its own mock; the mock's clock is the test's, so nothing waits for a
// job to grow but the one-second interval between polls.
import { describe, expect, it } from 'vitest';
import {
  createMockServer,
  generateCheckpoints,
  type MockJob,
  type MockServer,
} from '../src/mock/index.js';
import { cliEnv, fineTuningJob, runCli, runCliInTerminal, withJob } from './helpers/cli.js';
import { checkpoint, servePages, startServer } from './helpers/http.js';

const JOB = 'ftjob-abc123';

/** Runs `body` with a mock of `jobs`, closing it whatever happens. */
async function withMock<T>(
  options: Parameters<typeof createMockServer>[0],
  body: (mock: MockServer) => Promise<T>,
): Promise<T> {
  const mock = await createMockServer(options);
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}

const idsOf = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);

const watchArgs = ['watch', JOB, '--interval', '1', '--format', 'jsonl'];

describe.concurrent('watch ends with the job', () => {
  it('succeeded: every checkpoint once, a line on stderr, exit 0', async () => {
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 12 });
    await withMock({ jobs: { [JOB]: checkpoints } }, async (mock) => {
      const result = await runCli(watchArgs, cliEnv(mock.url));
      expect(result.code).toBe(0);
      expect(idsOf(result.stdout)).toEqual(checkpoints.map((c) => c.id));
      const model = checkpoints.at(-1)?.fine_tuned_model_checkpoint.replace(/:ckpt-step-\d+$/, '');
      expect(result.stderr).toBe(
        `ft-checkpoints: fine-tuning job ${JOB} succeeded after 12 checkpoints; its model is ${model}\n`,
      );
      // One poll: the job, then its checkpoints.
      expect(mock.requests.map((r) => r.operation)).toEqual([
        'retrieveFineTuningJob',
        'listFineTuningJobCheckpoints',
      ]);
    });
  });

  it.each<[MockJob['status'], string | undefined, RegExp]>([
    [
      'failed',
      'Training file has 3 examples; at least 10 needed.',
      /failed after 2 checkpoints: Training file has 3 examples; at least 10 needed\.$/,
    ],
    [
      'failed',
      undefined,
      /failed after 2 checkpoints: The mock fine-tuning job failed, as it was told to\.$/,
    ],
    ['cancelled', undefined, /was cancelled after 2 checkpoints$/],
    [
      'cancelled',
      'Cancelled by the user.',
      /was cancelled after 2 checkpoints: Cancelled by the user\.$/,
    ],
  ])('%s (error %j): its error on stderr, exit 1', async (status, error, line) => {
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 2 });
    const job: MockJob = { checkpoints, status, ...(error === undefined ? {} : { error }) };
    await withMock({ jobs: { [JOB]: job } }, async (mock) => {
      const result = await runCli(watchArgs, cliEnv(mock.url));
      expect(result.code).toBe(1);
      expect(idsOf(result.stdout)).toHaveLength(2);
      const lines = result.stderr.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^ft-checkpoints: error: fine-tuning job ${JOB} `));
      expect(lines[0]).toMatch(line);
    });
  });

  it('never misses a checkpoint made just before the end, and reads the status once a poll', async () => {
    // Every request for the job moves its clock one tick on: a checkpoint is made between any
    // two requests, the last one together with the end. Read in the other order (checkpoints,
    // then status), the job would be seen ending with its last checkpoint unread.
    let calls = 0;
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 1 });
    await withMock(
      {
        jobs: { [JOB]: { checkpoints, tickMs: 1000 } },
        now: () => 1000 * calls++,
      },
      async (mock) => {
        const result = await runCli(watchArgs, cliEnv(mock.url));
        expect(result.code).toBe(0);
        expect(idsOf(result.stdout)).toEqual([checkpoints[0]?.id]);
        expect(result.stderr).toMatch(/succeeded after 1 checkpoint;/);
        const operations = mock.requests.map((r) => r.operation);
        expect(operations).toEqual([
          'retrieveFineTuningJob',
          'listFineTuningJobCheckpoints',
          'retrieveFineTuningJob',
          'listFineTuningJobCheckpoints',
        ]);
      },
    );
  });

  it('--count still stops it first (exit 0, no end line)', async () => {
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 5 });
    await withMock({ jobs: { [JOB]: { checkpoints, status: 'running' } } }, async (mock) => {
      const result = await runCli([...watchArgs, '--count', '3'], cliEnv(mock.url));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(idsOf(result.stdout)).toHaveLength(5);
    });
  });

  it("the job's text cannot drive the terminal: its error and model made safe", async () => {
    const hostile = 'oops\x1b]52;c;cHduZWQ=\x07\u202eevil\r\nnext';
    const server = await startServer(
      withJob(servePages([checkpoint('ckpt_1', 1)]), () =>
        fineTuningJob(JOB, 'failed', {
          error: { code: 'x', message: hostile, param: null },
        }),
      ),
    );
    try {
      for (const run of [
        () => runCli(watchArgs, cliEnv(server.url)),
        () => runCliInTerminal(watchArgs, cliEnv(server.url), 200),
      ]) {
        const result = await run();
        expect(result.code).toBe(1);
        const output = result.stdout + result.stderr;
        expect(output).toContain('oops\uFFFD]52;c;cHduZWQ=\uFFFD\uFFFDevil next');
        expect(output).not.toMatch(/\x1b\]|\x07|\u202e/);
      }
    } finally {
      await server.close();
    }
  });

  it('a job the server cannot show ends the watch: one line, exit 1', async () => {
    const server = await startServer(
      withJob(servePages([]), () => ({ ...fineTuningJob(JOB), model: 42 }) as never),
    );
    try {
      const result = await runCli(watchArgs, cliEnv(server.url));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ft-checkpoints: error: .*`model`: expected string\n$/);
    } finally {
      await server.close();
    }
  });
});
