/**
 * Aliases of the schema types generated from openapi/checkpoints.yaml. The mock never declares a
 * schema shape by hand, so a spec change that alters a schema breaks the mock's type-check.
 */
import type { components } from '../../generated/checkpoints.js';

/** One checkpoint of a fine-tuning job, as the API returns it. */
export type FineTuningJobCheckpoint = components['schemas']['FineTuningJobCheckpoint'];

/** The 200 body of `GET /fine_tuning/jobs/{fine_tuning_job_id}/checkpoints`. */
export type ListFineTuningJobCheckpointsResponse =
  components['schemas']['ListFineTuningJobCheckpointsResponse'];

/** The API's error envelope, `{ "error": { ... } }`. */
export type ErrorResponse = components['schemas']['ErrorResponse'];

/** The inner object of {@link ErrorResponse}. */
export type ApiError = components['schemas']['Error'];
