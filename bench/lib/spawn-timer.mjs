// Wall time of a child `node` process from spawn to exit, in ms. spawnSync blocks this process,
// which is what we want here: nothing else of ours runs meanwhile.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './paths.mjs';

export function timeNode(args, { cwd = repoRoot } = {}) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${result.status}:\n${result.stderr}`);
  }
  return ms;
}

/** The last number a child `node` printed: its own `performance.now()` when it was ready, in ms. */
export function readyAt(args, { cwd = repoRoot } = {}) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(result.stdout.trim().split('\n').at(-1));
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`node ${args.join(' ')} exited with ${result.status}:\n${result.stderr}`);
  }
  return ms;
}
