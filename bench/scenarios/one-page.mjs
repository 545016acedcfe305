// Scenario 1: the cost of one request for one page of 10, in µs, on a warm keep-alive connection.
import { createAll } from '../contenders/index.mjs';
import { timeOnePage } from '../lib/one-page.mjs';
import { toRows } from '../lib/stats.mjs';
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
    const samples = await timeOnePage(contenders, sizes, LIMIT);
    return {
      title: TITLE,
      unit: 'µs/request',
      better: 'lower',
      sizes,
      rows: toRows(contenders, samples),
    };
  });
}
