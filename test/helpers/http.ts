// The one test-server harness: a programmable HTTP server on 127.0.0.1 that records each request
// (and when it arrived), pools that close what they started, the page server that serves a
// fixture with cursor pagination like the API, and canned answers. Real sockets, no mocked fetch.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeEach } from 'vitest';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  /** The raw request target (`req.url`), before any normalisation. */
  target: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** What answers the test server's requests: `index` is the 0-based request number. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  seen: SeenRequest,
  index: number,
) => void;

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>/v1`: the base URL to give a client. */
  url: string;
  origin: string;
  requests: SeenRequest[];
  /** `performance.now()` at each request's arrival, aligned with `requests`. */
  times: number[];
  close(): Promise<void>;
}

/** Starts a server whose answers come from `handler`; prefer a {@link serverPool}, which closes it. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const times: number[] = [];
  const server = createServer((req, res) => {
    times.push(performance.now());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = {
      method: req.method ?? '',
      target: req.url ?? '',
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
    times,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Anything a pool can close: a test server, a mock server. */
interface Closable {
  close(): Promise<void>;
}

/** Starts servers for a pool; `track` hands it anything else to close (e.g. a mock server). */
export interface ServerPool {
  (handler: Handler): Promise<TestServer>;
  track<T extends Closable>(server: T): T;
}

/**
 * Starts servers for one test file and closes them: `const serve = serverPool();` at the top of a
 * file, then `const server = await serve(handler)` in a test. Scope `'test'` (the default) closes
 * them after each test; `'file'` (start them in `beforeAll`) after the file, forgetting their
 * recorded requests before each test so that every test sees only its own.
 */
export function serverPool(scope: 'test' | 'file' = 'test'): ServerPool {
  const open: Closable[] = [];
  const started: TestServer[] = [];
  const closeAll = async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
    started.length = 0;
  };
  if (scope === 'test') afterEach(closeAll);
  else {
    afterAll(closeAll);
    beforeEach(() => {
      for (const server of started) server.requests.length = server.times.length = 0;
    });
  }
  const track = <T extends Closable>(server: T): T => {
    open.push(server);
    return server;
  };
  return Object.assign(
    async (handler: Handler) => {
      const server = track(await startServer(handler));
      started.push(server);
      return server;
    },
    { track },
  );
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A base URL on a port nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/v1`;
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

/** The fixture: `n` checkpoints, newest (highest step) first, with ids `ckpt_0` … `ckpt_{n-1}`. */
export function checkpoints(n: number) {
  return Array.from({ length: n }, (_, i) => checkpoint(`ckpt_${i}`, n - i));
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

/** The id of request `index`, sent as `x-request-id`. */
export function requestIdOf(index: number): string {
  return `req_${index + 1}`;
}

/** How {@link servePages} sizes its pages, names its requests and lets a test break one. */
export interface PageOptions {
  /** Every page's size, whatever `limit` the client asks for (default: its `limit`, or 10). */
  pageSize?: number;
  /** The size of page N by request number (varying pages); wins over `pageSize`. */
  sizes?: number[];
  /** The `x-request-id` of request `index` (default {@link requestIdOf}). */
  requestId?: (index: number) => string;
  /**
   * May answer a request itself (returning true), given the page's cursor and how many times that
   * cursor has been asked for (1 the first time).
   */
  fault?: (after: string | undefined, attempt: number, res: ServerResponse) => boolean;
}

/** A handler that serves `all` with cursor pagination like the API: `after` is an item id. */
export function servePages(all: { id: string }[], options: PageOptions = {}): Handler {
  const attempts = new Map<string, number>();
  return (_req, res, seen, index) => {
    const after = seen.query.get('after') ?? undefined;
    const attempt = (attempts.get(after ?? '') ?? 0) + 1;
    attempts.set(after ?? '', attempt);
    if (options.fault?.(after, attempt, res)) return;
    const start = after === undefined ? 0 : all.findIndex((item) => item.id === after) + 1;
    const size =
      options.sizes?.[index] ?? options.pageSize ?? Number(seen.query.get('limit') ?? 10);
    const items = all.slice(start, start + size);
    sendJson(res, 200, pageBody(items, start + size < all.length), {
      'x-request-id': (options.requestId ?? requestIdOf)(index),
    });
  };
}

/**
 * A server caught in a loop: two pages of `checkpoints(4)`, then the second again and again, each
 * saying `has_more`, so the third request's cursor repeats the second's.
 */
export function repeatingCursor(): Handler {
  const all = checkpoints(4);
  const pages = [all.slice(0, 2), all.slice(2, 4)];
  return (_req, res, _seen, index) =>
    sendJson(res, 200, pageBody(pages[Math.min(index, 1)]!, true));
}

/** Request `i` is answered by `handlers[i]`; later requests by the last handler. */
export function sequence(...handlers: Handler[]): Handler {
  return (req, res, seen, index) =>
    handlers[Math.min(index, handlers.length - 1)]!(req, res, seen, index);
}

/** Answers with `status` and an API error envelope. */
export function status(code: number, headers: Record<string, string> = {}): Handler {
  return (_req, res, _seen, index) =>
    sendJson(
      res,
      code,
      {
        error: {
          message: `status ${code} from the test server`,
          type: 'server_error',
          param: null,
          code: null,
        },
      },
      { 'x-request-id': requestIdOf(index), ...headers },
    );
}

/** Answers with one page holding `items` (default: the first two of the fixture, no more pages). */
export function ok(items: { id: string }[] = checkpoints(2), hasMore = false): Handler {
  return (_req, res, _seen, index) =>
    sendJson(res, 200, pageBody(items, hasMore), { 'x-request-id': requestIdOf(index) });
}

/** Destroys the connection before any response byte. */
export const reset: Handler = (req) => {
  req.socket.destroy();
};

/** Never answers. */
export const hang: Handler = () => {};

/** Sends the headers and the start of a body that announces 1000 bytes. */
function startBody(res: ServerResponse, index: number, sent?: () => void): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': '1000',
    'x-request-id': requestIdOf(index),
  });
  res.write('{"object":"list","data":[', sent);
}

/** Announces more bytes than it sends, then closes the connection. */
export const closedMidBody: Handler = (_req, res, _seen, index) =>
  startBody(res, index, () => res.socket?.destroy());

/** Sends the headers and the start of the body, then stalls forever. */
export const stalledBody: Handler = (_req, res, _seen, index) => startBody(res, index);

/** Answers `status` with a raw body and headers (the exact `content-length` is added). */
export function raw(code: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res, _seen, index) => {
    res.writeHead(code, {
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestIdOf(index),
      ...headers,
    });
    res.end(body);
  };
}
