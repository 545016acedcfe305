// Paging with `paginate()` over `client.raw`, the typed openapi-fetch client underneath: the same
// auth, retries, timeouts and loop guards as `listCheckpoints`, for any cursor-paginated GET path
// of the spec.
//
//   OPENAI_API_KEY=sk-... node paginate-raw.js ftjob-abc123
import { createCheckpointsClient, paginate } from 'fine-tuning-checkpoints';

const jobId = process.argv[2] ?? 'ftjob-abc123';
const client = createCheckpointsClient();

let pages = 0;
let checkpoints = 0;
const pager = paginate(client.raw, '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
  params: { path: { fine_tuning_job_id: jobId }, query: { limit: 25 } },
});
for await (const page of pager.pages()) {
  pages += 1;
  checkpoints += page.data.length;
  // Each page carries its request id, for a support ticket.
  console.log(`page ${pages}: ${page.data.length} checkpoints (request ${page.requestId})`);
}
console.log(`${checkpoints} checkpoints in ${pages} pages`);
