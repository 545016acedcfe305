// Child process of the client-cpu scenario. `globalThis.fetch` is replaced, before any contender
// exists, by one that answers every request from memory with the same page, so a request costs
// only what each client does around `fetch`: the network's jitter, which dominates the one-page
// scenario on a shared machine, is gone. Sends back { [id]: µs per request, round by round }.
import { JOB_ID, createAll } from '../contenders/index.mjs';
import { listPage } from '../lib/fixtures.mjs';
import { timeOnePage } from '../lib/one-page.mjs';

const { ids, limit, sizes } = JSON.parse(process.argv[2]);
const body = JSON.stringify(listPage({ total: limit, jobId: JOB_ID, start: 0, limit }));
const headers = { 'content-type': 'application/json', 'x-request-id': 'req_cpu' };
// A fresh Response each time, as a real fetch gives: its construction is the same for everyone.
globalThis.fetch = async () => new Response(body, { status: 200, headers });

// No server listens here; nothing is sent over the network.
const contenders = await createAll(ids, 'http://127.0.0.1:9/v1');
const samples = await timeOnePage(contenders, sizes, limit);
process.send(Object.fromEntries(contenders.map((c) => [c.id, samples.get(c)])));
