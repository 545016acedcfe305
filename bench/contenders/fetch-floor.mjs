// The floor: global fetch + JSON.parse and a hand-written cursor loop. Nothing a client library
// can do over HTTP/1.1 on the same fetch is cheaper, so it is the 1.00× every row is measured by.
import { walkCursor } from './consume.mjs';

export const name = 'fetch + JSON.parse';

export function create({ baseUrl, apiKey }) {
  const headers = { Authorization: `Bearer ${apiKey}` };
  const pageUrl = (jobId, limit, after) =>
    `${baseUrl}/fine_tuning/jobs/${encodeURIComponent(jobId)}/checkpoints?limit=${limit}` +
    (after ? `&after=${encodeURIComponent(after)}` : '');

  async function getPage(jobId, limit, after) {
    const r = await fetch(pageUrl(jobId, limit, after), { headers });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return JSON.parse(await r.text());
  }

  return {
    getPage,
    iterate: (jobId, limit, consume) => walkCursor(getPage, jobId, limit, consume),
  };
}
