// Shared pieces of the reliability tests (retries, timeouts, invalid responses, faults): a test
// server that also records when each request arrived, a client pointed at it with no backoff,
// canned handlers, and small async utilities. Real sockets on 127.0.0.1, never a mocked fetch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  createCheckpointsClient,
  type CheckpointsClient,
  type CheckpointsClientOptions,
} from '../../src/index.js';
import {
  checkpoint,
  pageBody,
  sendJson,
  startServer,
  type SeenRequest,
  type TestServer,
} from './http.js';

export const JOB = 'ftjob-abc123';
export const API_KEY = 'sk-test-reliability-key';

/** A handler of the test server: `index` is the 0-based request number. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  seen: SeenRequest,
  index: number,
) => void;

/** A test server that also records `performance.now()` at each request's arrival. */
export interface TimedServer extends TestServer {
  /** Arrival time of each request, aligned with `requests`. */
  times: number[];
}

const open: { close(): Promise<void> }[] = [];

/** Starts a test server; `closeServers()` (in `afterEach`) closes every server started. */
export async function serve(handler: Handler): Promise<TimedServer> {
  const times: number[] = [];
  const server = await startServer((req, res, seen, index) => {
    times.push(performance.now());
    handler(req, res, seen, index);
  });
  open.push(server);
  return Object.assign(server, { times });
}

/** Registers anything with a `close()` (e.g. a mock server) to be closed by `closeServers()`. */
export function track<T extends { close(): Promise<void> }>(server: T): T {
  open.push(server);
  return server;
}

/** Closes every server started since the last call. */
export async function closeServers(): Promise<void> {
  await Promise.all(open.splice(0).map((server) => server.close()));
}

/** Request `i` is answered by `handlers[i]`; later requests by the last handler. */
export function sequence(...handlers: Handler[]): Handler {
  return (req, res, seen, index) =>
    handlers[Math.min(index, handlers.length - 1)]!(req, res, seen, index);
}

/** The id of request `index`, sent as `x-request-id`. */
export function requestIdOf(index: number): string {
  return `req_${index + 1}`;
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

/** Six checkpoints, newest first, as a server would list them. */
export const ITEMS = Array.from({ length: 6 }, (_, i) => checkpoint(`ftckpt_${6 - i}`, 6 - i));

/** Answers with one page holding `items` (default: the first two of `ITEMS`, no more pages). */
export function ok(items = ITEMS.slice(0, 2), hasMore = false): Handler {
  return (_req, res, _seen, index) =>
    sendJson(res, 200, pageBody(items, hasMore), { 'x-request-id': requestIdOf(index) });
}

/**
 * Serves `items` in pages of `limit` by the `after` cursor, like the API; `fault` may answer a
 * request itself (returning true) given the page's cursor and how many times that cursor was asked.
 */
export function paged(
  items: { id: string }[],
  limit: number,
  fault?: (after: string | undefined, attempt: number, res: ServerResponse) => boolean,
): Handler {
  const attempts = new Map<string, number>();
  return (_req, res, seen, index) => {
    const after = seen.query.get('after') ?? undefined;
    const attempt = (attempts.get(after ?? '') ?? 0) + 1;
    attempts.set(after ?? '', attempt);
    if (fault?.(after, attempt, res)) return;
    const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
    const data = items.slice(start, start + limit);
    sendJson(res, 200, pageBody(data, start + limit < items.length), {
      'x-request-id': requestIdOf(index),
    });
  };
}

/** Destroys the connection before any response byte. */
export const reset: Handler = (req) => {
  req.socket.destroy();
};

/** Never answers. */
export const hang: Handler = () => {};

/** Announces more bytes than it sends, then closes the connection. */
export const closedMidBody: Handler = (_req, res, _seen, index) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': '1000',
    'x-request-id': requestIdOf(index),
  });
  res.write('{"object":"list","data":[', () => res.socket?.destroy());
};

/** Sends the headers and the start of the body, then stalls forever. */
export const stalledBody: Handler = (_req, res, _seen, index) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': '1000',
    'x-request-id': requestIdOf(index),
  });
  res.write('{"object":"list","data":[');
};

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

/** A client for `server` with no backoff (tests override any option). */
export function clientFor(
  server: { url: string },
  options: CheckpointsClientOptions = {},
): CheckpointsClient {
  return createCheckpointsClient({
    apiKey: API_KEY,
    baseUrl: server.url,
    backoff: () => 0,
    ...options,
  });
}

/** A base URL on a port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** The reason `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Milliseconds since `start` (a `performance.now()` value). */
export function since(start: number): number {
  return performance.now() - start;
}
