// Bundle-size consumer: the same listing with the official `openai` SDK.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
for await (const checkpoint of client.fineTuning.jobs.checkpoints.list('ftjob-abc123', {
  limit: 10,
})) {
  console.log(checkpoint.id, checkpoint.step_number);
}
