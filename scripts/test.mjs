#!/usr/bin/env node
// `npm test`: every check a change must pass, one line per step and a summary line. Independent
// steps run side by side (two at a time: each is a process of its own, and vitest has its own
// workers); the build goes first, since the tests wait for it. A step's own output is printed only
// when it fails: for vitest, the failing files with their errors (scripts/vitest-reporter.mjs).
// Every step runs even after another failed (a formatting slip must not hide a failing test),
// except those that need a step that failed: a failed build skips what tests the build. Exits 1
// when any step failed or was skipped.
//
//   npm test                 quiet: one line per step
//   npm test -- --verbose    every step's output too, and vitest's line for every file
//
// Written to a file or a pipe, the output has no colour or other escape sequences.
import { parseArgs } from 'node:util';
import { runSteps } from './lib/steps.mjs';

let values;
try {
  ({ values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } }));
} catch (error) {
  console.error(`npm test: ${error.message}\nusage: npm test [-- --verbose]`);
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const script = (name) => [npm, 'run', '-s', name];

/** In the order they start, as far as `needs` and the number of jobs allow. */
const STEPS = [
  // tsup's last line names one of its files, which says nothing about the build.
  {
    name: 'build:dist',
    command: script('build:dist'),
    says: 'dist/ built: ESM, CommonJS, declarations and the CLI',
  },
  // The longest step: it starts as soon as dist/ is there.
  {
    name: 'test:unit',
    command: script('test:unit'),
    needs: ['build:dist'],
    // The reporter's line, not the JSON reporter's `JSON report written to ...` after it.
    says: / tests? (passed|failed)/,
    stream: true,
    env: values.verbose ? { FT_TEST_VERBOSE: '1' } : {},
  },
  // tsc says nothing when it finds nothing.
  { name: 'typecheck', command: script('typecheck'), says: 'no type errors' },
  { name: 'lint', command: script('lint') },
  { name: 'check:generated', command: script('check:generated') },
  { name: 'format:check', command: script('format:check') },
  { name: 'test:package', command: script('test:package'), needs: ['build:dist'] },
  { name: 'test:consumer', command: script('test:consumer'), needs: ['build:dist'] },
  { name: 'bench:quick', command: script('bench:quick'), needs: ['build:dist'] },
];

const failed = await runSteps(STEPS, {
  jobs: 2,
  verbose: values.verbose,
  color: process.stdout.isTTY === true,
  write: (text) => process.stdout.write(text),
});
process.exitCode = failed.length > 0 ? 1 : 0;
