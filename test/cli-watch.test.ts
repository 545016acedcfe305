// `watch`: the diff of a poll (pure), and the built CLI polling a server whose job grows:
// each checkpoint printed once, none missed (paging further when needed), transient errors
// reported and survived, and the documented exits (0 at --count, 130, 143). How it ends with the
// job is in cli-watch-end.test.ts.
import { describe, expect, it } from 'vitest';
import { diffPage, inPrintOrder } from '../src/cli/watch-diff.js';
import { cliEnv, runCli, startCli, withJob } from './helpers/cli.js';
import { checkpoint, sendJson, servePages, serverPool } from './helpers/http.js';

const serve = serverPool();
const JOB = 'ftjob-abc123';

/** A job that grows: newest first, as the API lists it. */
function growingJob(initial: number) {
  const all = Array.from({ length: initial }, (_, i) =>
    checkpoint(`ckpt_${initial - i}`, initial - i),
  );
  let next = initial + 1;
  return {
    all,
    add(n: number) {
      for (let i = 0; i < n; i++, next++) all.unshift(checkpoint(`ckpt_${next}`, next));
    },
  };
}

const idsOf = (jsonl: string) =>
  jsonl
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
const steps = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `ckpt_${from + i}`);

describe('diff of a poll (pure)', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id, i) => checkpoint(id, 10 - i));
  it('finds what is new, once, and whether the page reached what was seen', () => {
    const seen = new Set(['c', 'd']);
    expect(diffPage(seen, new Set(), [a!, b!, c!, d!])).toEqual({
      fresh: [a, b],
      reachedSeen: true,
    });
    expect(diffPage(seen, new Set(['a']), [a!, b!, b!])).toEqual({
      fresh: [b],
      reachedSeen: false,
    });
    expect(diffPage(new Set(), new Set(), [])).toEqual({ fresh: [], reachedSeen: false });
    expect(inPrintOrder([a!, b!])).toEqual([b, a]);
  });
});

describe('the built CLI watches a job', () => {
  it('prints each checkpoint once, oldest first, and exits 0 at --count', async () => {
    const job = growingJob(3);
    const server = await serve(withJob(servePages(job.all)));
    const args = ['watch', JOB, '--interval', '1', '--count', '8', '--format', 'jsonl'];
    const watch = startCli(args, cliEnv(server.url));
    await watch.waitFor(/ckpt_3/);
    job.add(2);
    await watch.waitFor(/ckpt_5/);
    job.add(3);
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(idsOf(result.stdout)).toEqual(steps(1, 8));
  });

  it('pages further when a poll finds more new checkpoints than a page holds', async () => {
    const job = growingJob(2);
    const server = await serve(withJob(servePages(job.all)));
    const args = ['watch', JOB, '--interval', '1', '--count', '252', '--format', 'jsonl'];
    const watch = startCli(args, cliEnv(server.url));
    await watch.waitFor(/ckpt_2/);
    job.add(250);
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(idsOf(result.stdout)).toEqual(steps(1, 252));
    // Poll 1: one page. Poll 2: 100 + 100 new, then a page that reaches ckpt_2: it stops there.
    // (The polls in between, if the clock put one before the add, each read one page.)
    const pages = server.requests
      .filter((r) => r.path.endsWith('/checkpoints'))
      .map((r) => r.query.get('after'));
    expect(pages.slice(-3)).toEqual([null, 'ckpt_153', 'ckpt_53']);
    expect(
      server.requests.every(
        (r) => !r.path.endsWith('/checkpoints') || r.query.get('limit') === '100',
      ),
    ).toBe(true);
  });

  it('reports a transient error on stderr, tries again at the next poll, and misses nothing', async () => {
    const job = growingJob(2);
    const pages = withJob(servePages(job.all));
    let failing = false;
    const server = await serve((req, res, seen, index) => {
      if (failing) {
        sendJson(res, 503, {
          error: { message: 'overloaded', type: 'server_error', param: null, code: null },
        });
        return;
      }
      pages(req, res, seen, index);
    });
    const args = [
      'watch',
      JOB,
      '--interval',
      '1',
      '--count',
      '4',
      '--format',
      'jsonl',
      '--max-retries',
      '0',
    ];
    const watch = startCli(args, cliEnv(server.url));
    await watch.waitFor(/ckpt_2/);
    failing = true;
    job.add(2);
    await watch.waitFor(/warning/, 'stderr');
    failing = false;
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(idsOf(result.stdout)).toEqual(steps(1, 4));
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line).toMatch(/^ft-checkpoints: warning: .*503.*overloaded.*; trying again in 1s$/);
    }
  });

  it('stops with exit 1 on an error that waiting will not fix', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 404, {
        error: { message: 'no such job', type: 'invalid_request_error', param: null, code: null },
      }),
    );
    const result = await runCli(['watch', JOB, '--interval', '1'], cliEnv(server.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ft-checkpoints: error: .*404 no such job/);
    expect(server.requests).toHaveLength(1);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`exits ${code} on ${signal}, between polls or during one`, async () => {
      const job = growingJob(2);
      const server = await serve(withJob(servePages(job.all)));
      const watch = startCli(['watch', JOB, '--interval', '30'], cliEnv(server.url));
      await watch.waitFor(/ckpt-step-1/);
      watch.child.kill(signal);
      expect((await watch.done).code).toBe(code);

      const hanging = await serve(() => {
        // Never answers.
      });
      const stuck = startCli(['watch', JOB], cliEnv(hanging.url));
      while (hanging.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      stuck.child.kill(signal);
      const result = await stuck.done;
      expect(result.code).toBe(code);
      expect(result.stderr).toBe('');
    });
  }

  it('prints a table with one header, rows as they come, fitted to the width', async () => {
    const job = growingJob(2);
    const server = await serve(withJob(servePages(job.all)));
    const watch = startCli(
      ['watch', JOB, '--interval', '1', '--count', '3'],
      cliEnv(server.url, { COLUMNS: '80' }),
    );
    await watch.waitFor(/ckpt_2|\n *2 /);
    job.add(1);
    const result = await watch.done;
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^step {2}created +t_loss +t_acc +v_loss +v_acc +fv_loss +fv_acc$/);
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual(['1', '2', '3']);
    expect(new Set(lines.map((line) => line.indexOf('2024')))).toEqual(new Set([-1, 6]));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says in --help how it ends, and refuses an interval under a second', async () => {
    const help = await runCli(['watch', '--help'], { PATH: '' });
    expect(help.stdout).toMatch(
      /It ends with the job, with a line on stderr: exit 0 when it has succeeded,/,
    );
    expect(help.stdout).toMatch(/--interval S +seconds between polls \(default 30, at least 1\)/);
    const bad = await runCli(['watch', JOB, '--interval', '0.5'], {
      PATH: '',
      OPENAI_API_KEY: 'x',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--interval must be a number of seconds from 1/);
  });
});
