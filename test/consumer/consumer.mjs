// Runtime consumer, ESM flavour: loads the INSTALLED package through its `import` conditions
// (dist/index.js, dist/mock.js). scripts/test-consumer.mjs runs it in a temp project and checks the
// JSON line it prints.
import { createCheckpointsClient, NotFoundError, VERSION } from 'fine-tuning-checkpoints';
import { createMockServer, generateCheckpoints } from 'fine-tuning-checkpoints/mock';

const jobId = 'ftjob-consumer';
const checkpoints = generateCheckpoints({ jobId, count: 35, seed: 3 });
const server = await createMockServer({ jobs: { [jobId]: checkpoints } });
try {
  const client = createCheckpointsClient({ apiKey: 'sk-consumer', baseUrl: server.url });
  const ids = [];
  for await (const checkpoint of client.listCheckpoints(jobId, { limit: 10 })) {
    ids.push(checkpoint.id);
  }
  let notFound = false;
  try {
    await client.listCheckpoints('ftjob-missing');
  } catch (err) {
    notFound = err instanceof NotFoundError && err.status === 404;
  }
  const expected = new Set(checkpoints.map((c) => c.id));
  console.log(
    JSON.stringify({
      format: 'esm',
      // Which files the `import` conditions picked: must be the ESM build.
      entries: [
        import.meta.resolve('fine-tuning-checkpoints'),
        import.meta.resolve('fine-tuning-checkpoints/mock'),
      ].map((url) => url.slice(url.lastIndexOf('/') + 1)),
      version: VERSION,
      items: ids.length,
      unique: new Set(ids).size,
      allKnown: ids.every((id) => expected.has(id)),
      requests: server.requests.length,
      notFound,
    }),
  );
} finally {
  await server.close();
}
