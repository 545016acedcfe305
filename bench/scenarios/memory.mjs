// Scenario 4: peak heap growth while walking 1,000,000 checkpoints (10,000 pages × 100), one
// child process per contender. The floor row shows what fetch + JSON.parse alone costs: heapUsed
// counts garbage not yet collected, so even a loop that keeps nothing grows by up to the size of
// V8's young generation between scavenges.
import { join } from 'node:path';
import { contenders } from '../contenders/index.mjs';
import { runChild } from '../lib/child.mjs';
import { benchDir } from '../lib/paths.mjs';
import { withServer } from '../lib/with-server.mjs';

const PAGE_SIZE = 100;
// The openai SDK is left out: its pager took about as long as the other two rows together
// (~80 s on the reference machine) and the floor row already calibrates the method.
const IDS = ['floor', 'floor-timeout', 'ours', 'ours-prefetch'];

export async function run({ quick }) {
  const pages = quick ? 200 : 10_000;
  const total = pages * PAGE_SIZE;
  // A tenth of the walk, for "must not grow with the count": the same pager over 10× fewer
  // checkpoints should peak about as high. Not in --quick, where neither walk is long enough for
  // V8's young generation to reach its full size, so the two peaks would differ for that alone.
  const tenth = total / 10;
  const rows = await withServer({ checkpoints: total }, async (server) => {
    const rows = [];
    for (const id of IDS) rows.push({ id, ...(await measure(id, server.baseUrl, total)) });
    return rows;
  });
  const atTenth = quick
    ? undefined
    : await withServer({ checkpoints: tenth }, (server) =>
        measure('ours-prefetch', server.baseUrl, tenth),
      );
  return {
    title: `Memory: peak heap growth over ${total.toLocaleString('en-US')} checkpoints (${pages.toLocaleString('en-US')} pages × ${PAGE_SIZE})`,
    unit: 'MB',
    better: 'lower',
    sizes: { pages, pageSize: PAGE_SIZE },
    rows,
    scaling: atTenth && { checkpoints: tenth, peakGrowthMB: atTenth.median },
    details: [
      ...rows.map(
        (row) =>
          `${row.name}: peak heapUsed growth ${row.median.toFixed(1)} MB; old generation alone ` +
          `${row.oldGenerationPeakGrowthMB.toFixed(1)} MB; still retained after the walk and one ` +
          `gc ${row.retainedMB.toFixed(1)} MB; ${row.seconds.toFixed(1)} s.`,
      ),
      ...(atTenth
        ? [
            `${atTenth.name} over ${tenth.toLocaleString('en-US')} checkpoints (a tenth): peak ` +
              `${atTenth.median.toFixed(1)} MB, retained ${atTenth.retainedMB.toFixed(1)} MB.`,
          ]
        : []),
    ],
  };
}

async function measure(id, baseUrl, total) {
  const result = await runChild(
    join(benchDir, 'scenarios', 'memory-child.mjs'),
    { id, baseUrl, pageSize: PAGE_SIZE, total },
    { execArgv: ['--expose-gc'], label: `memory child for ${id}` },
  );
  return {
    name: contenders[id].name,
    median: result.peakGrowthMB,
    min: result.peakGrowthMB,
    max: result.peakGrowthMB,
    samples: 1,
    oldGenerationPeakGrowthMB: result.oldGenerationPeakGrowthMB,
    retainedMB: result.retainedMB,
    seconds: result.seconds,
  };
}
