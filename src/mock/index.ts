/**
 * `fine-tuning-checkpoints/mock`: a spec-faithful, fault-injecting mock of OpenAI's
 * `GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints` and of the jobs around them
 * (`GET /v1/fine_tuning/jobs`, `GET /v1/fine_tuning/jobs/{fine_tuning_job_id}`), for testing
 * clients of them.
 *
 * @packageDocumentation
 */
export { createMockServer } from './server.js';
export { DEFAULT_RECORDED_REQUESTS } from './options.js';
export type {
  MockJob,
  MockJobs,
  MockOperation,
  MockServer,
  MockServerOptions,
  RecordedRequest,
} from './types.js';
export type {
  BadShapeFault,
  Fault,
  FaultContext,
  FaultFunction,
  FaultKind,
  FaultPlan,
  HangFault,
  MalformedJsonFault,
  NoCursorFault,
  RateFaultPlan,
  RepeatCursorFault,
  ResetFault,
  ScheduledFault,
  SlowBodyFault,
  StatusFault,
  TruncatedFault,
  WrongContentTypeFault,
} from './faults.js';
export { generateCheckpoints, type GenerateCheckpointsOptions } from './generate.js';
export { JobsFileError, JOBS_FILE_LIMITS, loadJobsFile, parseJobs } from './jobs-file.js';
export type { FineTuningJob, FineTuningJobCheckpoint, FineTuningJobStatus } from '../types.js';
