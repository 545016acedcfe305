// Scenario 1b: the CPU each client spends on one request for a page of 10, in µs, with `fetch`
// answering from memory (see client-cpu-child.mjs). What the one-page scenario measures through
// the network's noise, this measures directly; the floor is `fetch` + `JSON.parse` as there.
import { join } from 'node:path';
import { contenders } from '../contenders/index.mjs';
import { runChild } from '../lib/child.mjs';
import { benchDir } from '../lib/paths.mjs';
import { medianOver, rowsById } from '../lib/stats.mjs';

const IDS = ['floor', 'openapi-fetch', 'openai', 'ours'];
const LIMIT = 10;

export async function run({ quick }) {
  const sizes = quick
    ? { rounds: 5, warmup: 1, batch: 100 }
    : { rounds: 25, warmup: 5, batch: 2000 };
  // Its own process: the patched global fetch must not reach any other scenario.
  const values = await runChild(
    join(benchDir, 'scenarios', 'client-cpu-child.mjs'),
    { ids: IDS, limit: LIMIT, sizes },
    { label: 'client-cpu child' },
  );
  const over = (id, baseId) => medianOver(values, id, baseId);
  return {
    title: 'Client CPU per request, fetch answered from memory (limit 10)',
    unit: 'µs/request',
    better: 'lower',
    sizes,
    rows: rowsById(IDS, values, contenders),
    details: IDS.filter((id) => id !== 'floor').map(
      (id) =>
        `${contenders[id].name}: +${over(id, 'floor').toFixed(1)} µs over the floor per request` +
        (id === 'ours'
          ? `, +${over(id, 'openapi-fetch').toFixed(1)} µs over bare openapi-fetch`
          : '') +
        ' (medians of per-round differences).',
    ),
  };
}
