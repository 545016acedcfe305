// The README's offline example, as written there: `ft-checkpoints mock` serves ftjob-demo
// (succeeded, 300 checkpoints) and ftjob-demo-running (a checkpoint every --tick from the first
// request for it, succeeds at 10); `jobs` lists both, and `watch` follows the running one to its
// end. A tick of 50 ms instead of 2 s keeps the test short.
import { describe, expect, it } from 'vitest';
import { CLI_API_KEY, runCli, startCli } from './helpers/cli.js';

describe('the demo mock of the built CLI', () => {
  it('serves both demo jobs; watch follows the running one to its end', async () => {
    const mock = startCli(['mock', '--port', '0', '--tick', '50'], {
      PATH: process.env.PATH ?? '',
    });
    try {
      await mock.waitFor(/Ctrl\+C/);
      const url = /listening on (\S+)/.exec(mock.stdout())?.[1] ?? '';
      const env = {
        PATH: process.env.PATH ?? '',
        OPENAI_BASE_URL: url,
        OPENAI_API_KEY: CLI_API_KEY,
      };

      const jobs = await runCli(['jobs', '--format', 'jsonl'], env);
      expect(
        jobs.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).toMatchObject([
        { id: 'ftjob-demo-running', status: 'running', fine_tuned_model: null },
        { id: 'ftjob-demo', status: 'succeeded' },
      ]);
      const demo = await runCli(['list', 'ftjob-demo', '--all', '--field', 'id'], env);
      expect(demo.stdout.trim().split('\n')).toHaveLength(300);

      const watch = await runCli(['watch', 'ftjob-demo-running', '--interval', '1'], env);
      expect(watch.code).toBe(0);
      const rows = watch.stdout.trimEnd().split('\n');
      expect(rows[0]).toMatch(/^step +created/);
      expect(rows.slice(1).map((row) => Number(row.trim().split(/\s+/)[0]))).toEqual([
        100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
      ]);
      expect(watch.stderr).toMatch(
        /^ft-checkpoints: fine-tuning job ftjob-demo-running succeeded after 10 checkpoints; its model is ft:gpt-4o-mini-2024-07-18:\S+\n$/,
      );
    } finally {
      mock.child.kill('SIGINT');
      expect((await mock.done).code).toBe(130);
    }
  });

  it('refuses --tick with --jobs, and a tick a timer cannot hold', async () => {
    const env = { PATH: process.env.PATH ?? '' };
    const withFile = await runCli(['mock', '--jobs', 'x.json', '--tick', '5'], env);
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toMatch(/--tick applies to ftjob-demo-running only/);
    const long = await runCli(['mock', '--tick', '2147483648'], env);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(
      /--tick must be a whole number of milliseconds from 1 to 2147483647/,
    );
  });
});
