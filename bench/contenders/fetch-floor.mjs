// The floor: global fetch + JSON.parse and a hand-written cursor loop. Nothing a client library
// can do over HTTP/1.1 on the same fetch is cheaper, so it is the 1.00× every row is measured by.
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
