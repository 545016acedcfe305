// The contenders by id. Every one is created the same way, `await create({ baseUrl, apiKey })`,
// and offers getPage(jobId, limit) and iterate(jobId, limit, consume).
import * as floor from './fetch-floor.mjs';
import * as openai from './openai.mjs';
import * as openapiFetch from './openapi-fetch.mjs';
import * as ours from './ours.mjs';

export const API_KEY = 'sk-bench';
export const JOB_ID = 'ftjob-bench';

export const contenders = {
  floor: { id: 'floor', name: floor.name, create: floor.create },
  'floor-timeout': {
    id: 'floor-timeout',
    name: floor.withTimeoutName,
    create: (options) => floor.create({ ...options, timeout: true }),
  },
  'openapi-fetch': { id: 'openapi-fetch', name: openapiFetch.name, create: openapiFetch.create },
  openai: { id: 'openai', name: openai.name, create: openai.create },
  ours: {
    id: 'ours',
    name: ours.named(false),
    create: (options) => ours.create({ ...options, prefetch: false }),
  },
  'ours-prefetch': {
    id: 'ours-prefetch',
    name: ours.named(true),
    create: (options) => ours.create({ ...options, prefetch: true }),
  },
};

/** Creates the listed contenders against one server: [{ id, name, client }]. */
export async function createAll(ids, baseUrl) {
  return Promise.all(
    ids.map(async (id) => ({
      ...contenders[id],
      client: await contenders[id].create({ baseUrl, apiKey: API_KEY }),
    })),
  );
}
