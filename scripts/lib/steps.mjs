// Runs the steps of `npm test`: several at once, each as soon as the steps it needs have passed,
// one line per step when it ends, then one summary line. A step's own output is kept back and
// printed only when it fails (or with `verbose`), so a passing run is as many lines as steps,
// plus one. Without `color` (stdout is not a terminal) the children are asked for no colour
// (NO_COLOR) and any escape sequence left is stripped, so a log file holds plain text.
import { spawn } from 'node:child_process';

/** CSI and OSC escape sequences: colours, cursor moves, hyperlinks. */
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\))/g;

/** `text` without terminal escape sequences. */
export function stripAnsi(text) {
  return text.replace(ANSI, '');
}

/**
 * What a step says about itself when it passes: the last non-empty line of its output, or the
 * last one that matches `pattern`.
 */
export function lastLine(output, pattern = /./) {
  const lines = stripAnsi(output)
    .split('\n')
    .map((line) => line.trim());
  return lines.filter((line) => line !== '' && pattern.test(line)).at(-1) ?? '';
}

/** The environment of a step: colour off unless the output goes to a terminal. */
function stepEnv(step, color) {
  const env = { ...process.env, ...step.env };
  if (!color) {
    // FORCE_COLOR, even `0`, means colour to some tools: only NO_COLOR is safe.
    delete env.FORCE_COLOR;
    env.NO_COLOR = '1';
  }
  return env;
}

/**
 * Runs one step's command; resolves its exit code and output (stdout and stderr, in arrival
 * order). `onLine`, when given, receives each complete line as it arrives.
 */
function runCommand(step, color, onLine) {
  return new Promise((resolve) => {
    const [file, ...args] = step.command;
    let output = '';
    let pending = '';
    const child = spawn(file, args, {
      env: stepEnv(step, color),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (onLine === undefined) return;
      const lines = (pending + text).split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => {
      if (onLine !== undefined && pending !== '') onLine(pending);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

/**
 * Runs `steps` and prints their lines through `write` (a function taking one string). Each step
 * is `{ name, command: [file, ...args], needs?: [names], says?, env? }`: `needs` lists steps
 * whose failure makes this one pointless (it is skipped, and counts as failed); `says`, a
 * string, replaces the step's last output line as its summary, and a RegExp picks the last
 * line that matches. Steps start in the order given, at most
 * `jobs` at a time. With `verbose`, every step's output is printed (streamed, for a step with
 * `stream: true`). Resolves the names of the steps that failed or were skipped.
 */
export async function runSteps(steps, { jobs = 2, verbose = false, color = false, write }) {
  const names = new Set(steps.map((step) => step.name));
  for (const step of steps) {
    const unknown = (step.needs ?? []).find((name) => !names.has(name));
    if (unknown !== undefined) throw new Error(`step ${step.name} needs ${unknown}: no such step`);
  }
  const print = (text) => write(color ? text : stripAnsi(text));
  const width = Math.max(...steps.map((step) => step.name.length));
  const state = new Map(steps.map((step) => [step.name, 'waiting']));
  const failed = [];
  const started = performance.now();

  const blockedBy = (step) => (step.needs ?? []).find((name) => failed.includes(name));
  const ready = (step) =>
    state.get(step.name) === 'waiting' &&
    (step.needs ?? []).every((name) => state.get(name) === 'passed');

  async function run(step) {
    state.set(step.name, 'running');
    const at = performance.now();
    const streamed = verbose && step.stream === true;
    const { code, output } = await runCommand(
      step,
      color,
      streamed ? (line) => print(`${line}\n`) : undefined,
    );
    const seconds = ((performance.now() - at) / 1000).toFixed(1).padStart(5);
    const name = step.name.padEnd(width);
    const shown = (verbose && !streamed) || code !== 0 ? output : '';
    if (shown !== '') print(shown.endsWith('\n') ? shown : `${shown}\n`);
    if (code === 0) {
      state.set(step.name, 'passed');
      const says = typeof step.says === 'string' ? step.says : lastLine(output, step.says);
      print(`ok   ${name} ${seconds} s  ${says}`.trimEnd() + '\n');
    } else {
      state.set(step.name, 'failed');
      failed.push(step.name);
      print(`FAIL ${name} ${seconds} s  exit ${code}\n`);
    }
  }

  const running = new Set();
  for (;;) {
    // Skip what can no longer run, in order, so a skip also blocks the steps after it.
    for (const step of steps) {
      const blocker = state.get(step.name) === 'waiting' ? blockedBy(step) : undefined;
      if (blocker === undefined) continue;
      state.set(step.name, 'skipped');
      failed.push(step.name);
      print(`skip ${step.name.padEnd(width)}          (${blocker} failed)\n`);
    }
    for (const step of steps) {
      if (running.size >= jobs || !ready(step)) continue;
      const task = run(step).finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  // Only a cycle in `needs` leaves a step waiting here: it fails rather than vanish.
  for (const step of steps.filter((each) => state.get(each.name) === 'waiting')) {
    failed.push(step.name);
    print(`skip ${step.name.padEnd(width)}          (its needs form a cycle)\n`);
  }

  const total = ((performance.now() - started) / 1000).toFixed(0);
  if (failed.length === 0) {
    print(`npm test: all ${steps.length} steps passed in ${total} s\n`);
  } else {
    print(
      `npm test: ${failed.length} of ${steps.length} steps failed (${failed.join(', ')}) in ${total} s\n`,
    );
  }
  return failed;
}
