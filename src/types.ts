// Named aliases of the generated types, for consumers. Aliases only: every shape is defined once,
// in generated/, from the spec.
import type { components, operations, paths } from '../generated/checkpoints.js';

export type { components, operations, paths };

/** A `fine_tuning.job.checkpoint` object. */
export type FineTuningJobCheckpoint = components['schemas']['FineTuningJobCheckpoint'];

/** The metrics of a checkpoint; every one of them is optional. */
export type FineTuningJobCheckpointMetrics = FineTuningJobCheckpoint['metrics'];

/** The name of one checkpoint metric, e.g. `full_valid_loss`. */
export type CheckpointMetricName = keyof FineTuningJobCheckpointMetrics;

/** The JSON body of one page of checkpoints. */
export type ListFineTuningJobCheckpointsResponse =
  components['schemas']['ListFineTuningJobCheckpointsResponse'];

/** The API's error envelope, `{ error: { message, type, param, code } }`. */
export type ErrorResponse = components['schemas']['ErrorResponse'];

/** Each optional field of `T` also accepting an explicit `undefined` ("not given"). */
type OrUndefined<T> = { [K in keyof T]: undefined extends T[K] ? T[K] | undefined : T[K] };

/**
 * The query of `listCheckpoints`: `after` and `limit`, as the spec types them (an explicit
 * `undefined` is "not given", also under `exactOptionalPropertyTypes`).
 */
export type ListCheckpointsQuery = OrUndefined<
  NonNullable<operations['listFineTuningJobCheckpoints']['parameters']['query']>
>;

/** The path of the checkpoints operation, as the generated `paths` names it. */
export type CheckpointsPath = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints' & keyof paths;

/** A `fine_tuning.job` object: what `GET /fine_tuning/jobs/{fine_tuning_job_id}` answers. */
export type FineTuningJob = components['schemas']['FineTuningJob'];

/** The status of a fine-tuning job, e.g. `running` or `succeeded`. */
export type FineTuningJobStatus = FineTuningJob['status'];

/** The JSON body of one page of fine-tuning jobs (`GET /fine_tuning/jobs`). */
export type ListPaginatedFineTuningJobsResponse =
  components['schemas']['ListPaginatedFineTuningJobsResponse'];
