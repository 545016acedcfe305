// The one client factory of the tests: a client pointed at a test server (or any base URL) with
// a distinctive key and no backoff, so retries cost no time; a test overrides any option.
import {
  createCheckpointsClient,
  type CheckpointsClient,
  type CheckpointsClientOptions,
} from '../../src/index.js';

/** A key that cannot appear by accident in any message, so a leak of it is always a real leak. */
export const KEY = 'sk-test-SECRET-7f3a9c';

/** The job every test lists unless it says otherwise. */
export const JOB = 'ftjob-abc123';

/** The path template of the endpoint. */
export const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

/**
 * No retries, no waiting out a 429 and a short timeout: a failing case fails fast and leaves
 * exactly the requests it made (the security tests use it throughout).
 */
export const FAIL_FAST = { maxRetries: 0, maxRateLimitWaitMs: 0, timeoutMs: 2_000 } as const;

/**
 * A client for `target` (a test server, or a base URL) with {@link KEY} and no backoff;
 * `options` override any of it, e.g. `clientFor(server, { ...FAIL_FAST, maxPages: 3 })`.
 */
export function clientFor(
  target: { url: string } | string,
  options: CheckpointsClientOptions = {},
): CheckpointsClient {
  return createCheckpointsClient({
    apiKey: KEY,
    baseUrl: typeof target === 'string' ? target : target.url,
    backoff: () => 0,
    ...options,
  });
}
