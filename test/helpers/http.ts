// A programmable HTTP server on 127.0.0.1 for tests: each request is recorded, then answered by
// the handler. Real sockets, no mocked fetch.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>/v1`: the base URL to give a client. */
  url: string;
  origin: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server whose answers come from `handler`. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest, index: number) => void,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    requests.push(seen);
    handler(req, res, seen, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON body with a status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A checkpoint with a given id and step, every required field present. */
export function checkpoint(id: string, step: number, jobId = 'ftjob-abc123') {
  return {
    object: 'fine_tuning.job.checkpoint' as const,
    id,
    created_at: 1_721_764_800 + step,
    fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:org::x:ckpt-step-${step}`,
    fine_tuning_job_id: jobId,
    step_number: step,
    metrics: { step, full_valid_loss: 1 / step },
  };
}

/** A list page in the API's envelope. */
export function pageBody(
  items: { id: string }[],
  hasMore: boolean,
  ids: { first_id?: string | null; last_id?: string | null } = {},
) {
  return {
    object: 'list' as const,
    data: items,
    first_id: 'first_id' in ids ? ids.first_id : (items[0]?.id ?? null),
    last_id: 'last_id' in ids ? ids.last_id : (items.at(-1)?.id ?? null),
    has_more: hasMore,
  };
}

/**
 * A handler that serves `all` with cursor pagination like the API: `after` is an item id, `limit`
 * the page size (default 10). `sizes`, when given, overrides the size of page N (varying pages).
 */
export function servePages(
  all: { id: string }[],
  options: { sizes?: number[]; requestId?: (index: number) => string } = {},
) {
  return (_req: IncomingMessage, res: ServerResponse, seen: SeenRequest, index: number) => {
    const after = seen.query.get('after');
    const start = after === null ? 0 : all.findIndex((item) => item.id === after) + 1;
    const size = options.sizes?.[index] ?? Number(seen.query.get('limit') ?? 10);
    const items = all.slice(start, start + size);
    sendJson(res, 200, pageBody(items, start + size < all.length), {
      'x-request-id': options.requestId?.(index) ?? `req_${index + 1}`,
    });
  };
}

/** `n` checkpoints, newest (highest step) first, with ids `ckpt_0` … `ckpt_{n-1}`. */
export function checkpoints(n: number) {
  return Array.from({ length: n }, (_, i) => checkpoint(`ckpt_${i}`, n - i));
}

/**
 * Starts servers for one test file and closes them after each test: `const serve = serverPool();`
 * at the top of a file, then `const server = await serve(handler)` in a test.
 */
export function serverPool() {
  let servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  return async (handler: Parameters<typeof startServer>[0]) => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };
}
