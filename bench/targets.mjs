// The performance targets, evaluated against one run's results. A target whose scenario did not
// run (--only) is left out. Each: { scenario, target, measured, pass }.
import { findRow, ratio, vsOpenai } from './report/ratios.mjs';

const x = (value) => `${value.toFixed(2)}×`;

// The bundle targets of issues 17-19: a checkpoints-only consumer, with the rate-limit scheduler.
export const BUNDLE_BUDGET_BYTES = 12_800;
// Issue 18: the library's code lines, the scheduler's modules counted apart.
export const LIBRARY_LINES_BUDGET = 1_400;

export function evaluateTargets(results) {
  const s = results.scenarios;
  const targets = [];
  const add = (scenario, target, measured, pass) =>
    targets.push({ scenario, target, measured, pass: Boolean(pass) });

  const cpu = s['client-cpu'];
  if (cpu) {
    const less = vsOpenai(cpu, 'ours');
    const overBare = ratio(cpu, 'ours', 'openapi-fetch');
    add('client-cpu', 'Client CPU per request: ≥ 1.3× less than openai', x(less), less >= 1.3);
    add(
      'client-cpu',
      'Client CPU per request: within 1.4× of bare openapi-fetch',
      x(overBare),
      overBare <= 1.4,
    );
  }

  const walk = s['walk-cpu'];
  if (walk) {
    const less = vsOpenai(walk, 'ours');
    add(
      'walk-cpu',
      'Walking 300 pages of 10, CPU: ≥ 1.15× less than openai',
      x(less),
      less >= 1.15,
    );
  }

  const lines = s['library-lines'];
  if (lines) {
    add(
      'library-lines',
      `Library ≤ ${LIBRARY_LINES_BUDGET} code lines (the scheduler apart)`,
      `${lines.library} (scheduler: ${lines.scheduler})`,
      lines.library <= LIBRARY_LINES_BUDGET,
    );
  }

  const latency = s.latency;
  if (latency) {
    const vsOurs = ratio(latency, 'ours', 'ours-prefetch');
    add(
      'latency',
      'Latency-bound: prefetch ≥ 1.7× faster than sequential',
      x(vsOurs),
      vsOurs >= 1.7,
    );
    const { pages, prefetchRequests, noRequestPastLastPage, earlyBreak } = latency.checks;
    add(
      'latency',
      'Prefetch: requests served == pages',
      `${prefetchRequests} requests / ${pages} pages`,
      noRequestPastLastPage,
    );
    add(
      'latency',
      `Prefetch: break after page ${earlyBreak.breakAfterPage} → ≤ ${earlyBreak.breakAfterPage + 1} requests, the last aborted`,
      `${earlyBreak.requestsStarted} requests, 4th ${earlyBreak.fourthRequest}`,
      earlyBreak.ok,
    );
  }

  const memory = s.memory;
  if (memory) {
    const mb = findRow(memory, 'ours-prefetch').median;
    const floorMb = findRow(memory, 'floor').median;
    add(
      'memory',
      'Peak heap over the walk within 1.25× of fetch + JSON.parse (duplicate guard included)',
      `${mb.toFixed(1)} MB vs ${floorMb.toFixed(1)} MB (${x(mb / floorMb)})`,
      mb <= floorMb * 1.25,
    );
    if (memory.scaling) {
      const { checkpoints, peakGrowthMB } = memory.scaling;
      add(
        'memory',
        `Flat in the count (peak ≤ 1.5× that over ${checkpoints.toLocaleString('en-US')})`,
        `${mb.toFixed(1)} MB vs ${peakGrowthMB.toFixed(1)} MB`,
        mb <= peakGrowthMB * 1.5,
      );
    }
  }

  const large = s['large-body'];
  if (large) {
    const mb = findRow(large, 'ours').median;
    const { boundMB } = large.sizes;
    add(
      'large-body',
      `A ${(large.sizes.bytes / 1e6).toFixed(0)} MB body: peak within 3× maxResponseBytes (${boundMB} MiB), refused once`,
      `${mb.toFixed(0)} MB, ${findRow(large, 'ours').outcome}`,
      mb <= boundMB * 1.048576 * 3 && /after 1 attempt/.test(findRow(large, 'ours').outcome),
    );
  }

  const bundle = s.bundle;
  if (bundle) {
    const kb = findRow(bundle, 'ours').median;
    add(
      'bundle',
      `Checkpoints-only consumer bundle ≤ ${BUNDLE_BUDGET_BYTES.toLocaleString('en-US')} B min+gzip, the scheduler included`,
      `${Math.round(kb * 1024).toLocaleString('en-US')} B (openai ${findRow(bundle, 'openai').median.toFixed(1)} KB)`,
      kb * 1024 <= BUNDLE_BUDGET_BYTES,
    );
  }

  const cold = s['cold-start'];
  if (cold) {
    const less = vsOpenai(cold, 'ours');
    add('cold-start', 'Cold start ≥ 2.5× less than openai', x(less), less >= 2.5);
  }

  const rateLimit = s['rate-limit'];
  if (rateLimit) rateLimitTargets(rateLimit.rows, add);

  const pipeline = s.pipeline;
  if (pipeline) {
    const generate = findRow(pipeline, 'generate').median;
    const check = findRow(pipeline, 'check:generated').median;
    add('pipeline', '`npm run generate` < 5 s', `${generate.toFixed(2)} s`, generate < 5);
    add('pipeline', '`npm run check:generated` < 3 s', `${check.toFixed(2)} s`, check < 3);
  }
  return targets;
}

