// Where things live. Plain .mjs (not TypeScript) so the harness runs with bare `node`, without a
// build step of its own, against whatever `npm run build` left in dist/.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(benchDir, '..');

/** The built package under test. BENCH_DIST_ENTRY points the harness at another build. */
export const distEntry = process.env.BENCH_DIST_ENTRY ?? join(repoRoot, 'dist', 'index.js');

/** Full runs write here; --quick runs write to tmpDir so they never clobber committed results. */
export const resultsDir = benchDir;
export const tmpDir = join(benchDir, '.tmp');
