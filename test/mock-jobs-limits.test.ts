// The mock's jobs file is bounded: a file asking for more checkpoints than a mock can hold (or
// bigger than it reads) is refused with a one-line JobsFileError before any memory is spent.
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOBS_FILE_LIMITS, JobsFileError, loadJobsFile, parseJobs } from '../src/mock/index.js';
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
});
