// Bare openapi-fetch, the library this package builds on, with a hand-written cursor loop. In
// TypeScript this would be createClient<paths>(); the type parameter has no runtime effect.
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
    async iterate(jobId, limit, consume) {
      let after;
      for (;;) {
        const page = await getPage(jobId, limit, after);
        for (const checkpoint of page.data) {
          const pending = consume(checkpoint);
          if (pending) await pending;
        }
        if (!page.has_more || page.data.length === 0) return;
        after = page.data[page.data.length - 1].id;
      }
    },
  };
}
