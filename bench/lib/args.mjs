// Command-line flags of bench/run.mjs: `--quick` and `--only name,name`.
export const scenarioNames = [
  'one-page',
  'client-cpu',
  'walk-cpu',
  'iteration',
  'latency',
  'memory',
  'bundle',
  'cold-start',
  'pipeline',
  'large-body',
  'rate-limit',
  'library-lines',
];

export function parseArgs(argv) {
  const options = { quick: false, only: scenarioNames };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice('--only='.length) : argv[++i];
      const names = (value ?? '').split(',').filter(Boolean);
      const unknown = names.filter((name) => !scenarioNames.includes(name));
      if (names.length === 0 || unknown.length > 0) {
        throw new Error(`--only takes a comma-separated list of: ${scenarioNames.join(', ')}`);
      }
      options.only = names;
    } else if (arg === '--help' || arg === '-h') options.help = true;
    else
      throw new Error(`unknown argument ${arg}; usage: node bench/run.mjs [--quick] [--only a,b]`);
  }
  return options;
}
