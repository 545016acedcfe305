// Scenario 7: wall time of the code-generation scripts, spawned as `npm run` would run them
// (without npm's own start-up). generate rewrites generated/ with byte-identical content.
import { timeNode } from '../lib/spawn-timer.mjs';
import { interleave, toRows } from '../lib/stats.mjs';

const SCRIPTS = [
  { id: 'generate', name: 'npm run generate', args: ['scripts/generate.mjs'] },
  { id: 'check:generated', name: 'npm run check:generated', args: ['scripts/check-generated.mjs'] },
];

export async function run({ quick }) {
  const sizes = quick ? { rounds: 1, warmup: 0 } : { rounds: 3, warmup: 0 };
  const samples = await interleave(SCRIPTS, sizes, async ({ args }) => timeNode(args) / 1000);
  return {
    title: 'Pipeline scripts',
    unit: 's',
    better: 'lower',
    sizes,
    rows: toRows(SCRIPTS, samples),
  };
}
