// The cross-runtime smoke scenario: `scripts/test-runtimes.mjs` runs this one file unchanged on
// Node 20/22/24, Bun and Deno (`deno run -A`). It loads the BUILT package (dist/), not src/, because
// the bundle is what users get and each runtime must cope with its own module/loader quirks.
//
// It only gathers facts and prints them as one JSON line on stdout; the runner judges them, so a
// runtime that crashes, hangs or prints nothing is still reported clearly. Only web/ECMAScript APIs
// and `node:` builtins are used here (through the package), so the file runs as-is everywhere.
import {
  ApiError,
  CheckpointsError,
  createCheckpointsClient,
  NotFoundError,
} from '../../dist/index.js';
import { createMockServer, generateCheckpoints } from '../../dist/mock.js';

const JOB_ID = 'ftjob-smoke';
const COUNT = 35;
const LIMIT = 10;

/** Which runtime this is, the same way the client's User-Agent tells them apart. */
function runtimeName() {
  if (globalThis.Bun) return `bun/${globalThis.Bun.version}`;
  if (globalThis.Deno) return `deno/${globalThis.Deno.version.deno}`;
  return `node/${globalThis.process?.versions?.node}`;
}

// A hung runtime must still print something the runner can report, not just time out silently.
const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, runtime: runtimeName(), error: 'scenario timed out' }));
  globalThis.process?.exit?.(1);
  globalThis.Deno?.exit?.(1);
}, 20_000);

const result = { ok: false, runtime: runtimeName() };
let server;
try {
  const checkpoints = generateCheckpoints({ jobId: JOB_ID, count: COUNT, seed: 7 });
  // Request 1 is the first page; request 2 (the second page) gets a 503, which must be retried.
  server = await createMockServer({
    jobs: { [JOB_ID]: checkpoints },
    faults: [{ kind: 'status', status: 503, request: 2 }],
  });
  // A short backoff keeps the retry fast; the retry itself is what is being tested.
  const client = createCheckpointsClient({
    apiKey: 'sk-smoke',
    baseUrl: server.url,
    maxRetries: 2,
    backoff: () => 10,
  });

  const ids = [];
  for await (const checkpoint of client.listCheckpoints(JOB_ID, { limit: LIMIT })) {
    ids.push(checkpoint.id);
  }
  // The mock serves newest first; generateCheckpoints returns oldest first.
  const expected = checkpoints.map((c) => c.id).reverse();
  result.items = ids.length;
  result.unique = new Set(ids).size;
  result.order = ids.length === expected.length && ids.every((id, i) => id === expected[i]);
  result.faulted = server.requests.filter((r) => r.fault !== undefined).map((r) => r.number);
  result.listRequests = server.requests.length;

  // A typed error: an unknown job is a 404 the client must surface as NotFoundError.
  try {
    await client.listCheckpoints('ftjob-does-not-exist');
    result.notFound = { thrown: false };
  } catch (err) {
    result.notFound = {
      thrown: true,
      name: err?.name,
      status: err?.status,
      notFoundError: err instanceof NotFoundError,
      apiError: err instanceof ApiError,
      checkpointsError: err instanceof CheckpointsError,
      attempts: err?.attempts,
    };
  }
  // The User-Agent names the runtime: proves the runtime detection in the bundle works here.
  result.userAgent = server.requests[0]?.headers['user-agent'];
  result.ok = true;
} catch (err) {
  result.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
} finally {
  try {
    await server?.close();
  } catch (err) {
    result.ok = false;
    result.error = `close failed: ${err?.message ?? err}`;
  }
  clearTimeout(watchdog);
}
console.log(JSON.stringify(result));
