/**
 * `ft-checkpoints mock`: serves the package's mock API on 127.0.0.1 until Ctrl+C, so the CLI (or
 * any client) can be tried without a key or a network: a finished demo job, and one still
 * training, for `watch`.
 */
import { DEMO_START_TIME } from '../mock/generate.js';
import {
  createMockServer,
  generateCheckpoints,
  JobsFileError,
  loadJobsFile,
  type MockJob,
  type MockJobs,
  type MockServer,
} from '../mock/index.js';
import type { MockCommand } from './args.js';
import { CliFailure, UsageError } from './exit.js';
import { commandHere, whereaboutsOf } from './invocation.js';
import { writeMessage, writeText, type CliIO } from './io.js';
import { printable } from './safe-text.js';
import { plural } from './scan.js';
import { moduleFile } from './version.js';
import { displayWidth, padEndTo } from './width.js';

/** The finished job served when no `--jobs` file is given. */
export const DEMO_JOB_ID = 'ftjob-demo';
/** How many checkpoints the demo job has: enough for 30 default-size pages. */
export const DEMO_CHECKPOINTS = 300;
/** The job still training served when no `--jobs` file is given, for `watch`. */
export const DEMO_RUNNING_JOB_ID = 'ftjob-demo-running';
/** How many checkpoints the running demo job makes before it succeeds. */
export const DEMO_RUNNING_CHECKPOINTS = 10;
/** Milliseconds between two checkpoints of the running demo job unless `--tick` says otherwise. */
export const DEFAULT_TICK_MS = 2000;

/** The demo jobs: the running one started a day after the finished one, so it is listed first. */
function demoJobs(command: MockCommand): MockJobs {
  const seed = command.seed === undefined ? {} : { seed: command.seed };
  return {
    [DEMO_RUNNING_JOB_ID]: {
      checkpoints: generateCheckpoints({
        jobId: DEMO_RUNNING_JOB_ID,
        count: DEMO_RUNNING_CHECKPOINTS,
        startTime: DEMO_START_TIME + 86_400,
        ...seed,
      }),
      tickMs: command.tickMs ?? DEFAULT_TICK_MS,
    },
    [DEMO_JOB_ID]: generateCheckpoints({ jobId: DEMO_JOB_ID, count: DEMO_CHECKPOINTS, ...seed }),
  };
}

/** The jobs of `--jobs`, or the demo jobs. */
async function jobsFor(command: MockCommand): Promise<MockJobs> {
  if (command.jobsFile === undefined) return demoJobs(command);
  // Silently ignoring them would leave the user wondering why nothing changed.
  if (command.seed !== undefined) {
    throw new UsageError(
      '--seed applies to the demo jobs only; put seeds in the --jobs file',
      'mock',
    );
  }
  if (command.tickMs !== undefined) {
    throw new UsageError(
      `--tick applies to ${DEMO_RUNNING_JOB_ID} only; give a job "tickMs" in the --jobs file`,
      'mock',
    );
  }
  try {
    return await loadJobsFile(command.jobsFile);
  } catch (err) {
    if (err instanceof JobsFileError) throw new CliFailure(err.message);
    throw err;
  }
}

async function listen(command: MockCommand, jobs: MockJobs) {
  try {
    // No request log: nothing reads it here, and a mock left running would grow without end.
    return await createMockServer({
      jobs,
      port: command.port,
      cors: command.cors,
      maxRecordedRequests: 0,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new CliFailure(`port ${command.port} is already in use; try --port 0 for a free one`);
    }
    if (code === 'EACCES') {
      throw new CliFailure(`no permission to listen on port ${command.port}; try a port >= 1024`);
    }
    throw err;
  }
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))}s`;

/** What the banner says of one job: its status, and how it grows. */
function describeJob(value: MockJobs[string]): string {
  const job: MockJob = Array.isArray(value) ? { checkpoints: value } : value;
  const count = plural(job.checkpoints.length, 'checkpoint');
  const status = job.status ?? 'succeeded';
  if (job.tickMs === undefined) return `${status}, ${count}`;
  return `running: 1 checkpoint every ${seconds(job.tickMs)}, then ${status} at ${job.checkpoints.length}`;
}

/** The banner: where the mock listens, its jobs, and commands that work where it runs. */
export function banner(server: MockServer, jobs: MockJobs, command: string): string {
  const ids = Object.keys(jobs);
  // Job ids come from a file: shown made safe, like any text the CLI did not write itself.
  const names = ids.slice(0, 10).map(printable);
  const width = Math.max(0, ...names.map(displayWidth));
  const shown = names.map(
    (name, i) => `  ${padEndTo(name, width)}  ${describeJob(jobs[ids[i] as string] ?? [])}`,
  );
  if (ids.length > shown.length) shown.push(`  ... and ${ids.length - shown.length} more`);
  const growing = ids.find((id) => {
    const job = jobs[id];
    return job !== undefined && !Array.isArray(job) && job.tickMs !== undefined;
  });
  // A job with all its checkpoints makes the better first listing.
  const listed = ids.find((id) => id !== growing) ?? ids[0];
  const example = listed === undefined ? '<job-id>' : printable(listed);
  const tries = [`  ${command} jobs`, `  ${command} list ${example}`];
  if (growing !== undefined) {
    const tick = (jobs[growing] as MockJob).tickMs as number;
    const interval = Math.min(86_400, Math.max(1, Math.ceil(tick / 1000)));
    tries.push(`  ${command} watch ${printable(growing)} --interval ${interval}`);
  }
  return [
    `Mock fine-tuning API listening on ${server.url}`,
    ids.length === 0 ? 'Jobs: none' : 'Jobs:',
    ...shown,
    ...(growing === undefined
      ? []
      : ["(a running job's clock starts at the first request for it)"]),
    '',
    'Try, in another terminal (any key is accepted):',
    `  export OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=sk-mock`,
    ...tries,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/** Resolves when `signal` aborts; never, without a signal. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Runs the mock until `io.signal` aborts (Ctrl+C or SIGTERM in the real CLI), then closes it,
 * dropping open connections, and returns: being stopped is how this command ends normally.
 */
export async function runMock(command: MockCommand, io: CliIO): Promise<void> {
  const jobs = await jobsFor(command);
  const server = await listen(command, jobs);
  try {
    const here = commandHere(whereaboutsOf(moduleFile(), io.env));
    await writeText(io.stdout, banner(server, jobs, here));
    await aborted(io.signal);
  } finally {
    await server.close();
  }
  await writeMessage(io, 'mock server stopped');
}
