// The performance targets, evaluated against one run's results. A target whose scenario did not
// run (--only) is left out. Each: { scenario, target, measured, pass }.
import { findRow, ratio, vsFloor, vsOpenai } from './report/ratios.mjs';

const x = (value) => `${value.toFixed(2)}×`;

export function evaluateTargets(results) {
  const s = results.scenarios;
  const targets = [];
  const add = (scenario, target, measured, pass) =>
    targets.push({ scenario, target, measured, pass: Boolean(pass) });

  const floorAndOpenai = (key, label, id) => {
    const scenario = s[key];
    if (!scenario) return;
    const slower = vsFloor(scenario, id);
    const faster = vsOpenai(scenario, id);
    add(key, `${label}: within 1.10× of fetch + JSON.parse`, x(slower), slower <= 1.1);
    add(key, `${label}: ≥ 1.3× faster than openai`, x(faster), faster >= 1.3);
  };
  floorAndOpenai('one-page', 'One page', 'ours');
  floorAndOpenai('iteration', 'Full iteration, prefetch off', 'ours');
  floorAndOpenai('iteration', 'Full iteration, prefetch on', 'ours-prefetch');

  const latency = s.latency;
  if (latency) {
    const vsSdk = vsOpenai(latency, 'ours-prefetch');
    const vsOurs = ratio(latency, 'ours', 'ours-prefetch');
    add(
      'latency',
      'Latency-bound: prefetch ≥ 1.7× faster than openai (sequential)',
      x(vsSdk),
      vsSdk >= 1.7,
    );
    add(
      'latency',
      'Latency-bound: prefetch ≥ 1.7× faster than ours sequential',
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
    add('memory', 'Peak heap growth < 16 MB (prefetch on)', `${mb.toFixed(1)} MB`, mb < 16);
    const floorMb = findRow(memory, 'floor').median;
    add(
      'memory',
      'Peak heap growth within 1.25× of fetch + JSON.parse (same method)',
      `${mb.toFixed(1)} MB vs ${floorMb.toFixed(1)} MB (${x(mb / floorMb)})`,
      mb <= floorMb * 1.25,
    );
    if (memory.scaling) {
      const { checkpoints, peakGrowthMB } = memory.scaling;
      add(
        'memory',
        `Does not grow with the count (peak ≤ 1.5× that over ${checkpoints.toLocaleString('en-US')})`,
        `${mb.toFixed(1)} MB vs ${peakGrowthMB.toFixed(1)} MB`,
        mb <= peakGrowthMB * 1.5,
      );
    }
  }

  const bundle = s.bundle;
  if (bundle) {
    const kb = findRow(bundle, 'ours').median;
    add(
      'bundle',
      'Consumer bundle ≤ 6 KB min+gzip',
      `${kb.toFixed(2)} KB (openai ${findRow(bundle, 'openai').median.toFixed(1)} KB)`,
      kb <= 6,
    );
  }

  const cold = s['cold-start'];
  if (cold) {
    const ms = findRow(cold, 'ours').median;
    const less = vsOpenai(cold, 'ours');
    add('cold-start', 'Cold start ≤ 40 ms over bare node', `${ms.toFixed(1)} ms`, ms <= 40);
    add('cold-start', 'Cold start ≥ 2.5× less than openai', x(less), less >= 2.5);
  }

  const pipeline = s.pipeline;
  if (pipeline) {
    const generate = findRow(pipeline, 'generate').median;
    const check = findRow(pipeline, 'check:generated').median;
    add('pipeline', '`npm run generate` < 5 s', `${generate.toFixed(2)} s`, generate < 5);
    add('pipeline', '`npm run check:generated` < 3 s', `${check.toFixed(2)} s`, check < 3);
  }
  return targets;
}
