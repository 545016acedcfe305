// Scenario 3: latency-bound paging. The server answers each page after 5 ms and the consumer
// spends 5 ms of async work per page, so a pager that fetches page N+1 while page N is being
// consumed can approach twice the speed of a sequential one. Also checks prefetch's two promises:
// no request past the last page, and an early `break` aborts the one request in flight.
import { JOB_ID, createAll } from '../contenders/index.mjs';
import { asyncWorkPerPage, sumSteps } from '../contenders/consume.mjs';
import { interleave, toRows } from '../lib/stats.mjs';
import { withServer } from '../lib/with-server.mjs';

const PAGE_SIZE = 10;
const SERVER_DELAY_MS = 5;
const WORK_MS = 5;
// For the early-break check the 4th response is held back long enough that the break always
// lands while it is still in flight, however noisy the machine.
const BREAK_SERVER_DELAY_MS = 200;
const BREAK_AFTER_PAGES = 3;

export async function run({ quick }) {
  const sizes = quick ? { pages: 10, rounds: 2, warmup: 0 } : { pages: 100, rounds: 5, warmup: 1 };
  const total = sizes.pages * PAGE_SIZE;
  const timing = await withServer(
    { checkpoints: total, delayMs: SERVER_DELAY_MS },
    async (server) => {
      const contenders = await createAll(['openai', 'ours', 'ours-prefetch'], server.baseUrl);
      const samples = await interleave(contenders, sizes, async ({ name, client }) => {
        const { sink, consume } = asyncWorkPerPage(PAGE_SIZE, WORK_MS);
        const started = performance.now();
        await client.iterate(JOB_ID, PAGE_SIZE, consume);
        if (sink.items !== total)
          throw new Error(`${name}: saw ${sink.items} of ${total} checkpoints`);
        return performance.now() - started;
      });
      const prefetching = contenders.find((c) => c.id === 'ours-prefetch').client;
      await server.reset();
      await prefetching.iterate(JOB_ID, PAGE_SIZE, asyncWorkPerPage(PAGE_SIZE, WORK_MS).consume);
      const { started: requests } = await server.stats();
      return { rows: toRows(contenders, samples), fullRun: { pages: sizes.pages, requests } };
    },
  );
  const earlyBreak = await checkEarlyBreak(total);
  return {
    title: `Latency-bound (${sizes.pages} pages, server ${SERVER_DELAY_MS} ms + consumer ${WORK_MS} ms per page)`,
    unit: 'ms',
    better: 'lower',
    sizes: { ...sizes, serverDelayMs: SERVER_DELAY_MS, workMs: WORK_MS },
    rows: timing.rows,
    checks: {
      prefetchRequests: timing.fullRun.requests,
      pages: timing.fullRun.pages,
      noRequestPastLastPage: timing.fullRun.requests === timing.fullRun.pages,
      earlyBreak,
    },
  };
}

/** Breaks out of a prefetching loop right after page 3; reports what the server saw. */
async function checkEarlyBreak(total) {
  return withServer({ checkpoints: total, delayMs: BREAK_SERVER_DELAY_MS }, async (server) => {
    const [{ client }] = await createAll(['ours-prefetch'], server.baseUrl);
    await client.iterate(JOB_ID, PAGE_SIZE, sumSteps().consume, {
      breakAfterItems: BREAK_AFTER_PAGES * PAGE_SIZE,
    });
    // Give an abort time to reach the server, and a stray request time to show up.
    await new Promise((resolve) => setTimeout(resolve, BREAK_SERVER_DELAY_MS * 2));
    const stats = await server.stats();
    const fourth = stats.log[BREAK_AFTER_PAGES]?.outcome ?? 'never sent';
    return {
      breakAfterPage: BREAK_AFTER_PAGES,
      requestsStarted: stats.started,
      requestsCompleted: stats.completed,
      fourthRequest: fourth,
      clientClosedSocket: stats.connectionsClosed > 0,
      ok: stats.started <= BREAK_AFTER_PAGES + 1 && fourth !== 'completed',
    };
  });
}
