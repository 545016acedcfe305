// Parent side of bench/server.mjs: forks it, waits for its port, and reads or resets its request
// counters over IPC (an HTTP stats endpoint would itself be a request and share the keep-alive pool).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { benchDir } from './paths.mjs';

/**
 * Starts a server for a job of `checkpoints` checkpoints, each response delayed by `delayMs`,
 * rate-limited as OpenAI is when `rateLimit` ({ perSecond, burst }) is given.
 */
export async function startServer({ checkpoints, delayMs = 0, rateLimit }) {
  const config = JSON.stringify({ checkpoints, delayMs, rateLimit });
  const child = fork(join(benchDir, 'server.mjs'), [config], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bench server exited with ${code} before listening`);
    }),
  ]);
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    if (message.type !== 'reply') return;
    pending.get(message.id)?.(message.stats);
    pending.delete(message.id);
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      child.send({ type, id });
    });

  return {
    baseUrl: `http://127.0.0.1:${ready.port}/v1`,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
