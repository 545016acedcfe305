// Bundle-size consumer: lists every checkpoint of a job with this package (as built in dist/).
import { createCheckpointsClient } from '../../dist/index.js';

const client = createCheckpointsClient({ apiKey: process.env.OPENAI_API_KEY });
for await (const checkpoint of client.listCheckpoints('ftjob-abc123', { limit: 10 })) {
  console.log(checkpoint.id, checkpoint.step_number);
}
