/**
 * `ft-checkpoints list` and `ft-checkpoints best`: the two commands that call the API. Each takes
 * a validated command from args.ts and writes its result to stdout; failures are thrown, and
 * app.ts turns them into one line on stderr and an exit code.
 */
import {
  createCheckpointsClient,
  DEFAULT_BASE_URL,
  type FineTuningJobCheckpoint,
  type PagePromise,
} from '../index.js';
import { bestCheckpoint, defaultDirection } from '../best.js';
import type { BestCommand, ListCommand } from './args.js';
import { CliFailure, UsageError } from './exit.js';
import { createRenderer, renderTable, toJson } from './format.js';
import { writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';

/**
 * Starts listing the command's job with the key from the environment. Nothing is requested
 * until the result is awaited or iterated.
 *
 * @throws {@link UsageError} when `OPENAI_API_KEY` is unset: checked here, not left to the
 * client, so the message names the variable and the CLI never looks anywhere else for a key.
 */
function listJob(
  command: ListCommand | BestCommand,
  io: CliIO,
): PagePromise<FineTuningJobCheckpoint> {
  // Trimmed: a stray space or newline from copy-paste would otherwise make every request fail.
  const apiKey = io.env.OPENAI_API_KEY?.trim();
  if (apiKey === undefined || apiKey === '') {
    throw new UsageError(
      'OPENAI_API_KEY is not set; export it first (export OPENAI_API_KEY=sk-...): ' +
        'ft-checkpoints reads the key only from the environment',
      command.kind,
    );
  }
  // The base URL is always passed, so the client never falls back to process.env: the CLI's
  // environment is `io.env`, whatever the process has.
  const client = createCheckpointsClient({ apiKey, baseUrl: command.baseUrl ?? DEFAULT_BASE_URL });
  return client.listCheckpoints(
    command.jobId,
    command.limit === undefined ? {} : { limit: command.limit },
    // `--all` means all: the client's default page cap (a guard for library loops) would make a
    // large job fail half-way. Cursor-loop detection stays on, and Ctrl+C still stops it.
    { signal: io.signal, maxPages: Number.MAX_SAFE_INTEGER },
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `list`: the first page, or with `--all` every page up to `--max-items`. Streaming formats
 * (jsonl, csv) are written page by page, so a large job never sits in memory whole.
 */
export async function runList(command: ListCommand, io: CliIO): Promise<void> {
  const list = listJob(command, io);
  const renderer = createRenderer(command.format);
  const progress = createProgress(io.stderr);
  let count = 0;
  // Whether the API has checkpoints that were not printed (first page only, or --max-items).
  let more = false;

  const emit = async (text: string): Promise<void> => {
    if (text === '') return;
    progress.clear();
    await writeText(io.stdout, text);
  };

  try {
    if (!command.all) {
      const page = await list;
      count = page.data.length;
      more = page.hasMore;
      await emit(renderer.push(page.data));
    } else {
      let pages = 0;
      const maxItems = command.maxItems ?? Number.POSITIVE_INFINITY;
      for await (const page of list.pages()) {
        pages++;
        const items = page.data.slice(0, maxItems - count);
        count += items.length;
        await emit(renderer.push(items));
        if (count >= maxItems) {
          more = items.length < page.data.length || page.hasMore;
          // Leaving the loop stops the iterator: no request for a page we would not print.
          break;
        }
        progress.update(pages, count);
      }
    }
  } finally {
    progress.clear();
  }
  await emit(renderer.finish());

  // Only the table gets a footer: the other formats are for pipes, where a count would be data.
  if (command.format === 'table') {
    let footer = plural(count, 'checkpoint');
    if (more) {
      footer += command.all
        ? ` (stopped at --max-items ${command.maxItems ?? count}; more exist)`
        : ' (first page; more with --all)';
    }
    await writeText(io.stdout, `${footer}\n`);
  }
}

/**
 * `best`: scans every page through {@link bestCheckpoint} (one page in memory at a time) and
 * prints the winner.
 *
 * @throws {@link CliFailure} when the job has no checkpoints, or none reports the metric.
 */
export async function runBest(command: BestCommand, io: CliIO): Promise<void> {
  const list = listJob(command, io);
  const progress = createProgress(io.stderr);
  let scanned = 0;

  async function* everyCheckpoint() {
    let pages = 0;
    for await (const page of list.pages()) {
      pages++;
      scanned += page.data.length;
      progress.update(pages, scanned);
      yield* page.data;
    }
  }

  const direction = command.direction ?? defaultDirection(command.metric);
  let best: FineTuningJobCheckpoint | undefined;
  try {
    best = await bestCheckpoint(everyCheckpoint(), { metric: command.metric, direction });
  } finally {
    progress.clear();
  }
  if (best === undefined) {
    throw new CliFailure(
      scanned === 0
        ? `fine-tuning job ${command.jobId} has no checkpoints`
        : `none of the ${plural(scanned, 'checkpoint')} of ${command.jobId} has the metric ${command.metric}`,
    );
  }
  if (command.format === 'json') {
    await writeText(io.stdout, toJson(best));
    return;
  }
  const which = direction === 'min' ? 'lowest' : 'highest';
  await writeText(
    io.stdout,
    `${renderTable([best])}${which} ${command.metric} of ${plural(scanned, 'checkpoint')}\n`,
  );
}
