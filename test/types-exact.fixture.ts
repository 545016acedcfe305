// Compiled by test/types-exact.test.ts under `exactOptionalPropertyTypes` (and by `npm run
// typecheck` without it): an explicit `undefined` is accepted for every optional field of the
// options, the per-call options, the query and the mock's options, and means "not given".
import { createCheckpointsClient, paginate, type CheckpointsClientOptions } from '../src/index.js';
import {
  createMockServer,
  generateCheckpoints,
  type MockServerOptions,
} from '../src/mock/index.js';

const maybe = <T>(value: T): T | undefined => (Math.random() > 2 ? value : undefined);

const options: CheckpointsClientOptions = {
  apiKey: maybe('sk-x'),
  baseUrl: maybe('http://127.0.0.1:1/v1'),
  organization: maybe('org'),
  project: undefined,
  headers: maybe({ 'x-a': 'b' }),
  fetch: undefined,
  maxRetries: maybe(1),
  timeoutMs: maybe(5),
  maxResponseBytes: maybe(1),
  backoff: undefined,
  prefetch: maybe(true),
  maxPages: maybe(1),
  dangerouslyAllowBrowser: maybe(false),
};
const client = createCheckpointsClient(options);

export const listing = client.listCheckpoints(
  'ftjob-1',
  { after: maybe('ftckpt_1'), limit: maybe(10) },
  {
    signal: maybe(new AbortController().signal),
    timeoutMs: undefined,
    maxRetries: maybe(0),
    maxResponseBytes: undefined,
    prefetch: undefined,
    maxPages: maybe(2),
    maxItems: maybe(3),
  },
);
export const collected = listing.toArray({ maxItems: maybe(5) });
export const pages = listing.pages({ maxItems: undefined });
export const paginated = paginate(
  client.raw,
  '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints',
  {
    params: { path: { fine_tuning_job_id: 'ftjob-1' } },
    prefetch: maybe(false),
    maxPages: undefined,
    maxItems: maybe(1),
  },
);

const mockOptions: MockServerOptions = {
  jobs: {},
  pageSize: maybe(10),
  maxLimit: undefined,
  apiKey: maybe('sk-x'),
  faults: undefined,
  seed: maybe(1),
  port: undefined,
  latencyMs: maybe(0),
};
export const startMock = () => createMockServer(mockOptions);
export const generated = generateCheckpoints({
  jobId: 'ftjob-1',
  count: 1,
  seed: undefined,
  stepsPerCheckpoint: maybe(1),
  model: undefined,
  startTime: maybe(1),
});
