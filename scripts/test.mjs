#!/usr/bin/env node
// `npm test`: every check a change must pass, in order, one line per step. A step's own output is
// kept back and printed in full only when the step fails, so a passing run is short; vitest's own
// report is shown as it runs. Every step runs even after an earlier one failed (a formatting slip
// must not hide a failing test), except those that need a step that failed: a failed build skips
// what tests the build. Exits 1 when any step failed or was skipped.
import { spawn } from 'node:child_process';

/**
 * The steps, each an npm script; `needs` names a step whose failure makes this one pointless, and
 * `says` replaces the step's own last line as its summary.
 */
const STEPS = [
  { script: 'lint' },
  { script: 'check:generated' },
  { script: 'format:check' },
  { script: 'typecheck' },
  // tsup's last line names one of its files, which says nothing about the build.
  { script: 'build:dist', says: 'dist/ built: ESM, CommonJS, declarations and the CLI' },
  { script: 'test:unit', needs: 'build:dist', stream: true },
  { script: 'test:package', needs: 'build:dist' },
  { script: 'test:consumer', needs: 'build:dist' },
  { script: 'bench:quick', needs: 'build:dist' },
];

/** Runs `npm run -s <script>`; resolves with its exit code and (unless streamed) its output. */
function runScript(script, stream) {
  return new Promise((resolve) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', '-s', script], {
      stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: stream ? process.env : { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** The last non-empty line of a step's output: what it says about itself when it passes. */
function summaryOf(output) {
  // Some tools (tsup) colour their output whatever NO_COLOR says; the summary is plain text.
  const plain = output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  const lines = plain.split('\n').map((line) => line.trim());
  return lines.filter((line) => line !== '').at(-1) ?? '';
}

const failed = new Set();
const started = performance.now();
for (const step of STEPS) {
  const name = step.script.padEnd(16);
  if (step.needs && failed.has(step.needs)) {
    console.log(`skip ${name} (${step.needs} failed)`);
    failed.add(step.script);
    continue;
  }
  const at = performance.now();
  const { code, output } = await runScript(step.script, step.stream === true);
  const seconds = ((performance.now() - at) / 1000).toFixed(1).padStart(5);
  if (code === 0) {
    const summary = step.says ?? (step.stream ? '' : summaryOf(output));
    console.log(`ok   ${name} ${seconds} s  ${summary}`.trimEnd());
  } else {
    if (!step.stream) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    console.log(`FAIL ${name} ${seconds} s  exit ${code}`);
    failed.add(step.script);
  }
}
const total = ((performance.now() - started) / 1000).toFixed(0);
if (failed.size > 0) {
  console.log(
    `npm test: ${failed.size} of ${STEPS.length} steps failed (${[...failed].join(', ')}) in ${total} s`,
  );
  process.exit(1);
}
console.log(`npm test: all ${STEPS.length} steps passed in ${total} s`);
