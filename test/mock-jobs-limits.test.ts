// The mock's jobs file is bounded: a file asking for more checkpoints than a mock can hold (or
// bigger than it reads) is refused with a one-line JobsFileError before any memory is spent.
// The byte bound holds while reading, for files that have no size to check first: a device, a
// FIFO, a process substitution.
import { spawn, spawnSync } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOBS_FILE_LIMITS, JobsFileError, loadJobsFile, parseJobs } from '../src/mock/index.js';
import { CLI, CLI_API_KEY } from './helpers/cli.js';
import { tempFolders } from './helpers/temp.js';

describe('jobs file limits', () => {
  const tempFolder = tempFolders('file');
  let dir: string;
  beforeAll(async () => {
    dir = await tempFolder('ft-jobs-limits-');
  });

  function oneLine(run: () => unknown): string {
    let error: unknown;
    try {
      run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JobsFileError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }

  it('are documented values', () => {
    expect(JOBS_FILE_LIMITS).toEqual({ checkpoints: 200_000, bytes: 64 * 1024 * 1024 });
  });

  it('a count a mock cannot hold is refused at once (not generated)', () => {
    const start = performance.now();
    const message = oneLine(() => parseJobs({ 'ftjob-1': { count: 1e12 } }, 'jobs.json'));
    expect(message).toMatch(/"ftjob-1"\.count 1000000000000 is more than a mock holds/);
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it('the bound is over all jobs of the file, checked before anything is generated', () => {
    const start = performance.now();
    const message = oneLine(() =>
      parseJobs(
        { a: { count: JOBS_FILE_LIMITS.checkpoints }, b: [], c: { count: 1 } },
        'jobs.json',
      ),
    );
    expect(message).toMatch(/jobs\.json: more than 200000 checkpoints in all \(at "c"\)/);
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(parseJobs({ a: { count: 2 }, b: { count: 3 } }).b).toHaveLength(3);
  });

  it('a file larger than the byte bound is refused before it is read', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, JOBS_FILE_LIMITS.bytes + 1);
    const error = await loadJobsFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobsFileError);
    expect((error as Error).message).toMatch(/is 67108865 bytes, more than a mock reads/);
  });

  const beyondTheBound = new RegExp(
    `^jobs file \\S+ holds more than ${JOBS_FILE_LIMITS.bytes} bytes, more than a mock reads$`,
  );

  it('a device without a size (/dev/zero) is read only up to the bound', async () => {
    const error = await loadJobsFile('/dev/zero').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobsFileError);
    expect((error as Error).message).toMatch(beyondTheBound);
  });

  it('so is a FIFO that never ends', async () => {
    const fifo = join(dir, 'endless.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer blocks until the mock opens the FIFO, and dies of SIGPIPE when it closes it.
    const writer = spawn('sh', ['-c', 'exec yes > "$1"', 'sh', fifo], { stdio: 'ignore' });
    const ended = new Promise((resolve) => writer.once('close', resolve));
    const error = await loadJobsFile(fifo).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(beyondTheBound);
    await ended;
  });

  it('ft-checkpoints mock --jobs <(yes): one line, exit 1', () => {
    // --norc: bash reads ~/.bashrc when its stdin is a socket, as a child's pipes are.
    const result = spawnSync(
      'bash',
      ['--norc', '-c', 'exec "$0" "$1" mock --port 0 --jobs <(yes)', process.execPath, CLI],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: CLI_API_KEY },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^ft-checkpoints: error: jobs file /dev/fd/\\d+ holds more than ${JOBS_FILE_LIMITS.bytes} bytes, more than a mock reads\\n$`,
      ),
    );
  });
});
