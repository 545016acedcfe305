/**
 * `ft-checkpoints watch`: polls the first page every `--interval` seconds and prints each
 * checkpoint once, as it appears. Transient failures (after the library's own retries) are
 * reported on stderr and tried again at the next poll; the endpoint cannot say that a job has
 * finished, so it runs until Ctrl+C (130), SIGTERM (143), or `--count` checkpoints (0).
 */
import { METRIC_NAMES } from '../best.js';
import { ApiError, CheckpointsError, ConnectionError } from '../errors.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../index.js';
import { isRetryableStatus } from '../retry.js';
import type { WatchCommand } from './args.js';
import { describeError, PROGRAM } from './exit.js';
import { toJsonl, tableLayout } from './format.js';
import { writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';
import { checkedPages, listingOf } from './scan.js';
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
  let layout: TableLayout | undefined;
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

/** Runs the watch until `--count`, a signal, or an error that waiting will not fix. */
export async function runWatch(command: WatchCommand, io: CliIO): Promise<void> {
  const seen = new Set<string>();
  const print = createPrinter(command, io);
  const progress = createProgress(io.stderr);
  for (let poll = 1; ; poll++) {
    // A new listing per poll: each starts again at the first page, where new checkpoints are.
    const list = listingOf(command, 'watch', io, { fullScan: true, prefetch: false });
    const found = new Set<string>();
    const fresh: Checkpoint[] = [];
    try {
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
      const message = err instanceof CheckpointsError ? describeError(err) : String(err);
      const next = `trying again in ${command.intervalMs / 1000}s`;
      // io.stderr scrubs the key (redacted-io.ts): the message may quote the server.
      await writeText(io.stderr, `${PROGRAM}: warning: ${message}; ${next}\n`);
    } finally {
      progress.clear();
    }
    // Printed only once the poll is complete: a poll that failed half-way prints nothing, and
    // the next one finds the same checkpoints again, so none is lost.
    const rows = inPrintOrder(fresh);
    await writeText(io.stdout, print(rows));
    for (const checkpoint of rows) seen.add(checkpoint.id);
    if (command.count !== undefined && seen.size >= command.count) return;
    await sleep(command.intervalMs, io.signal);
  }
}
