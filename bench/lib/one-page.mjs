// The one-page measurement shared by the network and in-memory scenarios: check that every
// contender gets a full page, then time `batch` sequential requests per contender per round.
import { JOB_ID } from '../contenders/index.mjs';
import { interleave } from './stats.mjs';

/** Map contender → µs per request, round by round. */
export async function timeOnePage(contenders, sizes, limit) {
  for (const { name, client } of contenders) {
    const page = await client.getPage(JOB_ID, limit);
    if (page?.data?.length !== limit) throw new Error(`${name}: expected a page of ${limit}`);
  }
  return interleave(contenders, sizes, async ({ client }) => {
    const started = performance.now();
    for (let i = 0; i < sizes.batch; i++) await client.getPage(JOB_ID, limit);
    return ((performance.now() - started) * 1000) / sizes.batch;
  });
}
