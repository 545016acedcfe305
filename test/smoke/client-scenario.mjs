// The client half of the smoke scenario: everything a runtime does against a mock it did not
// start itself. Node, Bun and Deno run it next to the mock (scenario.mjs); Workers, the Edge VM
// and Chromium run it from a bundle or an import map while the host serves the mock. It only
// gathers facts; plan.mjs judges them.
import {
  AbortError,
  ApiError,
  CheckpointsError,
  createCheckpointsClient,
  InvalidArgumentError,
  NotFoundError,
} from 'fine-tuning-checkpoints';
import { ABORT_JOB_ID, JOB_ID, LIMIT, MISSING_JOB_ID } from './plan.mjs';

/** What an error tells about itself, for the judge. */
function describeError(err) {
  return {
    thrown: true,
    name: err?.name,
    message: err?.message,
    status: err?.status,
    notFoundError: err instanceof NotFoundError,
    apiError: err instanceof ApiError,
    checkpointsError: err instanceof CheckpointsError,
    abortError: err instanceof AbortError,
    invalidArgument: err instanceof InvalidArgumentError,
  };
}

/**
 * Runs the scenario against the mock at `baseUrl`: the first page, a full walk across a retried
 * 503, a NotFoundError, an abort in mid-walk. `options` are extra client options.
 */
export async function clientScenario(baseUrl, options = {}) {
  const facts = { ok: false };
  try {
    // A short backoff keeps the retry fast; the retry itself is what is being tested.
    const client = createCheckpointsClient({
      apiKey: 'sk-smoke',
      baseUrl,
      maxRetries: 2,
      backoff: () => 10,
      ...options,
    });
    const first = await client.listCheckpoints(JOB_ID, { limit: LIMIT });
    facts.firstPage = { items: first.data.length, hasMore: first.hasMore };

    facts.ids = [];
    for await (const checkpoint of client.listCheckpoints(JOB_ID, { limit: LIMIT })) {
      facts.ids.push(checkpoint.id);
    }

    try {
      await client.listCheckpoints(MISSING_JOB_ID);
      facts.notFound = { thrown: false };
    } catch (err) {
      facts.notFound = describeError(err);
    }

    // Abort after the first checkpoint: the walk must end with AbortError and never fetch past
    // the page it was reading (the rest of that page is already in memory and may still come).
    const controller = new AbortController();
    let seen = 0;
    try {
      const walk = client.listCheckpoints(
        ABORT_JOB_ID,
        { limit: LIMIT },
        { signal: controller.signal },
      );
      for await (const checkpoint of walk) {
        void checkpoint;
        seen++;
        controller.abort();
      }
      facts.abort = { thrown: false };
    } catch (err) {
      facts.abort = describeError(err);
    }
    facts.abort.itemsSeen = seen;
    facts.ok = true;
  } catch (err) {
    facts.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  return facts;
}

/**
 * The error of a first-page request to `baseUrl` (a browser calling a mock without CORS must
 * fail to read it), or `{ thrown: false }`.
 */
export async function firstPageError(baseUrl, options = {}) {
  try {
    const client = createCheckpointsClient({
      apiKey: 'sk-smoke',
      baseUrl,
      backoff: () => 10,
      ...options,
    });
    await client.listCheckpoints(JOB_ID, { limit: LIMIT });
    return { thrown: false };
  } catch (err) {
    return describeError(err);
  }
}

/**
 * What `createCheckpointsClient` does with an API key and no `dangerouslyAllowBrowser`: in a
 * browser it must refuse, before any request.
 */
export function refusalWithoutOptIn(baseUrl) {
  try {
    createCheckpointsClient({ apiKey: 'sk-smoke', baseUrl });
    return { thrown: false };
  } catch (err) {
    return describeError(err);
  }
}
