// Scenario 6: cold start. Each child prints `performance.now()` (ms since its own process
// started) once it has imported the library and constructed a client; a bare child prints it at
// once. The difference of the medians is the cost over bare node. Measured inside the child,
// not around spawnSync: process spawn and exit vary by more than the ~30 ms being measured.
// Spawns are interleaved, medians taken per command.
import { pathToFileURL } from 'node:url';
import { distEntry } from '../lib/paths.mjs';
import { readyAt } from '../lib/spawn-timer.mjs';
import { interleave, median } from '../lib/stats.mjs';

const COMMANDS = [
  { id: 'bare', name: 'bare node', code: 'console.log(performance.now())' },
  // Calibration: the first dynamic import() starts Node's ESM loader, whatever it imports.
  {
    id: 'empty',
    name: 'empty ES module (loader only)',
    code: `import('data:text/javascript,').then(() => console.log(performance.now()))`,
  },
  {
    id: 'ours',
    name: 'this package',
    code: `import(${JSON.stringify(pathToFileURL(distEntry).href)}).then(m => { m.createCheckpointsClient({apiKey:'x'}); console.log(performance.now()) })`,
  },
  {
    id: 'openai',
    name: 'openai SDK',
    code: `import('openai').then(m => { new m.default({apiKey:'x'}); console.log(performance.now()) })`,
  },
];

export async function run({ quick }) {
  const sizes = quick ? { rounds: 2, warmup: 0 } : { rounds: 15, warmup: 2 };
  const samples = await interleave(COMMANDS, sizes, async ({ code }) => readyAt(['-e', code]));
  const bare = median(samples.get(COMMANDS[0]));
  const rows = COMMANDS.slice(1).map((command) => {
    const times = samples.get(command);
    const over = times.map((ms) => ms - bare);
    return {
      id: command.id,
      name: command.name,
      median: median(times) - bare,
      min: Math.min(...over),
      max: Math.max(...over),
      samples: times.length,
      totalMs: median(times),
    };
  });
  return {
    title: 'Cold start: import + construct, over bare `node -e ""`',
    unit: 'ms',
    better: 'lower',
    sizes,
    bareNodeMs: bare,
    rows,
  };
}
