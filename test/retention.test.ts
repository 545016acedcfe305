// What a page keeps alive. The platform fetch keeps each request's Response reachable until a
// full garbage collection (its abort bookkeeping is weakly held, and weak references only clear
// in full collections), so anything reachable from a Response is promoted to the old generation
// with it. A page's parsed items must therefore hang off the page only, never off its Response:
// when they did (through the transport's Response -> exchange map), a 1,000,000-checkpoint walk
// peaked at ~45 MB of heap instead of ~20 MB (bench/results.md, "Memory").
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpoints, servePages, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A full collection after the current job, so that WeakRefs made in it may clear. */
async function fullCollection(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
}

describe('retention', () => {
  const serve = serverPool('file');
  let server: TestServer;
  beforeAll(async () => {
    server = await serve(servePages(checkpoints(6)));
  });

  it("a page's items are not kept alive by its Response", async () => {
    const client = clientFor(server);
    let page: Awaited<ReturnType<typeof client.listCheckpoints>> | undefined =
      await client.listCheckpoints(JOB, { limit: 3 });
    const response = page.response;
    const items = new WeakRef(page.data);
    const firstItem = new WeakRef(page.data[0]!);
    expect(items.deref()).toHaveLength(3);
    page = undefined;
    await fullCollection();
    // The Response is still held here, as a caller (or the platform) may hold it.
    expect(response.status).toBe(200);
    expect(items.deref()).toBeUndefined();
    expect(firstItem.deref()).toBeUndefined();
  });

  it('a walk keeps no page once it has moved past it, nor any after it ends', async () => {
    const client = clientFor(server);
    // In a function of its own, so that no variable of this test can hold a page.
    const walk = async () => {
      const seen: WeakRef<object>[] = [];
      const responses: Response[] = [];
      for await (const page of client.listCheckpoints(JOB, { limit: 3 }).pages()) {
        seen.push(new WeakRef(page.data));
        responses.push(page.response);
      }
      return { seen, responses };
    };
    const { seen, responses } = await walk();
    await fullCollection();
    expect(responses).toHaveLength(2);
    expect(seen.map((ref) => ref.deref())).toEqual([undefined, undefined]);
  });
});
