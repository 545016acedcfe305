/**
 * `ft-checkpoints jobs`: the organization's fine-tuning jobs, newest first, to find a job's id:
 * the first page, or with `--all` every page. Through `paginate` over the client's `client.raw`,
 * whose boundary checks each page against the spec; each job is checked whole before it is shown.
 */
import { paginate } from '../index.js';
import type { FineTuningJob } from '../types.js';
import { clientFor, FULL_SCAN_LIMIT, hostOf } from './api.js';
import type { JobsCommand } from './args.js';
import { displayableJobsChecker } from './displayable.js';
import { createRenderer } from './format.js';
import { JOB_FORMAT } from './job-format.js';
import { writeText, type CliIO } from './io.js';
import { createProgress, outputAfter } from './progress.js';
import { plural } from './scan.js';
import { outputWidth, writesToTerminal } from './terminal.js';

/** Writes the jobs `command` asks for to stdout. */
export async function runJobs(command: JobsCommand, io: CliIO): Promise<void> {
  const client = clientFor(command, 'jobs', io);
  const limit = command.limit ?? (command.all ? FULL_SCAN_LIMIT : undefined);
  const jobs = paginate(client.raw, '/fine_tuning/jobs', {
    params: { query: limit === undefined ? {} : { limit } },
    signal: io.signal,
    // Every page means every page (as for `list --all`); cursor-loop detection stays on.
    maxPages: Number.MAX_SAFE_INTEGER,
  });
  const renderer = createRenderer<FineTuningJob>(
    {
      format: command.format,
      terminal: writesToTerminal(io),
      field: command.field,
      table: { width: outputWidth(io) },
    },
    JOB_FORMAT,
  );
  const progress = createProgress(io.stderr, 'job');
  const checkDisplayable = displayableJobsChecker();
  let count = 0;
  let pages = 0;
  // Whether the API has jobs that were not printed (first page only).
  let more = false;

  const emit = outputAfter(progress, io.stdout);

  try {
    progress.waiting(hostOf(command));
    // Without --all, the first page alone: awaiting the listing sends one request, where
    // iterating its pages would fetch the second ahead.
    for await (const page of command.all ? jobs.pages() : [await jobs]) {
      pages++;
      const items = checkDisplayable(page.data, pages);
      count += items.length;
      more = page.hasMore;
      progress.update(pages, count);
      await emit(renderer.push(items));
    }
  } finally {
    progress.clear();
  }
  await emit(renderer.finish());

  // Only the table gets a footer: the other formats are for pipes, where a count would be data.
  if (command.format === 'table' && command.field === undefined) {
    const footer = plural(count, 'job') + (more ? ' (first page; more with --all)' : '');
    await writeText(io.stdout, `${footer}\n`);
  }
}
