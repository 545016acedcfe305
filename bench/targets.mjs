// The performance targets, evaluated against one run's results. A target whose scenario did not
// run (--only) is left out. Each: { scenario, target, measured, pass }.
import { findRow, ratio, vsOpenai } from './report/ratios.mjs';

const x = (value) => `${value.toFixed(2)}×`;

// The targets of issue 10 (§3), which replaced the withdrawn 1.10×-of-fetch, 16 MB and 6 KB ones.
export const BUNDLE_BUDGET_KB = 9;

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
      `Consumer bundle ≤ ${BUNDLE_BUDGET_KB} KB min+gzip, the checks included`,
      `${kb.toFixed(2)} KB (openai ${findRow(bundle, 'openai').median.toFixed(1)} KB)`,
      kb <= BUNDLE_BUDGET_KB,
    );
  }

  const cold = s['cold-start'];
  if (cold) {
    const less = vsOpenai(cold, 'ours');
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
