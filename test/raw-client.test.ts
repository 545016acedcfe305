// client.raw and paginate: the typed openapi-fetch client with the same auth, middleware and checks
// as listCheckpoints, and paginate over it or over a bare openapi-fetch client.
import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import {
  CheckpointsError,
  InvalidArgumentError,
  NotFoundError,
  paginate,
  type paths,
} from '../src/index.js';
import {
  checkpoint,
  checkpoints,
  pageBody,
  sendJson,
  sequence,
  servePages,
  serverPool,
  status,
} from './helpers/http.js';
import { clientFor, JOB, KEY, PATH } from './helpers/client.js';

const serve = serverPool();

describe('raw client and paginate', () => {
  it("an onResponse middleware sees a listing's response scrubbed and readable", async () => {
    const all = checkpoints(2);
    // A hostile server that echoes the Authorization header back in a response header.
    const server = await serve((req, res) =>
      sendJson(
        res,
        200,
        { object: 'list', data: all, has_more: false, first_id: null, last_id: null },
        {
          'x-echo': String(req.headers.authorization),
        },
      ),
    );
    const client = clientFor(server);
    const seen: { echo: string | null; ids: string[] }[] = [];
    client.raw.use({
      async onResponse({ response }) {
        const body = (await response.clone().json()) as { data: { id: string }[] };
        seen.push({ echo: response.headers.get('x-echo'), ids: body.data.map((c) => c.id) });
      },
    });
    expect(await client.listCheckpoints(JOB).toArray()).toHaveLength(2);
    expect(seen).toEqual([{ echo: 'Bearer [redacted]', ids: all.map((c) => c.id) }]);
    expect(JSON.stringify(seen)).not.toContain(KEY);
  });

  it('an onRequest middleware may return a new Request, as openapi-fetch documents', async () => {
    const server = await serve(servePages(checkpoints(2)));
    const client = clientFor(server);
    client.raw.use({
      onRequest({ request }) {
        const headers = new Headers(request.headers);
        headers.set('x-trace', 'replaced');
        return new Request(request, { headers });
      },
    });
    expect(await client.listCheckpoints(JOB).toArray()).toHaveLength(2);
    await client.raw.GET(PATH, { params: { path: { fine_tuning_job_id: JOB } } });
    expect(server.requests.map((r) => r.headers['x-trace'])).toEqual(['replaced', 'replaced']);
  });

  it('client.raw is the typed openapi-fetch client with auth', async () => {
    const all = checkpoints(3);
    const server = await serve(servePages(all));
    const { data, error, response } = await clientFor(server).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB }, query: { limit: 2 } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data.map((c) => c.id)).toEqual(['ckpt_0', 'ckpt_1']);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('paginate walks any paginated path of client.raw, and of a bare openapi-fetch client', async () => {
    const all = checkpoints(23);
    const server = await serve(servePages(all));
    const path = PATH;
    const params = { path: { fine_tuning_job_id: JOB }, query: { limit: 5 } };
    const ids: string[] = [];
    for await (const item of paginate(clientFor(server).raw, path, { params })) ids.push(item.id);
    expect(ids).toEqual(all.map((c) => c.id));
    const bare = createClient<paths>({ baseUrl: server.url });
    const again = await paginate(bare, path, { params, prefetch: false }).toArray();
    expect(again.map((c) => c.id)).toEqual(ids);
    expect(server.requests.filter((seen) => seen.query.get('limit') === '5')).toHaveLength(10);
    const notFound = await serve((_req, res) =>
      sendJson(res, 404, {
        error: { message: 'nope', type: 'invalid_request_error', param: null, code: null },
      }),
    );
    await expect(
      paginate(createClient<paths>({ baseUrl: notFound.url }), path, { params }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('paginate rejects bad input before any request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const path = PATH;
    const raw = clientFor(server).raw;
    await expect(
      paginate(raw, path, { params: { path: { fine_tuning_job_id: JOB }, query: { limit: 0 } } }),
    ).rejects.toMatchObject({ argument: 'params.query.limit' });
    await expect(
      paginate(raw, path, { params: { path: { fine_tuning_job_id: '..' } } }).toArray(),
    ).rejects.toMatchObject({ argument: 'path.fine_tuning_job_id' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('one client: listCheckpoints, paginate and raw share middleware and checks', () => {
  it('middleware added to client.raw sees every call, with a real Request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const client = clientFor(server);
    const seen: string[] = [];
    client.raw.use({
      onRequest({ request }) {
        expect(request).toBeInstanceOf(Request);
        seen.push(new URL(request.url).search);
        request.headers.set('x-trace', 'on');
      },
    });
    await client.listCheckpoints(JOB, { limit: 2 }).toArray();
    await paginate(client.raw, PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    }).toArray();
    await client.raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(seen).toEqual(['?limit=2', '?limit=2&after=ckpt_1', '', '']);
    expect(server.requests.map((r) => r.headers['x-trace'])).toEqual(['on', 'on', 'on', 'on']);
  });

  // Options that work, and would go around the transport, the origin or the path check.
  const bypasses: [string, (server: { url: string }) => unknown][] = [
    ['fetch', () => (request: Request) => fetch(request)],
    ['baseUrl', (server) => `${server.url}/other`],
    ['pathSerializer', () => (url: string) => url.replace('{fine_tuning_job_id}', 'x/../y')],
    [
      'Request',
      () =>
        class {
          constructor(readonly url: string) {}
          readonly headers = new Headers();
        },
    ],
  ];
  it.each(bypasses)(
    'a per-call %s on client.raw is refused before anything is sent',
    async (option, value) => {
      const server = await serve(servePages(checkpoints(1)));
      const error = await clientFor(server)
        .raw.GET(PATH, {
          params: { path: { fine_tuning_job_id: JOB } },
          [option]: value(server),
        } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: `init.${option}` });
      expect(server.requests).toHaveLength(0);
    },
  );

  it('raw without params.path is refused (no literal {placeholder} is sent)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await (clientFor(server).raw.GET as (path: string) => Promise<unknown>)(
      PATH,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path.fine_tuning_job_id',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('a path parameter the path does not have is refused, by name (a misspelling, say)', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: JOB, fine_tuning_jobid: 'x' } as never },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'path.fine_tuning_jobid',
    });
    expect((error as Error).message).toMatch(/is not a parameter of this path/);
    expect(server.requests).toHaveLength(0);
  });

  it('raw.request takes any method name openapi-fetch does', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const { response } = await clientFor(server).raw.request('get', PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    expect(response.status).toBe(200);
  });

  it('a throwing middleware still surfaces as a CheckpointsError', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const client = clientFor(server);
    client.raw.use({
      onRequest() {
        throw new RangeError('middleware broke');
      },
    });
    const error = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointsError);
    expect((error as Error).message).toContain('middleware broke');
    expect((error as Error).cause).toBeInstanceOf(RangeError);
  });
});

describe('one request path: what openapi-fetch returns is what the transport delivered', () => {
  it('client.raw parses a body once, and its response carries attempts and the request id', async () => {
    const server = await serve(sequence(status(503), servePages(checkpoints(2))));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const { data, response } = await clientFor(server).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: JOB } },
      });
      expect(data?.data).toHaveLength(2);
      // Parsed by the transport; openapi-fetch's json() answers with that value.
      const bodies = parse.mock.calls.filter(([text]) => String(text).includes('"object":"list"'));
      expect(bodies).toHaveLength(1);
      expect(response).toMatchObject({ attempts: 2, requestId: 'req_2' });
    } finally {
      parse.mockRestore();
    }
  });

  it("a middleware's replacement Response is honoured by listings, and checked like any other", async () => {
    const server = await serve(servePages(checkpoints(2)));
    const replace = (body: unknown, headers: Record<string, string> = {}) => ({
      onResponse: () =>
        new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-request-id': 'req_mw', ...headers },
        }),
    });
    // Honoured: the listing delivers what the middleware answered.
    const replaced = clientFor(server);
    replaced.raw.use(replace(pageBody([checkpoint('ftckpt_mw', 7)], false)));
    const page = await replaced.listCheckpoints(JOB);
    expect(page.data.map((item) => item.id)).toEqual(['ftckpt_mw']);
    expect(page.requestId).toBe('req_mw');
    // Its shape is checked.
    const misshapen = clientFor(server);
    const bad = { ...checkpoint('ftckpt_mw', 7), step_number: 'x' };
    misshapen.raw.use(replace(pageBody([bad], false)));
    await expect(misshapen.listCheckpoints(JOB)).rejects.toThrow(
      /page 1, item 0: `step_number`: expected integer/,
    );
    // Its size is bounded.
    const large = clientFor(server, { maxResponseBytes: 100 });
    large.raw.use(replace(pageBody(checkpoints(5), false)));
    await expect(large.listCheckpoints(JOB)).rejects.toThrow(/larger than maxResponseBytes/);
    // And the key is scrubbed from it.
    const echoing = clientFor(server);
    const leaky = { ...checkpoint('ftckpt_mw', 7), fine_tuned_model_checkpoint: `ft:${KEY}` };
    echoing.raw.use(replace(pageBody([leaky], false), { 'x-echo': KEY }));
    const scrubbed = await echoing.listCheckpoints(JOB);
    expect(scrubbed.data[0]?.fine_tuned_model_checkpoint).toBe('ft:[redacted]');
    expect(scrubbed.response.headers.get('x-echo')).toBe('[redacted]');
  });
});

describe('the response a page or client.raw hands out', () => {
  it('reads like a Response: its body once, clones, text after openapi-fetch took the parsed value', async () => {
    const all = checkpoints(2);
    const server = await serve(servePages(all));
    const page = await clientFor(server).listCheckpoints(JOB);
    const { response } = page;
    expect(response).toBeInstanceOf(Response);
    expect(response).toMatchObject({ status: 200, ok: true, attempts: 1, requestId: 'req_1' });
    expect(response.bodyUsed).toBe(false);
    const clone = response.clone();
    expect(((await clone.json()) as { data: unknown[] }).data).toEqual(page.data);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ object: 'list', has_more: false });
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    const { response: raw } = await clientFor(server).raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: JOB } },
    });
    const bytes = new Uint8Array(await raw.clone().arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toContain('"object":"list"');
    // Every body method answers with the body, not the empty one the platform's would read
    // (`bytes()` is newer than the Response type of @types/node 20).
    const read = await (raw as Response & { bytes(): Promise<Uint8Array> }).bytes();
    expect(new TextDecoder().decode(read)).toBe(new TextDecoder().decode(bytes));
  });
});
