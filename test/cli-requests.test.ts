// The built CLI asks for as few pages as the answer needs, and passes the API settings
// (timeout, retries, organization, project) it is given.
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './helpers/cli.js';
import { checkpoints, sendJson, servePages, serverPool } from './helpers/http.js';

const serve = serverPool();
const JOB = 'ftjob-abc123';
const limits = (requests: { query: URLSearchParams }[]) =>
  requests.map((r) => r.query.get('limit'));

describe('requests: as few as the answer needs', () => {
  it('best reads 300 checkpoints in 3 requests of 100', async () => {
    const server = await serve(servePages(checkpoints(300)));
    const result = await runCli(['best', JOB, '--field', 'id'], cliEnv(server.url));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // full_valid_loss is 1/step: the highest step (the newest, ckpt_0) is the lowest loss.
    expect(result.stdout).toBe('ckpt_0\n');
    expect(limits(server.requests)).toEqual(['100', '100', '100']);
  });

  it('list --all reads 300 checkpoints in 3 requests of 100; --limit overrides', async () => {
    const server = await serve(servePages(checkpoints(300)));
    const all = await runCli(['list', JOB, '--all', '--format', 'jsonl'], cliEnv(server.url));
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(300);
    expect(limits(server.requests)).toEqual(['100', '100', '100']);

    server.requests.length = 0;
    const small = await runCli(
      ['list', JOB, '--all', '--limit', '150', '--format', 'jsonl'],
      cliEnv(server.url),
    );
    expect(small.stdout.trim().split('\n')).toHaveLength(300);
    expect(limits(server.requests)).toEqual(['150', '150']);
  });

  it('list without --all sends one request, with the API default page size', async () => {
    const server = await serve(servePages(checkpoints(300)));
    const result = await runCli(['list', JOB, '--format', 'json'], cliEnv(server.url));
    expect(JSON.parse(result.stdout)).toHaveLength(10);
    expect(limits(server.requests)).toEqual([null]);
  });

  // Needs the library's last-page sizing (branch i10): before it, the one request asks for 100.
  it('list --all --max-items 15 sends exactly one request, for 15', async () => {
    const server = await serve(servePages(checkpoints(300)));
    const result = await runCli(
      ['list', JOB, '--all', '--max-items', '15', '--format', 'jsonl'],
      cliEnv(server.url),
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(15);
    expect(limits(server.requests)).toEqual(['15']);
  });

  // Also needs branch i10: the last of the pages --max-items needs is sized to what is left.
  it('--max-items 250 asks for 100, 100, then 50, and never starts a fourth page', async () => {
    const server = await serve(servePages(checkpoints(300)));
    const result = await runCli(
      ['list', JOB, '--max-items', '250', '--format', 'jsonl'],
      cliEnv(server.url),
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(250);
    expect(limits(server.requests)).toEqual(['100', '100', '50']);
  });
});

describe('API settings', () => {
  it('sends --organization / --project, over OPENAI_ORG_ID / OPENAI_PROJECT_ID', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const fromEnv = cliEnv(server.url, { OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj_env' });
    expect((await runCli(['list', JOB], fromEnv)).code).toBe(0);
    expect(server.requests[0]?.headers['openai-organization']).toBe('org-env');
    expect(server.requests[0]?.headers['openai-project']).toBe('proj_env');

    const flags = ['list', JOB, '--organization', 'org-flag', '--project', 'proj_flag'];
    expect((await runCli(flags, fromEnv)).code).toBe(0);
    expect(server.requests[1]?.headers['openai-organization']).toBe('org-flag');
    expect(server.requests[1]?.headers['openai-project']).toBe('proj_flag');

    expect((await runCli(['list', JOB], cliEnv(server.url))).code).toBe(0);
    expect(server.requests[2]?.headers['openai-organization']).toBeUndefined();
    expect(server.requests[2]?.headers['openai-project']).toBeUndefined();
  });

  it('--max-retries N makes N + 1 attempts', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        500,
        { error: { message: 'down', type: 'server_error', param: null, code: null } },
        { 'retry-after-ms': '1' },
      ),
    );
    const result = await runCli(['list', JOB, '--max-retries', '1'], cliEnv(server.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ft-checkpoints: error: .*500/);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    await runCli(['best', JOB, '--max-retries', '0'], cliEnv(server.url));
    expect(server.requests).toHaveLength(1);
  });

  it('--timeout MS ends a hanging request with one line and exit 1', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const started = Date.now();
    const result = await runCli(
      ['chart', JOB, '--timeout', '300', '--max-retries', '0'],
      cliEnv(server.url),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ft-checkpoints: error: .*tim/i);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses bad values before any request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    for (const args of [
      ['--timeout', '0'],
      ['--max-retries=-1'],
      ['--organization', 'has space'],
      ['--project', ''],
    ]) {
      const result = await runCli(['list', JOB, ...args], cliEnv(server.url));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^ft-checkpoints: error: ${args[0]?.split('=')[0]}`),
      );
    }
    expect(server.requests).toHaveLength(0);
  });
});
