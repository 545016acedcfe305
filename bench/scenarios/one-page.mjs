// Scenario 1: the cost of one request for one page of 10, in µs, on a warm keep-alive connection.
import { JOB_ID, createAll } from '../contenders/index.mjs';
import { interleave, toRows } from '../lib/stats.mjs';
import { withServer } from '../lib/with-server.mjs';

const TITLE = 'One page (limit 10)';
const LIMIT = 10;

export async function run({ quick }) {
  const sizes = quick
    ? { rounds: 20, warmup: 1, batch: 10 }
    : { rounds: 30, warmup: 5, batch: 200 };
  return withServer({ checkpoints: 1000 }, async (server) => {
    const contenders = await createAll(
      ['floor', 'floor-timeout', 'openapi-fetch', 'openai', 'ours'],
      server.baseUrl,
    );
    for (const { name, client } of contenders) {
      const page = await client.getPage(JOB_ID, LIMIT);
      if (page?.data?.length !== LIMIT) throw new Error(`${name}: expected a page of ${LIMIT}`);
    }
    const samples = await interleave(contenders, sizes, async ({ client }) => {
      const started = performance.now();
      for (let i = 0; i < sizes.batch; i++) await client.getPage(JOB_ID, LIMIT);
      return ((performance.now() - started) * 1000) / sizes.batch;
    });
    return {
      title: TITLE,
      unit: 'µs/request',
      better: 'lower',
      sizes,
      rows: toRows(contenders, samples),
    };
  });
}
