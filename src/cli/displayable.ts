/**
 * The CLI's last check on what the server sent, before anything is printed: every checkpoint
 * must conform to the spec's `FineTuningJobCheckpoint` schema, its optional fields (the
 * metrics) included wherever they are present and not null. The library checks the required
 * fields; the formatters need the rest too. The check is the one the pipeline generates from the
 * spec (generated/), never a restatement of the schema. What fails is one line and exit 1 ("cannot
 * be shown"), never a crash in a formatter halfway through a table.
 */
import { checkFineTuningJobCheckpointWhole } from '../../generated/checkpoints.checks.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { CliFailure } from './exit.js';

/**
 * A check of one page of items before they are printed, compiled once: make one per command and
 * call it for every page.
 *
 * The returned function takes the page's number, from 1; items are named by their index in the
 * page's `data`, from 0, as the library's `InvalidResponseError` names them: "page 2, item 0".
 * It throws {@link CliFailure} naming the page, the item and the field.
 */
export function displayableChecker(): (items: readonly unknown[], page: number) => Checkpoint[] {
  const problemOf = checkFineTuningJobCheckpointWhole;
  return (items, page) => {
    for (const [index, item] of items.entries()) {
      const problem = problemOf(item);
      if (problem !== undefined) {
        throw new CliFailure(
          `the server sent a checkpoint that cannot be shown: page ${page}, item ${index}: ${problem}`,
        );
      }
    }
    return items as Checkpoint[];
  };
}
