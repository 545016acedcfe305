#!/usr/bin/env node
// `npm run bench`: this client against fetch + JSON.parse, bare openapi-fetch and the official
// openai SDK, in one run. Usage: node bench/run.mjs [--quick] [--only one-page,iteration,...]
//   --quick  the same code paths at tiny sizes (seconds), run inside `npm test`: prints one line
//            saying every scenario ran (the tables are `npm run bench`'s); writes to bench/.tmp/
//   --only   run just the named scenarios (results then go to bench/.tmp/ as well)
// Plain .mjs so it needs no build of its own; it measures dist/, what npm users get.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs, scenarioNames } from './lib/args.mjs';
import { describeMachine, describeVersions } from './lib/machine.mjs';
import { benchDir, distEntry, repoRoot, resultsDir, tmpDir } from './lib/paths.mjs';
import { printScenario, printTargets } from './report/console.mjs';
import { renderMarkdown } from './report/markdown.mjs';
import { evaluateTargets } from './targets.mjs';

const options = parseArgs(process.argv.slice(2));
if (options.help) {
  console.log(`usage: node bench/run.mjs [--quick] [--only ${scenarioNames.join(',')}]`);
  process.exit(0);
}
if (!existsSync(distEntry)) {
  console.error(`${relative(repoRoot, distEntry)} not found: run \`npm run build\` first`);
  process.exit(1);
}

const started = performance.now();
const results = {
  title: 'fine-tuning-checkpoints benchmark',
  date: new Date().toISOString(),
  quick: options.quick,
  machine: describeMachine(),
  versions: describeVersions(),
  scenarios: {},
  targets: [],
};
// --quick only shows that every code path still runs: its sizes are too small for its figures
// to mean anything, so it prints none of them.
const say = options.quick ? () => {} : console.log;
say(`bench: ${options.only.join(', ')}`);
for (const name of options.only) {
  const scenarioStarted = performance.now();
  const scenario = await import(`./scenarios/${name}.mjs`);
  results.scenarios[name] = await scenario.run({ quick: options.quick });
  results.scenarios[name].seconds = (performance.now() - scenarioStarted) / 1000;
  if (!(results.scenarios[name].rows?.length > 0)) throw new Error(`${name}: no results`);
  if (!options.quick) printScenario(results.scenarios[name]);
}
results.targets = evaluateTargets(results);
results.seconds = (performance.now() - started) / 1000;
if (!options.quick) printTargets(results.targets);

// Only a full run of every scenario replaces the committed results.
const complete = !options.quick && options.only.length === scenarioNames.length;
const outDir = complete ? resultsDir : tmpDir;
await mkdir(outDir, { recursive: true });
const notes = await readFile(join(benchDir, 'notes.md'), 'utf8').catch(() => '');
await writeFile(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
await writeFile(join(outDir, 'results.md'), renderMarkdown(results, notes));
const written = `${relative(repoRoot, outDir) || '.'}/results.{md,json}`;
if (options.quick) {
  console.log(
    `bench --quick: ${options.only.length === scenarioNames.length ? 'all ' : ''}${options.only.length} scenarios ran (${options.only.join(', ')}) in ${results.seconds.toFixed(1)} s; figures: npm run bench`,
  );
} else console.log(`\nwrote ${written} in ${results.seconds.toFixed(1)} s`);
