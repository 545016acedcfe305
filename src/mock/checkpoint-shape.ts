/**
 * A runtime check that a value has the shape of the spec's `FineTuningJobCheckpoint`, for data
 * read from files. Hand-written because the mock has no runtime dependencies (no JSON Schema
 * validator); test/contract.test.ts keeps it honest by validating generated data with ajv.
 */
import { METRIC_NAMES } from '../best.js';
import type { FineTuningJobCheckpoint } from '../types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Describes the first way `value` fails to be a checkpoint, or returns `undefined` if it is one.
 * Like the schema, it allows properties the spec does not declare.
 *
 * @param where - how to name `value` in the message, e.g. `"ftjob-1"[3]`.
 */
export function checkpointProblem(value: unknown, where: string): string | undefined {
  if (!isRecord(value)) return `${where} must be an object`;
  for (const key of ['id', 'fine_tuned_model_checkpoint', 'fine_tuning_job_id'] as const) {
    if (typeof value[key] !== 'string') return `${where}.${key} must be a string`;
  }
  if (value.id === '') return `${where}.id must not be empty`;
  for (const key of ['created_at', 'step_number'] as const) {
    if (!Number.isInteger(value[key])) return `${where}.${key} must be an integer`;
  }
  if (value.object !== 'fine_tuning.job.checkpoint') {
    return `${where}.object must be "fine_tuning.job.checkpoint"`;
  }
  const metrics = value.metrics;
  if (!isRecord(metrics)) return `${where}.metrics must be an object`;
  for (const name of METRIC_NAMES) {
    const metric = metrics[name];
    if (metric !== undefined && (typeof metric !== 'number' || !Number.isFinite(metric))) {
      return `${where}.metrics.${name} must be a number`;
    }
  }
  return undefined;
}
