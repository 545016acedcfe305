// The Redis limiter (fine-tuning-checkpoints/redis-limiter) against a real redis-server: limiters
// of different connections share the slots, a 429 seen by one pauses the others, the limit
// learned by one paces the others, a Redis that is down lets sends through, and four processes
// listing against one rate-limited server through one Redis stay within its limit.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { createRedisLimiter, slotsFor } from '../src/redis-limiter.js';
import { checkpoints, closedPort, pageBody, sendJson, serverPool } from './helpers/http.js';
import { redisForFile } from './helpers/redis.js';
import { tokenBucket } from './helpers/simulation.js';
import { tempFolders } from './helpers/temp.js';

const redis = redisForFile();
const serve = serverPool();
const tempFolder = tempFolders();
/** A fixed wall clock: slots then follow from the reservations alone. */
const T = 1_800_000_000_000;

let keys = 0;
/** Two limiters on two connections (two processes, as far as Redis can tell), one key. */
async function twoLimiters(options: { requestsPerMinute?: number; share?: number } = {}) {
  const server = await redis();
  const key = `test-${++keys}`;
  const [a, b] = [server.client(), server.client()].map((storeClient) =>
    createRedisLimiter({ storeClient, key, now: () => T, ...options }),
  );
  /** The limit Redis holds for the key, as rate-limiter-flexible stores it. */
  const sharedRate = async () => {
    const client = server.client();
    const value = await client.get(`fine-tuning-checkpoints:${key}:rate`);
    return value === null ? undefined : Number(value);
  };
  return { a: a!, b: b!, sharedRate };
}

/** What a limiter is told after a response that reported the limit. */
const reported = (limit: number, remaining: number, resetMs: number) => ({
  status: 200,
  rateLimit: { limit, remaining, resetMs },
  retryAfterMs: undefined,
});

/** How many reservations each slot got, in slot order (a slot's sends share one delay). */
function sendsPerSlot(delays: number[]): number[] {
  const counts = new Map<number, number>();
  for (const delay of delays.toSorted((x, y) => x - y))
    counts.set(delay, (counts.get(delay) ?? 0) + 1);
  return [...counts.values()];
}

describe('slots', () => {
  it('hold a whole number of sends, about 50 ms each, at the share of the limit', () => {
    expect(slotsFor(12_000, 0.95)).toEqual({ perSlot: 10, slotMs: 10 / 0.19 });
    expect(slotsFor(60_000, 1)).toEqual({ perSlot: 50, slotMs: 50 });
    // A small limit: one send per slot, the slot as long as it takes.
    expect(slotsFor(60, 1)).toEqual({ perSlot: 1, slotMs: 1_000 });
  });
});

