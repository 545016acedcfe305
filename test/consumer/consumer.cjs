// Runtime consumer, CommonJS flavour: loads the INSTALLED package through its `require` conditions
// (dist/index.cjs, dist/mock.cjs), as a CommonJS app or a bundler targeting CJS would.
// scripts/test-consumer.mjs runs it in a temp project and checks the JSON line it prints.
'use strict';
const path = require('node:path');
const { createCheckpointsClient, NotFoundError, VERSION } = require('fine-tuning-checkpoints');
const { createMockServer, generateCheckpoints } = require('fine-tuning-checkpoints/mock');

async function main() {
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
        format: 'cjs',
        // Which files the `require` conditions picked: must be the CJS build, not the ESM one
        // loaded through Node's require(esm), which would hide a broken .cjs build.
        entries: [
          require.resolve('fine-tuning-checkpoints'),
          require.resolve('fine-tuning-checkpoints/mock'),
        ].map((file) => path.basename(file)),
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
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
