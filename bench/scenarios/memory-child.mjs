// Child process of the memory scenario, started with --expose-gc so the baseline is taken after a
// full collection. Walks the whole job with one contender, samples heapUsed after every page, and
// sends back the peak growth over the baseline (and what is still retained after a final gc).
import { getHeapSpaceStatistics } from 'node:v8';
import { API_KEY, JOB_ID, contenders } from '../contenders/index.mjs';

const { id, baseUrl, pageSize, total } = JSON.parse(process.argv[2]);
const MB = 1024 * 1024;
// heapUsed minus the young generation: what survived scavenges (live data, or garbage promoted
// to the old generation and awaiting a full gc). A diagnostic beside the target's heapUsed.
const oldUsed = () =>
  getHeapSpaceStatistics()
    .filter((space) => space.space_name !== 'new_space')
    .reduce((sum, space) => sum + space.space_used_size, 0);

const client = await contenders[id].create({ baseUrl, apiKey: API_KEY });
gc();
gc();
const baseline = process.memoryUsage().heapUsed;
const oldBaseline = oldUsed();
let peak = baseline;
let oldPeak = oldBaseline;
let items = 0;
const started = performance.now();
await client.iterate(JOB_ID, pageSize, () => {
  if (++items % pageSize !== 0) return;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  oldPeak = Math.max(oldPeak, oldUsed());
});
const seconds = (performance.now() - started) / 1000;
if (items !== total) throw new Error(`${id}: saw ${items} of ${total} checkpoints`);
gc();
process.send({
  peakGrowthMB: (peak - baseline) / MB,
  oldGenerationPeakGrowthMB: (oldPeak - oldBaseline) / MB,
  retainedMB: (process.memoryUsage().heapUsed - baseline) / MB,
  baselineMB: baseline / MB,
  seconds,
});
