/**
 * The public shapes of the mock server: its options, its handle, and the record it keeps of each
 * request.
 */
import type { Fault, FaultPlan } from './faults.js';
import type { FineTuningJobCheckpoint, FineTuningJobStatus, operations } from '../types.js';

/**
 * One job of the mock, with more said about it than its checkpoints: its status, its model, why
 * it failed, and whether it is still making checkpoints.
 */
export interface MockJob {
  /** Its checkpoints, in any order (served newest first). Copied, never mutated. */
  checkpoints: FineTuningJobCheckpoint[];
  /**
   * Its status, one of the spec's (`validating_files`, `queued`, `running`, `succeeded`, `failed`,
   * `cancelled`). Default `succeeded`. With `tickMs`, the status it reaches after its last
   * checkpoint (it is `running` until then).
   */
  status?: FineTuningJobStatus | undefined;
  /** Its base model. Default `gpt-4o-mini-2024-07-18`, the model of generated checkpoints. */
  model?: string | undefined;
  /**
   * The message of its `error`: for a `failed` job (default: a message saying the mock failed
   * it), or a `cancelled` one (default: none).
   */
  error?: string | undefined;
  /**
   * A job still training: it has none of its checkpoints at first, then gains one every `tickMs`
   * milliseconds (oldest first) from the first request for it (the job or its checkpoints), and
   * reaches its `status` with its last one. From 1 to 2147483647.
   */
  tickMs?: number | undefined;
}

/**
 * The jobs a mock serves, by job id: each its checkpoints (a job that has succeeded, with the
 * demo model), or a {@link MockJob}. What `loadJobsFile` reads, and `createMockServer` takes.
 */
export type MockJobs = Record<string, FineTuningJobCheckpoint[] | MockJob>;

/** Options of {@link createMockServer}. */
export interface MockServerOptions {
  /**
   * Job id -> its checkpoints, or a {@link MockJob}. Checkpoints are served newest first
   * (`created_at` descending, then `step_number` descending), jobs newest first too. The arrays
   * are copied, never mutated.
   */
  jobs: MockJobs;
  /**
   * The clock of growing jobs (`tickMs`), in milliseconds. Default `Date.now`; a test may pass
   * its own to make a job grow without waiting.
   */
  now?: (() => number) | undefined;
  /** Page size when a request has no `limit`. Default 10, the API's default. */
  pageSize?: number | undefined;
  /** Largest accepted `limit`; larger gets a 400. Default 100. */
  maxLimit?: number | undefined;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted; otherwise any bearer token. */
  apiKey?: string | undefined;
  /** Which requests to fault, and how. Default: none. */
  faults?: FaultPlan | undefined;
  /** Seeds a probabilistic fault plan: the same seed faults the same request numbers. Default 0. */
  seed?: number | undefined;
  /** Port to listen on; default 0 picks a free one. The host is always 127.0.0.1. */
  port?: number | undefined;
  /**
   * Fixed delay before answering each request, in milliseconds, from 0 to 2^31 - 1 (the longest
   * a timer holds; a larger value is a `RangeError`). Default 0.
   */
  latencyMs?: number | undefined;
  /**
   * How many of the most recent requests {@link MockServer.requests} keeps: default 10,000
   * (about 10 MB), `0` keeps none (`ft-checkpoints mock` keeps none), `Infinity` keeps every
   * one. Request numbers keep counting whatever the log forgets.
   */
  maxRecordedRequests?: number | undefined;
  /**
   * Serve browsers on other origins: answer CORS preflights (which are not recorded or counted
   * in `requests`) and add `Access-Control-Allow-Origin: *` and `-Expose-Headers` (request id,
   * retry hints) to every reply. Default `false`: no CORS headers, and a preflight gets a 405.
   */
  cors?: boolean | undefined;
}

/** The operations the mock serves: every one of the spec, by its operationId. */
export type MockOperation = keyof operations;

/** What the server recorded about one request, in arrival order. */
export interface RecordedRequest {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Path of the request target as sent, not decoded, e.g. `/v1/fine_tuning/jobs/ft-1/checkpoints`. */
  path: string;
  /** The request target as sent: path and query string, e.g. `/v1/...?limit=2`. */
  url: string;
  /** Query parameters; when a name repeats, the first value. */
  query: Record<string, string>;
  /** Request headers with lowercased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The decoded job id, when the path is a job's (the job, or its checkpoints). */
  jobId?: string;
  /** The spec's operation the path names, when it names one (`retrieveFineTuningJob`, ...). */
  operation?: MockOperation;
  /** The kind of fault applied to this request, if any (its parameters are in `faultDetails`). */
  fault?: string;
  /**
   * The fault applied, with its parameters, e.g. `{ kind: 'status', status: 503, retryAfterMs:
   * 50 }` (a schedule's `request` left out). A frozen copy: changing the plan does not change it.
   */
  faultDetails?: Fault;
  /**
   * The HTTP status the mock answered with, set when the status line is written: absent while
   * a `latencyMs` delay runs, and for faults that send no status (`reset`, `hang`).
   */
  status?: number;
  /** 1-based request number across the server. */
  number: number;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL to give a client, e.g. `http://127.0.0.1:54321/v1`. */
  url: string;
  /**
   * The requests received, in arrival order, faulted and rejected ones included: the most recent
   * `maxRecordedRequests` (default 10,000). Emptying it (`requests.length = 0`) is allowed and
   * does not reset request numbers.
   */
  requests: RecordedRequest[];
  /** Stops the server, destroying open (hanging, keep-alive) connections so it returns promptly. */
  close(): Promise<void>;
}
