/**
 * The fields of a fine-tuning job that `jobs --field` prints and `jobs --format csv` has columns
 * for: the job's own fields, read from the generated checks, with its small objects (`error`,
 * `hyperparameters`) spread into dotted names (`error.message`).
 */
import {
  fieldsOfFineTuningJob,
  fieldsOfFineTuningJob_error,
  fieldsOfFineTuningJob_hyperparameters,
} from '../../generated/checkpoints.checks.js';
import type { FineTuningJob } from '../types.js';
import { fieldText } from './fields.js';

/** The objects of a job whose fields get a name of their own each. */
const SPREAD: Readonly<Record<string, readonly string[]>> = {
  error: fieldsOfFineTuningJob_error,
  hyperparameters: fieldsOfFineTuningJob_hyperparameters,
};

/** The names `jobs --field` accepts, in the spec's order. */
export const JOB_FIELD_NAMES: readonly string[] = Object.freeze(
  fieldsOfFineTuningJob.flatMap((name) =>
    SPREAD[name] === undefined ? [name] : SPREAD[name].map((inner) => `${name}.${inner}`),
  ),
);

/** The value of field `name` (a {@link JOB_FIELD_NAMES} entry) of `job`. */
export function jobField(job: FineTuningJob, name: string): unknown {
  const [outer = '', inner] = name.split('.');
  const value = (job as unknown as Record<string, unknown>)[outer];
  if (inner === undefined) return value;
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[inner]
    : undefined;
}

/**
 * The text `jobs --field` prints for `job` (see {@link fieldText}): an object or a list (the
 * `result_files`, the `method`) as compact JSON on its one line.
 */
export function jobFieldValue(job: FineTuningJob, name: string, terminal = false): string {
  return fieldText(jobField(job, name), `the ${name} of job ${JSON.stringify(job.id)}`, terminal);
}
