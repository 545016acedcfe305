// The first listing: every checkpoint of a job, newest first. Plain JavaScript, so it runs as is:
//
//   OPENAI_API_KEY=sk-... node examples/quickstart.mjs ftjob-abc123
//
// Reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment (point the second at the mock
// API to try it without a key: see README's quick start).
import { createCheckpointsClient } from 'fine-tuning-checkpoints';

const jobId = process.argv[2] ?? 'ftjob-demo';
const client = createCheckpointsClient();

for await (const checkpoint of client.listCheckpoints(jobId, { limit: 100 })) {
  // Not every checkpoint has every metric: full-validation metrics come at intervals.
  const loss = checkpoint.metrics.full_valid_loss ?? checkpoint.metrics.valid_loss;
  console.log(`step ${checkpoint.step_number}\tloss ${loss ?? '-'}\t${checkpoint.id}`);
}
