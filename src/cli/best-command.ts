/**
 * `ft-checkpoints best`: scans every page through {@link bestCheckpoint} (one page in memory at a
 * time) and prints the winner: a table, JSON, or one field for the next command.
 */
import { bestCheckpoint, defaultDirection } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../index.js';
import type { BestCommand } from './args.js';
import { CliFailure } from './exit.js';
import { fieldValue } from './fields.js';
import { renderTable, toJson } from './format.js';
import { writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';
import { checkedPages, listingOf, plural } from './scan.js';
import { outputWidth, writesToTerminal } from './terminal.js';

/**
 * Prints the best checkpoint of the command's job.
 *
 * @throws {@link CliFailure} when the job has no checkpoints, or none reports the metric.
 */
export async function runBest(command: BestCommand, io: CliIO): Promise<void> {
  const list = listingOf(command, 'best', io, { fullScan: true });
  const progress = createProgress(io.stderr);
  let scanned = 0;

  async function* everyCheckpoint(): AsyncGenerator<Checkpoint> {
    for await (const page of checkedPages(list, command, progress)) {
      scanned += page.items.length;
      yield* page.items;
    }
  }

  const direction = command.direction ?? defaultDirection(command.metric);
  let best: Checkpoint | undefined;
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
  if (command.field !== undefined) {
    await writeText(io.stdout, `${fieldValue(best, command.field, writesToTerminal(io))}\n`);
    return;
  }
  if (command.format === 'json') {
    await writeText(io.stdout, toJson(best));
    return;
  }
  const which = direction === 'min' ? 'lowest' : 'highest';
  const table = renderTable([best], {
    width: outputWidth(io),
    columns: command.columns,
    wide: command.wide,
  });
  await writeText(
    io.stdout,
    `${table}${which} ${command.metric} of ${plural(scanned, 'checkpoint')}\n`,
  );
}