describe('createRedisLimiter', () => {
  it('limiters on different connections share one limit: each slot is filled once', async () => {
    const { a, b } = await twoLimiters({ requestsPerMinute: 60_000, share: 1 });
    // 50 sends per 50 ms slot; 120 reservations from both, alternating.
    const delays: number[] = [];
    for (let i = 0; i < 60; i++) delays.push(await a.reserve(), await b.reserve());
    expect(sendsPerSlot(delays)).toEqual([50, 50, 20]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(100);
  });

  it('a 429 seen by one process pauses the others until its retry-after', async () => {
    const { a, b } = await twoLimiters({ requestsPerMinute: 60_000 });
    expect(await b.reserve()).toBeLessThan(50);
    a.observe({ status: 429, rateLimit: undefined, retryAfterMs: 5_000 });
    // a's write is on its own connection: its next round trip comes after it.
    await a.reserve();
    const delay = await b.reserve();
    expect(delay).toBeGreaterThan(4_950);
    expect(delay).toBeLessThanOrEqual(5_000);
  });

  it('the limit one process learns from the headers paces the others', async () => {
    const { a, b, sharedRate } = await twoLimiters();
    // Nothing known yet: no pacing from Redis.
    expect(await b.reserve()).toBe(0);
    expect(await b.reserve()).toBe(0);
    // 9.5 spent (10 counted whole), whole again in 47.5 ms: 200 requests/s, 12,000 a minute.
    const observation = reported(20, 10, 47.5);
    // One response is not enough to share: a first guess could be far off.
    a.observe(observation);
    await a.reserve();
    expect(await sharedRate()).toBeUndefined();
    for (let i = 1; i < 8; i++) a.observe(observation);
    await a.reserve();
    expect(await sharedRate()).toBe(12_000);
    const { perSlot } = slotsFor(12_000, 0.95);
    const delays: number[] = [];
    for (let i = 0; i < 25; i++) delays.push(await b.reserve());
    // a's own reservation took one place in the first slot.
    expect(sendsPerSlot(delays)).toEqual([perSlot - 1, perSlot, 25 - 2 * perSlot + 1]);
  });

  it('a shared limit a tenth too high is corrected; one within the band is left alone', async () => {
    const { a, b, sharedRate } = await twoLimiters();
    // As a client does: a reservation (which reads what Redis holds) before each response.
    const learn = async (limiter: typeof a, resetMs: number, responses = 8) => {
      for (let i = 0; i < responses; i++) {
        await limiter.reserve();
        limiter.observe(reported(20, 10, resetMs));
      }
      await limiter.reserve();
    };
    await learn(a, 47.5); // 12,000 a minute
    expect(await sharedRate()).toBe(12_000);
    // b learns 11,400 (5 % lower): noise, within the band.
    await learn(b, 50);
    expect(await sharedRate()).toBe(12_000);
    // The limit dropped: a learns towards 9,500 (21 % lower), and rewrites it once a tenth lower.
    await learn(a, 60, 40);
    expect(await sharedRate()).toBeLessThan(12_000 * 0.9);
  });

  it('a Redis that is down lets the send go, and says why', async () => {
    const storeClient = new Redis({
      port: await closedPort(),
      host: '127.0.0.1',
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    storeClient.on('error', () => {});
    const errors: unknown[] = [];
    try {
      const limiter = createRedisLimiter({ storeClient, onError: (error) => errors.push(error) });
      expect(await limiter.reserve()).toBe(0);
      expect(String(errors[0])).toMatch(/Stream isn't writeable|enableOfflineQueue/i);
    } finally {
      storeClient.disconnect();
    }
  });

  it('refuses bad options with InvalidArgumentError, before any Redis command', () => {
    const storeClient = {};
    expect(() => createRedisLimiter({ storeClient: undefined })).toThrow(InvalidArgumentError);
    expect(() => createRedisLimiter({ storeClient, key: 'a b' })).toThrow(/key must be/);
    expect(() => createRedisLimiter({ storeClient, requestsPerMinute: 0 })).toThrow(
      /requestsPerMinute must be a number > 0/,
    );
    expect(() => createRedisLimiter({ storeClient, share: 1.5 })).toThrow(/share must be/);
  });
});

/**
 * One child process: lists `jobs` jobs, once the parent says go, through a client whose scheduler
 * asks the Redis limiter before every attempt (the `limiter` option).
 */
const CHILD = `
import { Redis } from 'ioredis';
import { createCheckpointsClient } from './src/index.js';
import { createRedisLimiter } from './src/redis-limiter.js';

const { baseUrl, redisPort, key, jobs } = JSON.parse(process.argv[2]);
const storeClient = new Redis({ port: redisPort, host: '127.0.0.1' });
const client = createCheckpointsClient({
  apiKey: 'sk-test-redis',
  baseUrl,
  limiter: createRedisLimiter({ storeClient, key }),
});
process.once('message', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: jobs }, (_, i) => client.listCheckpoints('ftjob-' + i).toArray()),
  );
  process.send({
    failed: results.filter((r) => r.status === 'rejected').length,
    items: results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.length : 0), 0),
  });
  storeClient.disconnect();
  process.disconnect();
});
process.send('ready');
`;

describe('four processes, one rate-limited server, one Redis', () => {
  it(
    'list every job; once one has learned the limit, all four stay within it',
    { timeout: 90_000 },
    async () => {
      const server = await redis();
      const bucket = tokenBucket(performance, { perSecond: 100, burst: 10 });
      const api = await serve((_req, res) => {
        const { status, headers } = bucket.answer();
        const rate = Object.fromEntries(headers);
        if (status !== 429)
          return setTimeout(() => sendJson(res, 200, pageBody(checkpoints(3), false), rate), 5);
        sendJson(
          res,
          429,
          {
            error: {
              message: 'Rate limit reached',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          },
          rate,
        );
      });
      const script = join(await tempFolder('ft-redis-'), 'lister.cjs');
      const bundle = await build({
        stdin: { contents: CHILD, resolveDir: join(import.meta.dirname, '..'), loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        logLevel: 'silent',
      });
      await writeFile(script, bundle.outputFiles[0]!.contents);

      // Four processes on one key, started together once all are loaded.
      const run = async () => {
        bucket.stats.requests = bucket.stats.limited = 0;
        const argument = JSON.stringify({
          baseUrl: api.url,
          redisPort: server.port,
          key: 'four',
          jobs: 30,
        });
        const children = Array.from({ length: 4 }, () =>
          fork(script, [argument], { execArgv: [] }),
        );
        await Promise.all(children.map((child) => once(child, 'message')));
        const results = await Promise.all(
          children.map(async (child) => {
            const message = once(child, 'message');
            child.send('go');
            const [result] = (await message) as [{ failed: number; items: number }];
            if (child.exitCode === null) await once(child, 'exit');
            return result;
          }),
        );
        return { ...bucket.stats, results };
      };

      const learning = await run();
      expect(learning.results).toEqual(Array(4).fill({ failed: 0, items: 90 }));
      // The limit the first four learned is in Redis: the next four pace from their first request.
      const knowing = await run();
      expect(knowing.results).toEqual(Array(4).fill({ failed: 0, items: 90 }));
      expect(knowing.requests).toBeGreaterThanOrEqual(120);
      expect(knowing.limited).toBeLessThanOrEqual(2);
    },
  );
});
