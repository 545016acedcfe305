// A real redis-server for the tests (Debian's package; `.ci/run` installs it): started on
// 127.0.0.1 on a free port, with nothing saved to disk, and stopped by the pool that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { closedPort } from './http.js';

/** Where Debian puts it; `REDIS_SERVER` points elsewhere. */
const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** A running redis-server. */
export interface RedisServer {
  port: number;
  url: string;
  /** A new ioredis client, closed with the server. */
  client(): Redis;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port of 127.0.0.1 and waits until it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `${REDIS_SERVER} not found: install Debian's redis-server (apt-get install redis-server), or set REDIS_SERVER`,
    );
  }
  const port = await closedPort();
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/ready to accept connections/i.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  await ready;
  const clients: Redis[] = [];
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client() {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
      clients.push(client);
      return client;
    },
    async stop() {
      clients.splice(0).forEach((client) => client.disconnect());
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A redis-server for one test file: started on first use, stopped after the file. */
export function redisForFile(): () => Promise<RedisServer> {
  let started: Promise<RedisServer> | undefined;
  afterAll(async () => (await started)?.stop());
  return () => (started ??= startRedis());
}
