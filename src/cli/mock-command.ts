/**
 * `ft-checkpoints mock`: serves the package's mock API on 127.0.0.1 until Ctrl+C, so the CLI (or
 * any client) can be tried without a key or a network.
 */
import {
  createMockServer,
  generateCheckpoints,
  JobsFileError,
  loadJobsFile,
  type FineTuningJobCheckpoint,
  type MockServer,
} from '../mock/index.js';
import type { MockCommand } from './args.js';
import { CliFailure, PROGRAM, UsageError } from './exit.js';
import { writeText, type CliIO } from './io.js';
import { printable } from './safe-text.js';

/** The job served when no `--jobs` file is given. */
export const DEMO_JOB_ID = 'ftjob-demo';
/** How many checkpoints the demo job has: enough for 30 default-size pages. */
export const DEMO_CHECKPOINTS = 300;

/** The jobs of `--jobs`, or the generated demo job. */
async function jobsFor(command: MockCommand): Promise<Record<string, FineTuningJobCheckpoint[]>> {
  if (command.jobsFile === undefined) {
    return {
      [DEMO_JOB_ID]: generateCheckpoints({
        jobId: DEMO_JOB_ID,
        count: DEMO_CHECKPOINTS,
        ...(command.seed === undefined ? {} : { seed: command.seed }),
      }),
    };
  }
  if (command.seed !== undefined) {
    // Silently ignoring it would leave the user wondering why the data did not change.
    throw new UsageError(
      '--seed applies to the demo job only; put seeds in the --jobs file',
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

async function listen(command: MockCommand, jobs: Record<string, FineTuningJobCheckpoint[]>) {
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

function banner(server: MockServer, jobs: Record<string, FineTuningJobCheckpoint[]>): string {
  const ids = Object.keys(jobs);
  // Job ids come from a file: shown made safe, like any text the CLI did not write itself.
  const shown = ids
    .slice(0, 10)
    .map((id) => `  ${printable(id)} (${jobs[id]?.length ?? 0} checkpoints)`);
  if (ids.length > shown.length) shown.push(`  ... and ${ids.length - shown.length} more`);
  const example = ids[0] === undefined ? '<job-id>' : printable(ids[0]);
  return [
    `Mock fine-tuning checkpoints API listening on ${server.url}`,
    ids.length === 0 ? 'Jobs: none' : 'Jobs:',
    ...shown,
    '',
    'Try (any key is accepted):',
    `  OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=sk-mock ${PROGRAM} list ${example}`,
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
    await writeText(io.stdout, banner(server, jobs));
    await aborted(io.signal);
  } finally {
    await server.close();
  }
  await writeText(io.stderr, 'mock server stopped\n');
}
