// Type-level consumer under `exactOptionalPropertyTypes`: every optional option, per-call option,
// query parameter and mock option accepts an explicit `undefined`, which means "not given". This
// is how real code passes values through (`apiKey: process.env.OPENAI_API_KEY`, a cursor that is
// `string | undefined`). scripts/test-types.mjs compiles it against the packed tarball under every
// TypeScript and module resolution in the matrix; it is compiled, never run.
import {
  createCheckpointsClient,
  type CheckpointsClientOptions,
  type ListCheckpointsOptions,
  type ListCheckpointsQuery,
} from 'fine-tuning-checkpoints';
import { createMockServer, type MockServerOptions } from 'fine-tuning-checkpoints/mock';

// What `process.env` is, without tying this fixture to @types/node (the web configs have none).
declare const env: Record<string, string | undefined>;
declare const signal: AbortSignal | undefined;
declare const limit: number | undefined;

const clientOptions: CheckpointsClientOptions = {
  apiKey: env.OPENAI_API_KEY,
  baseUrl: env.OPENAI_BASE_URL,
  organization: env.OPENAI_ORG_ID,
  project: env.OPENAI_PROJECT_ID,
  headers: undefined,
  fetch: undefined,
  maxRetries: undefined,
  timeoutMs: undefined,
  backoff: undefined,
  prefetch: undefined,
  maxPages: undefined,
  dangerouslyAllowBrowser: undefined,
};
const client = createCheckpointsClient(clientOptions);
// The same inline, as most code writes it.
createCheckpointsClient({ apiKey: env.OPENAI_API_KEY, baseUrl: undefined });

const callOptions: ListCheckpointsOptions = {
  signal,
  timeoutMs: undefined,
  maxRetries: undefined,
  prefetch: undefined,
  maxPages: undefined,
};

async function walk(jobId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query: ListCheckpointsQuery = { after: cursor, limit };
    const page = await client.listCheckpoints(jobId, query, callOptions);
    ids.push(...page.data.map((checkpoint) => checkpoint.id));
    cursor = page.hasMore ? page.data.at(-1)?.id : undefined;
  } while (cursor !== undefined);
  // Inline too.
  await client.listCheckpoints(jobId, { after: cursor, limit: undefined }, { signal });
  return ids;
}

const mockOptions: MockServerOptions = {
  jobs: {},
  pageSize: undefined,
  maxLimit: undefined,
  apiKey: env.MOCK_KEY,
  faults: undefined,
  seed: undefined,
  port: undefined,
  latencyMs: undefined,
  cors: undefined,
};
void createMockServer(mockOptions);

// Still real types, not `any`: each line below must be an error.

// @ts-expect-error apiKey is a string, not a number.
createCheckpointsClient({ apiKey: 42 });

// @ts-expect-error `after` is a checkpoint id (string).
void client.listCheckpoints('ftjob-1', { after: 1 });

// @ts-expect-error `cors` is a boolean.
void createMockServer({ jobs: {}, cors: 'yes' });

// @ts-expect-error proves exactOptionalPropertyTypes is on: without it this line is no error.
const exact: { optional?: string } = { optional: undefined };

void [walk, exact];
