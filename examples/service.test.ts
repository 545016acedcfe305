// A vitest file for your service, against the mock API instead of OpenAI: no key, no network, and
// faults on purpose, to prove that your code copes with rate limits, dropped connections and bad
// data. Copy it next to your code (with fine-tuning-checkpoints and vitest installed), put your
// own function in place of `modelToDeploy`, and run:
//
//   npx vitest run service.test.ts
import { afterEach, describe, expect, it } from 'vitest';
import {
  bestCheckpoint,
  createCheckpointsClient,
  InvalidResponseError,
  type CheckpointsClient,
} from 'fine-tuning-checkpoints';
import {
  createMockServer,
  generateCheckpoints,
  type MockServer,
} from 'fine-tuning-checkpoints/mock';

/** The code under test: your service's function that picks the model to deploy. */
async function modelToDeploy(client: CheckpointsClient, jobId: string): Promise<string> {
  // Ranked as `ft-checkpoints best` ranks: the lowest full_valid_loss, over every page.
  const best = await bestCheckpoint(client.listCheckpoints(jobId, { limit: 100 }));
  if (best === undefined) throw new Error(`${jobId} has no checkpoint with a full_valid_loss`);
  return best.fine_tuned_model_checkpoint;
}

// 250 made-up checkpoints, the same on every run (seeded), and the model that must win.
const jobId = 'ftjob-service-test';
const checkpoints = generateCheckpoints({ jobId, count: 250, seed: 7 });
const expected = checkpoints
  .filter((checkpoint) => checkpoint.metrics.full_valid_loss !== undefined)
  .reduce((best, checkpoint) =>
    checkpoint.metrics.full_valid_loss! < best.metrics.full_valid_loss! ? checkpoint : best,
  ).fine_tuned_model_checkpoint;

let mock: MockServer | undefined;
afterEach(async () => {
  await mock?.close();
});

/** A client of the mock, with a short timeout so a hung test fails fast. */
function clientOf(server: MockServer): CheckpointsClient {
  return createCheckpointsClient({
    baseUrl: server.url,
    apiKey: 'sk-test-service',
    timeoutMs: 2_000,
  });
}

describe('modelToDeploy', () => {
  it('finds the best model across every page', async () => {
    mock = await createMockServer({ jobs: { [jobId]: checkpoints } });
    expect(await modelToDeploy(clientOf(mock), jobId)).toBe(expected);
    expect(mock.requests).toHaveLength(3); // 250 checkpoints, 100 per page
  });

  it('rides out a rate limit and a dropped connection', async () => {
    mock = await createMockServer({
      jobs: { [jobId]: checkpoints },
      faults: [
        { request: 1, kind: 'status', status: 429, retryAfterMs: 10 },
        { request: 3, kind: 'reset' },
      ],
    });
    expect(await modelToDeploy(clientOf(mock), jobId)).toBe(expected);
    expect(mock.requests.filter((request) => request.fault !== undefined)).toHaveLength(2);
  });

  it('refuses a malformed page instead of deploying from half the data', async () => {
    mock = await createMockServer({
      jobs: { [jobId]: checkpoints },
      faults: [{ request: 2, kind: 'bad-shape' }],
    });
    await expect(modelToDeploy(clientOf(mock), jobId)).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
