// The scheduler (src/scheduler.ts) before the transport takes it: built on its own with esbuild
// into bench/.tmp/, and put around a client's `fetch` option. A prototype for the benchmark only:
// its slot lasts until the body is read (the response's body is handed on through a stream that
// says when it ends), as it will in the transport; but a 429 spends one of the client's retries,
// so the client is given many.
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
 * attempt and gives the slot back once the body is read (or cancelled); a request for a later
 * page (`after` in its query) is a walk already under way.
 */
export function scheduledFetch(scheduler) {
  return async (request) => {
    const continuing = new URL(request.url).searchParams.has('after');
    const admission = await scheduler.admit({ continuing, signal: request.signal });
    let response;
    try {
      response = await fetch(request);
    } catch (error) {
      admission.done();
      throw error;
    }
    const finish = () => admission.done(response);
    if (!response.body) return (finish(), response);
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          finish();
          controller.close();
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  };
}
