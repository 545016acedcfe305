// Scenario 10 (issue 19): listing many jobs against OpenAI's rate limit. The project's own server,
// in its own process, limits requests as a token bucket (200 requests/s, burst 20) and answers each
// in 20 ms, with OpenAI's headers and formats (bench/server.mjs). Each process of the "service" has
// one client and lists its share of 1,000 jobs with the obvious code, Promise.all or p-limit(16)
// (rate-limit-child.mjs). Per case and contender: failed jobs, wall ÷ floor (the floor: the fewest
// requests ÷ the rate), the share of requests that were 429s, requests ÷ the fewest, the most
// sockets open at the server at once, the peak RSS of a process, warnings, and whether each
// process exited by itself.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { benchDir } from '../lib/paths.mjs';
import { withRedis } from '../lib/redis-server.mjs';
import { withServer } from '../lib/with-server.mjs';

export const RATE_LIMIT = { perSecond: 200, burst: 20 };
const DELAY_MS = 20;
/** The API's page size when none is asked for. */
const DEFAULT_LIMIT = 20;
/** How long a process may take to exit by itself once it has reported, in ms. */
const EXIT_GRACE_MS = 15_000;

export const CONTENDERS = {
  ours: 'this package',
  openai: 'openai SDK',
  'ours-redis': 'this package + Redis limiter',
};
const ALL = ['ours', 'openai'];

/** The cases of the issue's targets; `--quick` runs four of them, tiny. */
function casesFor(quick) {
  const jobs = quick ? 16 : 1_000;
  const cases = [
    { id: 'all-3', user: 'Promise.all', checkpoints: 3 },
    { id: 'plimit-3', user: 'p-limit(16)', checkpoints: 3 },
    { id: 'all-250', user: 'Promise.all', checkpoints: 250, limit: 100 },
    { id: 'plimit-250', user: 'p-limit(16)', checkpoints: 250, limit: 100 },
    { id: 'four-3', user: 'p-limit(16)', checkpoints: 3, processes: 4 },
    {
      id: 'four-redis-3',
      user: 'p-limit(16)',
      checkpoints: 3,
      processes: 4,
      redis: true,
      contenders: ['ours-redis'],
    },
    { id: 'unlimited-250', user: 'Promise.all', checkpoints: 250, limit: 100, unlimited: true },
  ].map((c) => ({ processes: 1, contenders: ALL, jobs, ...c }));
  if (!quick) return cases;
  // Every code path once, with as few processes as that takes: one process with each contender
  // against the limit and without one, and two processes sharing Redis.
  return cases
    .filter((c) => ['all-3', 'four-redis-3', 'unlimited-250'].includes(c.id))
    .map((c) => (c.redis ? { ...c, processes: 2 } : c));
}

const describeCase = (c) =>
  `${c.processes === 1 ? 'one process' : `${c.processes} processes`}${c.redis ? ' + Redis' : ''}, ` +
  `${c.user}, ${c.jobs.toLocaleString('en-US')} jobs × ${c.checkpoints}` +
  (c.unlimited ? ', no rate limit' : '');

