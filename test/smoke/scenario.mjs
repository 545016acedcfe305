// The smoke scenario for server-side runtimes: `scripts/test-runtimes.mjs` copies test/smoke/ next
// to a fresh install of the packed tarball and runs this one file unchanged on Node 20/22/24/26,
// Bun and Deno (`deno run -A`). The mock runs here, in the runtime under test, as users' tests
// would run it.
//
// It only gathers facts and prints them as one JSON line on stdout; the runner judges them, so a
// runtime that crashes, hangs or prints nothing is still reported clearly.
import * as mock from 'fine-tuning-checkpoints/mock';
import { clientScenario } from './client-scenario.mjs';
import { startSmokeMock, withServerFacts } from './plan.mjs';

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

let result = { ok: false, runtime: runtimeName() };
let server;
try {
  const started = await startSmokeMock(mock);
  server = started.server;
  const facts = await clientScenario(server.url);
  result = { ...withServerFacts(facts, server, started.expectedIds), runtime: result.runtime };
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
