/**
 * The CLI's last check on what the server sent, before anything is printed: every checkpoint
 * (every job) must conform to the spec's `FineTuningJobCheckpoint` (`FineTuningJob`) schema, its
 * optional fields (the metrics) included wherever they are present and not null. The library
 * checks the required fields; the formatters need the rest too. The check is the one the pipeline
 * generates from the spec (generated/), never a restatement of the schema. What fails is one line
 * and exit 1 ("cannot be shown"), never a crash in a formatter halfway through a table.
 */
import {
  checkFineTuningJobCheckpointWhole,
  checkFineTuningJobWhole,
} from '../../generated/checkpoints.checks.js';
import type { FineTuningJob, FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { CliFailure } from './exit.js';

/** A check of one page of items before they are printed (see {@link displayableChecker}). */
type PageCheck<Item> = (items: readonly unknown[], page: number) => Item[];

/** The {@link PageCheck} of items named `noun` in messages, by the generated `check`. */
function pageCheck<Item>(
  noun: string,
  check: (value: unknown) => string | undefined,
): PageCheck<Item> {
  return (items, page) => {
    for (const [index, item] of items.entries()) {
      const problem = check(item);
      if (problem !== undefined) {
        throw new CliFailure(
          `the server sent ${noun} that cannot be shown: page ${page}, item ${index}: ${problem}`,
        );
      }
    }
    return items as Item[];
  };
}

/**
 * One job, checked before it is printed (`watch`'s status line): its problem names no page.
 *
 * @throws {@link CliFailure} naming the field.
 */
export function displayableJob(job: unknown): FineTuningJob {
  const problem = checkFineTuningJobWhole(job);
  if (problem !== undefined) {
    throw new CliFailure(`the server sent a fine-tuning job that cannot be shown: ${problem}`);
  }
  return job as FineTuningJob;
}

/** The {@link PageCheck} of pages of jobs (`ft-checkpoints jobs`). */
export function displayableJobsChecker(): PageCheck<FineTuningJob> {
  return pageCheck('a fine-tuning job', checkFineTuningJobWhole);
}

/**
 * A check of one page of items before they are printed, compiled once: make one per command and
 * call it for every page.
 *
 * The returned function takes the page's number, from 1; items are named by their index in the
 * page's `data`, from 0, as the library's `InvalidResponseError` names them: "page 2, item 0".
 * It throws {@link CliFailure} naming the page, the item and the field.
 */
export function displayableChecker(): PageCheck<Checkpoint> {
  return pageCheck('a checkpoint', checkFineTuningJobCheckpointWhole);
}