/** Forks the case's processes, starts them together, and collects what they and the server saw. */
async function runOnce(server, c, contender, redisPort) {
  await server.reset();
  const perProcess = c.jobs / c.processes;
  const children = Array.from({ length: c.processes }, (_, i) =>
    fork(
      join(benchDir, 'scenarios', 'rate-limit-child.mjs'),
      [
        JSON.stringify({
          contender,
          baseUrl: server.baseUrl,
          firstJob: i * perProcess,
          jobs: perProcess,
          limit: c.limit,
          concurrency: c.user === 'p-limit(16)' ? 16 : 0,
          redisPort,
        }),
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    ),
  );
  const next = (child, type) =>
    Promise.race([
      new Promise((resolve) => {
        const onMessage = (message) => {
          if (message.type !== type) return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
      }),
      once(child, 'exit').then(([code]) => {
        throw new Error(`rate-limit child (${contender}) exited with ${code} before '${type}'`);
      }),
    ]);
  await Promise.all(children.map((child) => next(child, 'ready')));
  const started = performance.now();
  const done = children.map((child) => next(child, 'done'));
  for (const child of children) child.send('go');
  const reports = await Promise.all(done);
  const wallMs = performance.now() - started;
  const stats = await server.stats();
  const exits = await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return true;
      const timer = setTimeout(() => child.kill(), EXIT_GRACE_MS);
      const [code, signal] = await once(child, 'exit');
      clearTimeout(timer);
      return signal === null && code === 0;
    }),
  );
  const pages = Math.ceil(c.checkpoints / (c.limit ?? DEFAULT_LIMIT));
  const minimum = c.jobs * pages;
  const floorMs = (minimum / RATE_LIMIT.perSecond) * 1000;
  return {
    id: `${c.id}:${contender}`,
    case: c.id,
    caseName: describeCase(c),
    contender,
    name: CONTENDERS[contender],
    failed: reports.reduce((n, r) => n + r.failed, 0),
    firstError: reports.find((r) => r.firstError)?.firstError,
    checkpoints: reports.reduce((n, r) => n + r.checkpoints, 0),
    wallMs,
    wallOverFloor: c.unlimited ? undefined : wallMs / floorMs,
    requests: stats.started,
    limited: stats.limited,
    limitedShare: stats.limited / stats.started,
    requestsOverMinimum: stats.started / minimum,
    peakSockets: stats.peakOpen,
    peakRssMB: Math.max(...reports.map((r) => r.peakRssMB)),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    exitedBySelf: exits.every(Boolean),
  };
}

const percent = (share) => `${(share * 100).toFixed(1)} %`;
const times = (ratio) => (ratio === undefined ? '—' : `${ratio.toFixed(2)}×`);

export async function run({ quick }) {
  const rows = [];
  for (const c of casesFor(quick)) {
    const options = {
      checkpoints: c.checkpoints,
      delayMs: DELAY_MS,
      rateLimit: c.unlimited ? undefined : RATE_LIMIT,
    };
    await withServer(options, async (server) => {
      for (const contender of c.contenders) {
        const once = (redisPort) => runOnce(server, c, contender, redisPort);
        rows.push(await (c.redis ? withRedis(({ port }) => once(port)) : once()));
      }
    });
  }
  const sdkWall = (caseId) =>
    rows.find((r) => r.case === caseId && r.contender === 'openai')?.wallMs;
  return {
    title: `Listing many jobs against a rate limit (${RATE_LIMIT.perSecond} requests/s, burst ${RATE_LIMIT.burst}, ${DELAY_MS} ms per request)`,
    unit: 'mixed',
    better: 'lower',
    rows,
    table: {
      header: [
        'case',
        'contender',
        'failed jobs',
        'wall',
        'wall ÷ floor',
        '429s',
        'requests ÷ min',
        'sockets',
        'peak RSS',
      ],
      rows: rows.map((r) => [
        r.caseName,
        r.name,
        String(r.failed),
        `${(r.wallMs / 1000).toFixed(2)} s`,
        times(r.wallOverFloor),
        percent(r.limitedShare),
        times(r.requestsOverMinimum),
        String(r.peakSockets),
        `${r.peakRssMB.toFixed(0)} MB`,
      ]),
    },
    details: rows
      .filter(
        (r) =>
          r.failed > 0 ||
          r.warnings.length > 0 ||
          !r.exitedBySelf ||
          r.case.startsWith('unlimited'),
      )
      .map(
        (r) =>
          `${r.caseName}, ${r.name}: ${r.failed} failed${r.firstError ? ` (first: ${r.firstError})` : ''}` +
          `; warnings: ${r.warnings.join(', ') || 'none'}; exited by itself: ${r.exitedBySelf ? 'yes' : 'no'}` +
          (sdkWall(r.case) ? `; wall ÷ the SDK's: ${times(r.wallMs / sdkWall(r.case))}` : ''),
      ),
  };
}
