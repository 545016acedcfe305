// Scenario 2: walking a whole job (1,000 pages × 10 checkpoints) with each contender's idiomatic
// loop, in checkpoints per second. Also checks each loop asked for exactly one request per page.
import { JOB_ID, createAll } from '../contenders/index.mjs';
import { sumSteps } from '../contenders/consume.mjs';
import { interleave, toRows } from '../lib/stats.mjs';
import { withServer } from '../lib/with-server.mjs';

export const title = 'Full iteration (pages × 10 checkpoints)';
const PAGE_SIZE = 10;

export async function run({ quick }) {
  const sizes = quick
    ? { pages: 20, rounds: 3, warmup: 1 }
    : { pages: 1000, rounds: 10, warmup: 1 };
  const total = sizes.pages * PAGE_SIZE;
  const ids = ['floor', 'floor-timeout', 'openapi-fetch', 'openai', 'ours', 'ours-prefetch'];
  return withServer({ checkpoints: total }, async (server) => {
    const contenders = await createAll(ids, server.baseUrl);
    const requests = {};
    const samples = await interleave(contenders, sizes, async ({ id, name, client }) => {
      await server.reset();
      const { sink, consume } = sumSteps();
      const started = performance.now();
      await client.iterate(JOB_ID, PAGE_SIZE, consume);
      const seconds = (performance.now() - started) / 1000;
      if (sink.items !== total)
        throw new Error(`${name}: saw ${sink.items} of ${total} checkpoints`);
      const { started: served } = await server.stats();
      requests[id] = Math.max(requests[id] ?? 0, served);
      return total / seconds;
    });
    return {
      title: `Full iteration (${sizes.pages.toLocaleString('en-US')} pages × ${PAGE_SIZE})`,
      unit: 'checkpoints/s',
      better: 'higher',
      sizes,
      rows: toRows(contenders, samples),
      checks: {
        pages: sizes.pages,
        maxRequestsPerRun: requests,
        oneRequestPerPage: Object.values(requests).every((n) => n === sizes.pages),
      },
    };
  });
}
