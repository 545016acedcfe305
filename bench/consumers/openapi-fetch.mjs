// Bundle-size consumer: one page with bare openapi-fetch, what this package builds on.
import createClient from 'openapi-fetch';

const client = createClient({
  baseUrl: 'https://api.openai.com/v1',
  headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
});
const { data } = await client.GET('/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
  params: { path: { fine_tuning_job_id: 'ftjob-abc123' }, query: { limit: 10 } },
});
for (const checkpoint of data.data) console.log(checkpoint.id, checkpoint.step_number);
