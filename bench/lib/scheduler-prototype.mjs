// The scheduler (src/scheduler.ts) before the transport takes it: built on its own with esbuild
// into bench/.tmp/, and put around a client's `fetch` option. A prototype for the benchmark only:
// its slot ends when the headers arrive, not once the body is read, and a 429 spends one of the
// client's retries (so the client is given many).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot, tmpDir } from './paths.mjs';

const OUT = join(tmpDir, 'scheduler.mjs');

/** Builds the scheduler module (once per process that asks). */
export async function buildScheduler() {
  await mkdir(tmpDir, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'src', 'scheduler.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: OUT,
    logLevel: 'silent',
  });
}

/** The built module: `createScheduler`. */
export function loadScheduler() {
  return import(pathToFileURL(OUT).href);
}

/**
 * A `fetch` for `createCheckpointsClient({ fetch })` that waits for the scheduler before each
 * attempt; a request for a later page (`after` in its query) is a walk already under way.
 */
export function scheduledFetch(scheduler) {
  return async (request) => {
    const continuing = new URL(request.url).searchParams.has('after');
    const admission = await scheduler.admit({ continuing, signal: request.signal });
    let response;
    try {
      return (response = await fetch(request));
    } finally {
      admission.done(response);
    }
  };
}
