/**
 * `ft-checkpoints list`: the first page, or with `--all` every page up to `--max-items`.
 * Streaming formats (jsonl, csv, `--field`) are written page by page, so a large job never sits
 * in memory whole.
 */
import { hostOf } from './api.js';
import type { ListCommand } from './args.js';
import { displayableChecker } from './displayable.js';
import { CHECKPOINT_FORMAT, createRenderer } from './format.js';
import { writeText, type CliIO } from './io.js';
import { createProgress, outputAfter } from './progress.js';
import { checkedPages, listingOf, plural } from './scan.js';
import { outputWidth, writesToTerminal } from './terminal.js';

/** Writes the checkpoints `command` asks for to stdout. */
export async function runList(command: ListCommand, io: CliIO): Promise<void> {
  const list = listingOf(command, 'list', io, { fullScan: command.all });
  const renderer = createRenderer(
    {
      format: command.format,
      terminal: writesToTerminal(io),
      field: command.field,
      sort: command.sort,
      table: { width: outputWidth(io), columns: command.columns, wide: command.wide },
    },
    CHECKPOINT_FORMAT,
  );
  const progress = createProgress(io.stderr);
  let count = 0;
  // Whether the API has checkpoints that were not printed (first page only).
  let more = false;

  const emit = outputAfter(progress, io.stdout);

  try {
    if (command.all) {
      // With --max-items, the library asks for exactly the pages it needs, the last one sized
      // to fit; each page is checked and named as it comes.
      for await (const page of checkedPages(list, command, progress, command.maxItems)) {
        count += page.items.length;
        await emit(renderer.push(page.items));
      }
    } else {
      progress.waiting(hostOf(command));
      const page = await list;
      const items = displayableChecker()(page.data, 1);
      count = items.length;
      more = page.hasMore;
      await emit(renderer.push(items));
    }
  } finally {
    progress.clear();
  }
  await emit(renderer.finish());

  // Only the table gets a footer: the other formats are for pipes, where a count would be data.
  if (command.format === 'table' && command.field === undefined) {
    let footer = plural(count, 'checkpoint');
    if (more) footer += ' (first page; more with --all)';
    else if (command.maxItems !== undefined && count === command.maxItems) {
      footer += ` (stopped at --max-items ${command.maxItems})`;
    }
    await writeText(io.stdout, `${footer}\n`);
  }
}