/** Issue 19's targets, on the client as built (`ours`, and `ours-redis` with the Redis limiter). */
function rateLimitTargets(rows, add) {
  const row = (caseId, contender) => rows.find((r) => r.id === `${caseId}:${contender}`);
  const pct = (share) => `${(share * 100).toFixed(1)} %`;
  const figures = (r) =>
    r
      ? `${r.failed} failed, ${x(r.wallOverFloor)} floor, ${pct(r.limitedShare)} 429s, ${x(r.requestsOverMinimum)} min`
      : 'not run';
  const judge = (caseId, contender, { wall, limited, requests }) => {
    const r = row(caseId, contender);
    return (
      r !== undefined &&
      r.failed === 0 &&
      r.wallOverFloor <= wall &&
      r.limitedShare <= limited &&
      (requests === undefined || r.requestsOverMinimum <= requests)
    );
  };
  const target = (caseId, bounds, text) => {
    const ours = row(caseId, 'ours');
    if (!ours) return;
    add('rate-limit', `${ours.caseName}: ${text}`, figures(ours), judge(caseId, 'ours', bounds));
  };
  const single = { wall: 1.15, limited: 0.02, requests: 1.03 };
  for (const caseId of ['all-3', 'plimit-3', 'all-250', 'plimit-250'])
    target(caseId, single, '0 failed, wall ≤ 1.15× floor, 429s ≤ 2 %, requests ≤ 1.03× min');
  target(
    'four-3',
    { wall: 1.3, limited: 0.1, requests: 1.12 },
    '0 failed, wall ≤ 1.3× floor, 429s ≤ 10 %, requests ≤ 1.12× min',
  );
  const redis = row('four-redis-3', 'ours-redis');
  if (redis) {
    add(
      'rate-limit',
      `${redis.caseName}: 0 failed, 429s ≤ 2 %, wall ≤ 1.2× floor`,
      figures(redis),
      judge('four-redis-3', 'ours-redis', { wall: 1.2, limited: 0.02 }),
    );
  }
  const sdk = row('unlimited-250', 'openai');
  for (const contender of ['ours']) {
    const r = row('unlimited-250', contender);
    if (!r || !sdk) continue;
    const wall = r.wallMs / sdk.wallMs;
    const rss = r.peakRssMB / sdk.peakRssMB;
    add(
      'rate-limit',
      `${r.caseName}, ${r.name}: ≤ 68 sockets, wall ≤ 1.5× and peak RSS ≤ 1.1× the SDK's, no warnings, exits by itself`,
      `${r.peakSockets} sockets, ${x(wall)} wall, ${x(rss)} RSS (${r.peakRssMB.toFixed(0)} vs ${sdk.peakRssMB.toFixed(0)} MB), warnings: ${r.warnings.join(', ') || 'none'}, exited: ${r.exitedBySelf ? 'yes' : 'no'}`,
      r.peakSockets <= 68 && wall <= 1.5 && rss <= 1.1 && r.warnings.length === 0 && r.exitedBySelf,
    );
  }
}
