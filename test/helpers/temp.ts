// Temporary folders for tests, removed by the pool that made them, so that a passing run leaves
// nothing in the temp directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Makes temp folders for one test file and removes them: `const tempFolder = tempFolders();` at the
 * top of a file (or of a describe), then `const dir = await tempFolder('ft-thing-')`. Scope
 * `'test'` (the default) removes them after each test; `'file'` (make them in `beforeAll`) after
 * the file or describe.
 */
export function tempFolders(scope: 'test' | 'file' = 'test'): (prefix: string) => Promise<string> {
  const made: string[] = [];
  (scope === 'test' ? afterEach : afterAll)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (prefix) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
