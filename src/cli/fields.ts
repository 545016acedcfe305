/**
 * `--field NAME`: one value of a checkpoint, printed alone on its line for scripts. The names
 * are the checkpoint's own fields, read from the generated checks, with dotted `metrics.<name>`
 * for the metrics.
 */
import { fieldsOfFineTuningJobCheckpoint } from '../../generated/checkpoints.checks.js';
import { METRIC_NAMES } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { CliFailure } from './exit.js';
import { jsonText } from './json-text.js';
import { printable } from './safe-text.js';

/** The names `--field` accepts: every scalar field, then `metrics.<metric>` for each metric. */
export const FIELD_NAMES: readonly string[] = Object.freeze([
  ...fieldsOfFineTuningJobCheckpoint.filter((name) => name !== 'metrics'),
  ...METRIC_NAMES.map((name) => `metrics.${name}`),
]);

/**
 * The text `--field` prints for `checkpoint`: strings as they are, numbers in full precision,
 * an empty line for a metric the checkpoint does not report (so that line N is checkpoint N).
 * For a `terminal`, BiDi controls and line separators are replaced (safe-text.ts); for a pipe
 * or a file the value is exact.
 *
 * @throws {@link CliFailure} when the value holds a line break or another control character: it
 * would split one value over lines, or drive the terminal, and a script could not tell.
 */
export function fieldValue(checkpoint: Checkpoint, name: string, terminal = false): string {
  const value = name.startsWith('metrics.')
    ? (checkpoint.metrics as Record<string, unknown>)[name.slice('metrics.'.length)]
    : (checkpoint as unknown as Record<string, unknown>)[name];
  return fieldText(value, `the ${name} of checkpoint ${JSON.stringify(checkpoint.id)}`, terminal);
}

/**
 * One value as `--field` prints it: a string as it is, a number in full precision, nothing for
 * `null` or a missing value, an object or a list as compact JSON. For a `terminal`, BiDi controls
 * and line separators are replaced (safe-text.ts); for a pipe or a file the value is exact.
 * `what` names the value in the error.
 *
 * @throws {@link CliFailure} when the text holds a line break or another control character.
 */
export function fieldText(value: unknown, what: string, terminal: boolean): string {
  const text =
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? jsonText(value, 0)
        : String(value);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) {
    throw new CliFailure(
      `${what} holds a control character or line break, so it cannot be printed as one line; ` +
        'use --format json',
    );
  }
  return terminal ? printable(text) : text;
}
