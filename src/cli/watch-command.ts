/**
 * `ft-checkpoints watch`: every `--interval` seconds, reads the job's status, then the first page
 * of its checkpoints, and prints each checkpoint once, as it appears. It ends with the job: a line
 * on stderr once the job has succeeded (0), failed or been cancelled (1, with the job's error);
 * or at Ctrl+C (130), SIGTERM (143), or `--count` checkpoints (0). Transient failures (after the
 * library's own retries) are reported on stderr and tried again at the next poll.
 */
import { METRIC_NAMES } from '../best.js';
import {
  ApiError,
  asCheckpointsError,
  CheckpointsError,
  ConnectionError,
  errorFromResponse,
} from '../errors.js';
import type { CheckpointsClient, FineTuningJobCheckpoint as Checkpoint } from '../index.js';
import { isRetryableStatus } from '../retry.js';
import type { FineTuningJob } from '../types.js';
import { clientFor, hostOf } from './api.js';
import type { WatchCommand } from './args.js';
import { displayableJob } from './displayable.js';
import { describeError, ExitCode, oneLine, PROGRAM } from './exit.js';
import { toJsonl, tableLayout } from './format.js';
import { writeMessage, writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';
import { printable } from './safe-text.js';
import { checkedPages, listingWith, plural } from './scan.js';
import { defaultColumns } from './table-columns.js';
import { columnWidths, layoutTable, renderLayout, type TableLayout } from './table-layout.js';
import { outputWidth } from './terminal.js';
import { diffPage, inPrintOrder } from './watch-diff.js';

/** Whether a poll's failure may pass by the next poll: the network, a timeout, 408/409/429/5xx. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  return err instanceof ApiError && isRetryableStatus(err.status);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Prints batches of new checkpoints as table rows (one header, fixed columns) or jsonl. */
function createPrinter(command: WatchCommand, io: CliIO): (rows: Checkpoint[]) => string {
  if (command.format === 'jsonl') return toJsonl;
  const table = { width: outputWidth(io), columns: command.columns, wide: command.wide };
  let layout: TableLayout<Checkpoint> | undefined;
  let widths: number[] = [];
  return (rows) => {
    if (rows.length === 0) return '';
    if (layout !== undefined)
      return renderLayout(layout, rows, { header: false, minWidths: widths });
    // The columns are fixed by the first rows: every metric of the spec gets one by default,
    // since one that no checkpoint has yet may come with a later one.
    layout =
      command.columns === undefined && !command.wide
        ? layoutTable(rows, defaultColumns(METRIC_NAMES.filter((m) => m !== 'step')), table.width)
        : tableLayout(rows, table);
    widths = columnWidths(layout, rows);
    return renderLayout(layout, rows);
  };
}

/** The statuses a job does not leave (the spec's description of `status` names them). */
const FINAL_STATUSES: ReadonlySet<FineTuningJob['status']> = new Set([
  'succeeded',
  'failed',
  'cancelled',
]);

/** The job, through `client.raw`: its boundary checks the body, the CLI checks it whole. */
async function fetchJob(
  client: CheckpointsClient,
  jobId: string,
  signal: AbortSignal | undefined,
): Promise<FineTuningJob> {
  let fetched;
  try {
    fetched = await client.raw.GET('/fine_tuning/jobs/{fine_tuning_job_id}', {
      params: { path: { fine_tuning_job_id: jobId } },
      ...(signal && { signal }),
    });
  } catch (error) {
    throw asCheckpointsError(error);
  }
  const { data, error, response } = fetched;
  if (!response.ok) throw errorFromResponse(response, error);
  return displayableJob(data);
}

/**
 * How the watch ends once the job has: a line for stderr, and whether it is a failure (the job
 * failed or was cancelled, with its error message when it has one).
 */
function jobEnding(job: FineTuningJob, checkpoints: number): { line: string; failed: boolean } {
  const name = `fine-tuning job ${printable(job.id)}`;
  const after = `after ${plural(checkpoints, 'checkpoint')}`;
  // The server's words, on the one line a message takes, made safe (exit.ts).
  const reason = job.error ? `: ${oneLine(job.error.message)}` : '';
  if (job.status === 'succeeded') {
    const model = job.fine_tuned_model ? `; its model is ${printable(job.fine_tuned_model)}` : '';
    return { line: `${PROGRAM}: ${name} succeeded ${after}${model}`, failed: false };
  }
  const verb = job.status === 'cancelled' ? 'was cancelled' : job.status;
  return { line: `${PROGRAM}: error: ${name} ${verb} ${after}${reason}`, failed: true };
}

/**
 * Runs the watch until the job ends, `--count`, a signal, or an error that waiting will not fix;
 * resolves with the exit code.
 */
export async function runWatch(command: WatchCommand, io: CliIO): Promise<number> {
  const seen = new Set<string>();
  const print = createPrinter(command, io);
  const progress = createProgress(io.stderr);
  const client = clientFor(command, 'watch', io);
  for (let poll = 1; ; poll++) {
    // A new listing per poll: each starts again at the first page, where new checkpoints are.
    const list = listingWith(client, command, io, { fullScan: true, prefetch: false });
    const found = new Set<string>();
    const fresh: Checkpoint[] = [];
    let job: FineTuningJob | undefined;
    try {
      // The status first, then the checkpoints: a job that has ended made its last checkpoint
      // before, so this poll's listing has it, however close to the end it came.
      progress.waiting(hostOf(command));
      job = await fetchJob(client, command.jobId, io.signal);
      for await (const page of checkedPages(list, command, progress)) {
        const diff = diffPage(seen, found, page.items);
        for (const checkpoint of diff.fresh) found.add(checkpoint.id);
        fresh.push(...diff.fresh);
        // Leaving the loop stops the walk: no request for pages of checkpoints already seen.
        if (diff.reachedSeen) break;
      }
    } catch (err) {
      progress.clear();
      if (io.signal?.aborted || !isTransient(err)) throw err;
      fresh.length = 0;
      job = undefined;
      const message = err instanceof CheckpointsError ? describeError(err) : String(err);
      const next = `trying again in ${command.intervalMs / 1000}s`;
      // io.stderr scrubs the key (redacted-io.ts): the message may quote the server.
      await writeMessage(io, `${PROGRAM}: warning: ${message}; ${next}`);
    } finally {
      progress.clear();
    }
    // Printed only once the poll is complete: a poll that failed half-way prints nothing, and
    // the next one finds the same checkpoints again, so none is lost.
    const rows = inPrintOrder(fresh);
    await writeText(io.stdout, print(rows));
    for (const checkpoint of rows) seen.add(checkpoint.id);
    if (job !== undefined && FINAL_STATUSES.has(job.status)) {
      const { line, failed } = jobEnding(job, seen.size);
      await writeMessage(io, line);
      return failed ? ExitCode.failure : ExitCode.ok;
    }
    if (command.count !== undefined && seen.size >= command.count) return ExitCode.ok;
    await sleep(command.intervalMs, io.signal);
  }
}
