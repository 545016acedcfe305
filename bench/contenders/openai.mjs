// The official `openai` SDK: its own pager (CursorPage), fetching the next page only when the
// current one is used up. Retries off, as for every contender.
import OpenAI from 'openai';

export const name = 'openai SDK';

export function create({ baseUrl, apiKey }) {
  const client = new OpenAI({ apiKey, baseURL: baseUrl, maxRetries: 0 });
  return {
    async getPage(jobId, limit) {
      return client.fineTuning.jobs.checkpoints.list(jobId, { limit });
    },
    async iterate(jobId, limit, consume) {
      for await (const checkpoint of client.fineTuning.jobs.checkpoints.list(jobId, { limit })) {
        const pending = consume(checkpoint);
        if (pending) await pending;
      }
    },
  };
}
