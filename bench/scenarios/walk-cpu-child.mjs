// Child process of the walk-cpu scenario: `globalThis.fetch` answers every request from memory,
// from a job of 300 pages of 10 (the page `after` asks for, pre-serialised), before any contender
// exists. Each contender walks the whole job with `for await`; sends back µs per page, round by
// round.
import { JOB_ID, createAll } from '../contenders/index.mjs';
import { sumSteps } from '../contenders/consume.mjs';
import { indexOfId, listPage } from '../lib/fixtures.mjs';
import { interleave } from '../lib/stats.mjs';

const { ids, pages, limit, sizes } = JSON.parse(process.argv[2]);
const total = pages * limit;
const bodies = Array.from({ length: pages }, (_, page) =>
  JSON.stringify(listPage({ total, jobId: JOB_ID, start: page * limit, limit })),
);
const headers = { 'content-type': 'application/json', 'x-request-id': 'req_walk' };
globalThis.fetch = async (input) => {
  const after = new URL(typeof input === 'string' ? input : input.url).searchParams.get('after');
  const page = after === null ? 0 : (indexOfId(after) + 1) / limit;
  return new Response(bodies[page], { status: 200, headers });
};

// No server listens here; nothing is sent over the network.
const contenders = await createAll(ids, 'http://127.0.0.1:9/v1');
for (const { name, client } of contenders) {
  const { sink, consume } = sumSteps();
  await client.iterate(JOB_ID, limit, consume);
  if (sink.items !== total) throw new Error(`${name}: walked ${sink.items} of ${total} items`);
}
const samples = await interleave(contenders, sizes, async ({ client }) => {
  const started = performance.now();
  for (let i = 0; i < sizes.batch; i++) await client.iterate(JOB_ID, limit, sumSteps().consume);
  return ((performance.now() - started) * 1000) / (sizes.batch * pages);
});
process.send(Object.fromEntries(contenders.map((c) => [c.id, samples.get(c)])));
