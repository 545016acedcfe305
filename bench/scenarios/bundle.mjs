// Scenario 5: min+gzip size of a consumer that lists checkpoints, per library (bench/consumers/).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureBundle } from '../bundle-size.mjs';
import { benchDir, distEntry } from '../lib/paths.mjs';

const CONSUMERS = [
  { id: 'openapi-fetch', name: 'openapi-fetch (one page, no pager)', file: 'openapi-fetch.mjs' },
  { id: 'openai', name: 'openai SDK', file: 'openai.mjs' },
  { id: 'ours', name: 'this package', file: 'ours.mjs' },
];

/** Size of the bundle of bench/consumers/<file>; `ours.mjs` is the one a budget test wants. */
export async function measureConsumer(file) {
  const dir = join(benchDir, 'consumers');
  // The consumer names ../../dist/index.js, as an app would; point it at the build under test.
  const code = (await readFile(join(dir, file), 'utf8')).replace(
    `'../../dist/index.js'`,
    JSON.stringify(distEntry),
  );
  return measureBundle(code, dir);
}

export async function run() {
  const rows = [];
  for (const { id, name, file } of CONSUMERS) {
    const { minified, gzipped } = await measureConsumer(file);
    const kb = gzipped / 1024;
    rows.push({ id, name, median: kb, min: kb, max: kb, samples: 1, minifiedKB: minified / 1024 });
  }
  return {
    title: 'Bundle: consumer min+gzip (esbuild, level 9)',
    unit: 'KB',
    better: 'lower',
    rows,
  };
}
