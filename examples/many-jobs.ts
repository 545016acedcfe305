// Lists the checkpoints of many jobs at once, the obvious way: the client's scheduler keeps the
// requests within the rate limit. With REDIS_URL set, every process running this shares one
// limit through Redis.
//   OPENAI_API_KEY=... npx tsx examples/many-jobs.ts ftjob-a ftjob-b ftjob-c
import { Redis } from 'ioredis';
import { createCheckpointsClient } from 'fine-tuning-checkpoints';
import { createRedisLimiter } from 'fine-tuning-checkpoints/redis-limiter';

const jobIds = process.argv.slice(2);

function clientFor(redisUrl: string | undefined) {
  if (redisUrl === undefined) return { client: createCheckpointsClient(), close() {} };
  const storeClient = new Redis(redisUrl);
  const limiter = createRedisLimiter({ storeClient });
  const client = createCheckpointsClient({ limiter });
  return { client, close: () => storeClient.disconnect() };
}

const { client, close } = clientFor(process.env.REDIS_URL);
try {
  const all = await Promise.all(jobIds.map((id) => client.listCheckpoints(id).toArray()));
  for (const [i, checkpoints] of all.entries()) {
    console.log(`${jobIds[i]}\t${checkpoints.length} checkpoints`);
  }
} finally {
  close();
}
