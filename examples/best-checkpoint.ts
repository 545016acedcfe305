// The best checkpoint of a fine-tuning job, with a deadline for the whole walk and error handling.
//
//   OPENAI_API_KEY=sk-... node best-checkpoint.js ftjob-abc123
//
// Reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the environment. Prints the model name
// of the checkpoint with the lowest full-validation loss, for the next step of a script.
import {
  bestCheckpoint,
  CheckpointsError,
  createCheckpointsClient,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from 'fine-tuning-checkpoints';

const jobId = process.argv[2] ?? 'ftjob-abc123';
const client = createCheckpointsClient();

try {
  // One deadline for every page, retries included: the walk stops with a TimeoutError after 30 s.
  const checkpoints = client.listCheckpoints(
    jobId,
    { limit: 100 },
    { signal: AbortSignal.timeout(30_000) },
  );
  const best = await bestCheckpoint(checkpoints, { metric: 'full_valid_loss' });
  if (best === undefined) {
    console.error(`${jobId}: no checkpoint reports full_valid_loss yet`);
    process.exitCode = 1;
  } else {
    console.log(best.fine_tuned_model_checkpoint);
    console.error(`step ${best.step_number}, full_valid_loss ${best.metrics.full_valid_loss}`);
  }
} catch (error) {
  if (error instanceof NotFoundError) {
    console.error(`no such job: ${jobId} (request id ${error.requestId})`);
  } else if (error instanceof RateLimitError) {
    console.error(`rate limited; try again in ${error.retryAfterMs ?? 'a few'} ms`);
  } else if (error instanceof TimeoutError) {
    console.error('the API did not answer in time');
  } else if (error instanceof CheckpointsError) {
    console.error(error.message); // never contains the API key
  } else {
    throw error;
  }
  process.exitCode = 1;
}
