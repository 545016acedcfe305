// Scenario 1c (issue 18): the CPU each client spends walking a job of 300 pages of 10 with
// `for await`, per page, with `fetch` answering from memory (walk-cpu-child.mjs): the pager, the
// checks and the page objects, without the network's noise. Prefetch is off for this package, so
// that every contender walks one request at a time.
import { join } from 'node:path';
import { contenders } from '../contenders/index.mjs';
import { runChild } from '../lib/child.mjs';
import { benchDir } from '../lib/paths.mjs';
import { medianOver, rowsById } from '../lib/stats.mjs';

const IDS = ['floor', 'openapi-fetch', 'openai', 'ours'];
const PAGES = 300;
const LIMIT = 10;

export async function run({ quick }) {
  const sizes = quick ? { rounds: 3, warmup: 1, batch: 1 } : { rounds: 15, warmup: 3, batch: 5 };
  const values = await runChild(
    join(benchDir, 'scenarios', 'walk-cpu-child.mjs'),
    { ids: IDS, pages: quick ? 20 : PAGES, limit: LIMIT, sizes },
    { label: 'walk-cpu child' },
  );
  const over = (id, baseId) => medianOver(values, id, baseId);
  return {
    title: `Walking ${PAGES} pages of ${LIMIT} with for await, CPU per page, fetch answered from memory`,
    unit: 'µs/page',
    better: 'lower',
    sizes,
    rows: rowsById(IDS, values, contenders),
    details: IDS.filter((id) => id !== 'floor').map(
      (id) =>
        `${contenders[id].name}: +${over(id, 'floor').toFixed(1)} µs over the floor per page ` +
        '(medians of per-round differences).',
    ),
  };
}
