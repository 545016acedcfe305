// Contract, client side (issue #3 §4): every request the client sends, through every entry
// point, matches the fragment's parameters, and every page it accepts validates against the
// fragment's response schema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paginate } from '../src/index.js';
import { createMockServer, generateCheckpoints } from '../src/mock/index.js';
import { compileSpecValidators, validateRequestAgainstSpec } from './helpers/spec.js';
import { clientFor, KEY } from './helpers/client.js';

const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

describe('requests the client sends match the spec', () => {
  it('for random jobs, limits, cursors and entry points', { timeout: 120_000 }, async () => {
    const validators = compileSpecValidators();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        fc.boolean(),
        fc.constantFrom('listCheckpoints', 'pages', 'paginate', 'raw'),
        async (count, limit, prefetch, entry) => {
          const jobId = 'ftjob-contract';
          const mock = await createMockServer({
            jobs: { [jobId]: generateCheckpoints({ jobId, count, seed: count }) },
          });
          try {
            const client = clientFor(mock, { prefetch });
            const query = limit === undefined ? {} : { limit };
            const params = { path: { fine_tuning_job_id: jobId }, query };
            if (entry === 'listCheckpoints') await client.listCheckpoints(jobId, query).toArray();
            if (entry === 'pages')
              for await (const page of client.listCheckpoints(jobId, query).pages()) void page;
            if (entry === 'paginate') await paginate(client.raw, PATH, { params }).toArray();
            if (entry === 'raw') {
              const { data } = await client.raw.GET(PATH, { params });
              expect(validators.listResponse(data)).toBe(true);
            }
            expect(mock.requests.length).toBeGreaterThan(0);
            for (const request of mock.requests) {
              expect(validateRequestAgainstSpec(request)).toEqual([]);
              expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
            }
          } finally {
            await mock.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
