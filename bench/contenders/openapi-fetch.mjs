// Bare openapi-fetch, the library this package builds on, with a hand-written cursor loop. In
// TypeScript this would be createClient<paths>(); the type parameter has no runtime effect.
import { walkCursor } from './consume.mjs';

import createClient from 'openapi-fetch';

export const name = 'openapi-fetch';

const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

export function create({ baseUrl, apiKey }) {
  const client = createClient({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

  async function getPage(jobId, limit, after) {
    const { data, error } = await client.GET(PATH, {
      params: { path: { fine_tuning_job_id: jobId }, query: { limit, after } },
    });
    if (error) throw new Error(`API error ${JSON.stringify(error)}`);
    return data;
  }

  return {
    getPage,
    iterate: (jobId, limit, consume) => walkCursor(getPage, jobId, limit, consume),
  };
}
