// A tour of the client's common uses, each a few lines you can copy. It runs as a whole against
// the mock API (test/examples.test.ts), so every line here works as written.
//
//   OPENAI_API_KEY=sk-... node client-tour.js ftjob-abc123
import {
  bestCheckpoint,
  createCheckpointsClient,
  NotFoundError,
  RateLimitError,
} from 'fine-tuning-checkpoints';

const jobId = process.argv[2] ?? 'ftjob-abc123';

// --- Create a client ---
const client = createCheckpointsClient({
  apiKey: process.env.OPENAI_API_KEY, // the default
  organization: process.env.OPENAI_ORG_ID, // sent as OpenAI-Organization when set
  headers: { 'X-Trace-Id': 'trace-42' }, // extra headers (they cannot replace Authorization)
  maxRetries: 2, // retries after the first attempt
  timeoutMs: 60_000, // per attempt, reading the body included
});

// --- One page ---
const page = await client.listCheckpoints(jobId, { limit: 20 });
console.log(page.data.length, page.hasMore, page.lastId, page.requestId);
if (page.hasNextPage()) {
  const next = await page.nextPage(); // the same limit, after page.lastId
  console.log(next.data[0]?.step_number);
}

// --- Every checkpoint of every page, each exactly once, newest first ---
for await (const checkpoint of client.listCheckpoints(jobId, { limit: 100 })) {
  console.log(checkpoint.step_number, checkpoint.metrics.full_valid_loss ?? '-');
}

// --- Page by page, or collected with a cap ---
for await (const p of client.listCheckpoints(jobId, { limit: 100 }).pages()) {
  console.log(`${p.data.length} checkpoints (request ${p.requestId})`);
}
const newest50 = await client.listCheckpoints(jobId).toArray({ maxItems: 50 });

// --- Exactly 15 checkpoints: with limit 10, two requests (limit=10, then limit=5) ---
const fifteen: string[] = [];
for await (const checkpoint of client.listCheckpoints(jobId, { limit: 10 }, { maxItems: 15 })) {
  fifteen.push(checkpoint.id);
}

// --- Per-call options: a deadline (retries included), no retries, a smaller body bound ---
const quick = await client.listCheckpoints(
  jobId,
  { limit: 5 },
  { signal: AbortSignal.timeout(5_000), maxRetries: 0, maxResponseBytes: 1024 * 1024 },
);

// --- The best checkpoint by a metric, across every page, in constant memory ---
const best = await bestCheckpoint(client.listCheckpoints(jobId, { limit: 100 }), {
  metric: 'full_valid_loss', // the default; losses are minimised, accuracies maximised
});
console.log(best?.fine_tuned_model_checkpoint, newest50.length, fifteen.length, quick.data.length);

// --- Errors: one base class, a subclass per case ---
try {
  await client.listCheckpoints('ftjob-missing');
} catch (error) {
  if (error instanceof NotFoundError) console.log(error.status, error.code, error.requestId);
  else if (error instanceof RateLimitError) console.log('retry in', error.retryAfterMs, 'ms');
  else throw error;
}
