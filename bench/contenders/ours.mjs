// This package, as built into dist/ (what npm users get), not src/. `prefetch` picks whether the
// pager requests page N+1 while the caller is still consuming page N.
import { pathToFileURL } from 'node:url';
import { distEntry } from '../lib/paths.mjs';

const MAX_PAGES = 20_000;

export function named(prefetch) {
  return `this package (prefetch ${prefetch ? 'on' : 'off'})`;
}

let modulePromise;
function load() {
  modulePromise ??= import(pathToFileURL(distEntry).href);
  return modulePromise;
}

export async function create({ baseUrl, apiKey, prefetch = false }) {
  const { createCheckpointsClient } = await load();
  const client = createCheckpointsClient({ apiKey, baseUrl, maxRetries: 0 });
  const options = { prefetch, maxPages: MAX_PAGES };
  return {
    async getPage(jobId, limit) {
      return client.listCheckpoints(jobId, { limit }, { prefetch: false, maxPages: MAX_PAGES });
    },
    async iterate(jobId, limit, consume, { breakAfterItems = Infinity } = {}) {
      let seen = 0;
      for await (const checkpoint of client.listCheckpoints(jobId, { limit }, options)) {
        const pending = consume(checkpoint);
        if (pending) await pending;
        if (++seen >= breakAfterItems) break;
      }
    },
  };
}
