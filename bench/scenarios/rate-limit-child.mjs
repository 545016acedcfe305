// Child process of the rate-limit scenario: one process of the user's service, with one client,
// listing its share of the jobs the obvious way (`Promise.all`, or p-limit(16)) once the parent
// says go, so that several processes start together. Sends back what it saw: failed jobs,
// checkpoints, its peak RSS, the warnings it printed; then lets go of everything and must exit
// by itself.
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { API_KEY } from '../contenders/index.mjs';
import { distEntry, repoRoot } from '../lib/paths.mjs';

const { contender, baseUrl, firstJob, jobs, limit, concurrency, redisPort } = JSON.parse(
  process.argv[2],
);
const warnings = [];
process.on('warning', (warning) => warnings.push(warning.name));
const query = limit ? { limit } : {};
const cleanup = [];

/** `list(jobId)`: every checkpoint of the job, with this contender's idiomatic code. */
async function listerFor(id) {
  if (id === 'openai') {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: API_KEY, baseURL: baseUrl });
    return async (jobId) => {
      const items = [];
      for await (const checkpoint of client.fineTuning.jobs.checkpoints.list(jobId, query))
        items.push(checkpoint);
      return items;
    };
  }
  const { createCheckpointsClient } = await import(pathToFileURL(distEntry).href);
  const options = { apiKey: API_KEY, baseUrl };
  if (id === 'ours-redis') {
    // Every process shares one limit through Redis (fine-tuning-checkpoints/redis-limiter).
    const { Redis } = await import('ioredis');
    const { createRedisLimiter } = await import(
      pathToFileURL(`${repoRoot}/dist/redis-limiter.js`).href
    );
    const storeClient = new Redis({ port: redisPort, host: '127.0.0.1' });
    cleanup.push(() => storeClient.disconnect());
    options.limiter = createRedisLimiter({ storeClient, key: 'bench' });
  }
  const client = createCheckpointsClient(options);
  return (jobId) => client.listCheckpoints(jobId, query).toArray();
}

const list = await listerFor(contender);
process.send({ type: 'ready' });
process.once('message', async () => {
  const ids = Array.from({ length: jobs }, (_, i) => `ftjob-${firstJob + i}`);
  const throttle = concurrency ? pLimit(concurrency) : (task) => task();
  const outcomes = await Promise.allSettled(ids.map((id) => throttle(() => list(id))));
  const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
  process.send({
    type: 'done',
    failed: rejected.length,
    checkpoints: outcomes.reduce((n, o) => n + (o.status === 'fulfilled' ? o.value.length : 0), 0),
    // The class, not `name`: the SDK's errors are all named 'Error'.
    firstError: rejected[0] && String(rejected[0].reason?.constructor?.name ?? rejected[0].reason),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    warnings,
  });
  for (const close of cleanup) close();
  process.disconnect();
});
