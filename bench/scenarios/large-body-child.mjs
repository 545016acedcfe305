// Child process of the large-body scenario (started with --expose-gc): reads the huge answer
// once, sampling heapUsed + arrayBuffers every millisecond, and sends back the peak growth over
// the baseline and how the read ended.
import { pathToFileURL } from 'node:url';
import { distEntry } from '../lib/paths.mjs';

const { id, baseUrl, maxResponseBytes } = JSON.parse(process.argv[2]);
const MB = 1e6;
const used = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const { createCheckpointsClient } = await import(pathToFileURL(distEntry).href);
const client = createCheckpointsClient({
  apiKey: 'sk-bench',
  baseUrl,
  maxRetries: 2,
  maxResponseBytes,
});
gc();
gc();
const baseline = used();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, used())), 1);
const started = performance.now();
let outcome;
try {
  if (id === 'floor') {
    const text = await (await fetch(`${baseUrl}/fine_tuning/jobs/ftjob-big/checkpoints`)).text();
    peak = Math.max(peak, used());
    outcome = `read all ${(text.length / MB).toFixed(0)} MB`;
  } else {
    await client.listCheckpoints('ftjob-big');
    outcome = 'read it all (unexpected)';
  }
} catch (error) {
  peak = Math.max(peak, used());
  outcome = `${error.name} after ${error.attempts ?? 1} attempt(s)`;
}
clearInterval(sampler);
process.send({
  peakGrowthMB: (peak - baseline) / MB,
  outcome,
  seconds: (performance.now() - started) / 1000,
});
