// The floor: global fetch + JSON.parse and a hand-written cursor loop. Nothing a client library
// can do over HTTP/1.1 on the same fetch is cheaper, so it is the 1.00× every row is measured by.
import { walkCursor } from './consume.mjs';

export const name = 'fetch + JSON.parse';

/**
 * The floor with what any client's per-request timeout costs on the platform fetch: an
 * AbortController whose signal goes to `fetch`, and a cancellable timer. Not a target; it shows
 * how much of every client's distance to the floor is the timeout alone.
 */
export const withTimeoutName = 'fetch + JSON.parse + timeout';
const TIMEOUT_MS = 60_000;

export function create({ baseUrl, apiKey, timeout = false }) {
  const headers = { Authorization: `Bearer ${apiKey}` };
  const pageUrl = (jobId, limit, after) =>
    `${baseUrl}/fine_tuning/jobs/${encodeURIComponent(jobId)}/checkpoints?limit=${limit}` +
    (after ? `&after=${encodeURIComponent(after)}` : '');

  async function getPage(jobId, limit, after, signal) {
    const r = await fetch(pageUrl(jobId, limit, after), { headers, signal });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return JSON.parse(await r.text());
  }

  async function getPageWithTimeout(jobId, limit, after) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await getPage(jobId, limit, after, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  const get = timeout ? getPageWithTimeout : getPage;
  return {
    getPage: get,
    iterate: (jobId, limit, consume) => walkCursor(get, jobId, limit, consume),
  };
}
