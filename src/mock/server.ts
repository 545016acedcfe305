/**
 * The mock HTTP server: receives each request, records it, works out the spec-faithful answer,
 * lets the fault plan alter it, and delivers it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answer } from './answer.js';
import { CORS_HEADERS, isPreflight, PREFLIGHT_HEADERS } from './cors.js';
import { deliver } from './deliver.js';
import { errorBody, errorReply } from './errors.js';
import { canRepeatCursor, replyFor } from './fault-replies.js';
import { snapshotFault, type Fault } from './faults.js';
import { checkOptions } from './options.js';
import {
  BASE_PATH,
  flattenHeaders,
  matchRoute,
  OPERATION_OF_ROUTE,
  parseQuery,
  splitTarget,
  type Route,
} from './request.js';
import { Timers } from './timers.js';
import type { MockServer, MockServerOptions, RecordedRequest } from './types.js';

const HOST = '127.0.0.1';

/** Adds `entry` to `log`, forgetting the oldest entries beyond `limit` (0: keeps none). */
function appendBounded<T>(log: T[], entry: T, limit: number): void {
  if (limit === 0) return;
  log.push(entry);
  while (log.length > limit) log.shift();
}

/** The message of whatever was thrown, on one line. */
function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
}

/**
 * Starts a mock of `GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints`, and of the jobs
 * around them (`GET /v1/fine_tuning/jobs`, `GET /v1/fine_tuning/jobs/{fine_tuning_job_id}`), on
 * 127.0.0.1.
 *
 * @example
 * ```ts
 * const mock = await createMockServer({ jobs: { 'ftjob-1': generateCheckpoints({ jobId: 'ftjob-1', count: 25 }) } });
 * const res = await fetch(`${mock.url}/fine_tuning/jobs/ftjob-1/checkpoints?limit=5`, {
 *   headers: { authorization: 'Bearer sk-test' },
 * });
 * await mock.close();
 * ```
 * @throws TypeError or RangeError for invalid options (a bad fault plan, a delay longer than a
 * timer holds, duplicate checkpoint ids), before anything listens.
 */
export async function createMockServer(options: MockServerOptions): Promise<MockServer> {
  const { answer: settings, latencyMs, cors, pickFault, recordLimit, port } = checkOptions(options);
  const requests: RecordedRequest[] = [];
  // Counted apart from the log, which forgets (and which a test may empty).
  let received = 0;
  const sockets = new Set<Socket>();
  const timers = new Timers();
  // repeat-cursor faults drawn for requests that had no cursor to repeat, waiting for one that has.
  let pendingRepeatCursors = 0;

  function track(socket: Socket): void {
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  }

  /**
   * Answers a request the mock failed on with a 500 naming the problem (or drops the connection
   * once the answer has started), so a bad fault answer or unserialisable data fails that
   * request, visibly, instead of the host process.
   */
  function fail(res: ServerResponse, record: RecordedRequest, message: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const reply = errorReply(500, errorBody(message, 'server_error', null, null));
    const status = deliver(res, reply, `req_${record.number}`, undefined, timers);
    if (status !== undefined) record.status = status;
  }

  function answerRequest(res: ServerResponse, record: RecordedRequest, route: Route): void {
    const { method, path, query, number, jobId, operation } = record;
    const outcome = answer(
      { method, path, route, query, authorization: record.headers.authorization },
      settings,
    );

    let fault: Fault | undefined;
    try {
      fault = pickFault({
        number,
        query,
        ...(jobId === undefined ? {} : { jobId }),
        ...(operation === undefined ? {} : { operation }),
      });
    } catch (error) {
      // A throwing (or wrongly answering) fault function is a bug in the test: say so.
      fail(res, record, `The mock's fault plan threw: ${messageOf(error)}`);
      return;
    }
    if (fault?.kind === 'repeat-cursor' && !canRepeatCursor(outcome)) {
      pendingRepeatCursors++;
      fault = undefined;
    } else if (fault === undefined && pendingRepeatCursors > 0 && canRepeatCursor(outcome)) {
      pendingRepeatCursors--;
      fault = snapshotFault({ kind: 'repeat-cursor' });
    }
    // Every picker hands out a frozen copy already (snapshotFault): recorded as it is.
    if (fault !== undefined) {
      record.fault = fault.kind;
      record.faultDetails = fault;
    }

    const reply = replyFor(fault, outcome);
    const send = () => {
      try {
        const status = deliver(res, reply, `req_${number}`, fault, timers);
        if (status !== undefined) record.status = status;
      } catch (error) {
        fail(res, record, `The mock could not send its answer: ${messageOf(error)}`);
      }
    };
    if (latencyMs > 0) {
      timers.schedule(() => {
        if (!res.destroyed) send();
      }, latencyMs);
    } else {
      send();
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Tracked here too, not only on 'connection': runtimes emulating node:http may not emit it.
    track(req.socket);
    const method = req.method ?? 'GET';
    const headers = flattenHeaders(req.headers);
    if (cors) {
      // A preflight is the browser asking, not the page: it is answered here, and neither
      // recorded nor numbered, so a fault plan hits the same requests in a browser as elsewhere.
      if (isPreflight(method, headers)) {
        res.writeHead(204, PREFLIGHT_HEADERS).end();
        return;
      }
      // Set before the answer, which writeHead merges in: every reply carries them, errors and
      // faulted replies included (a page must be able to read a 503 to retry it).
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    }
    received++;
    const url = req.url ?? '/';
    const { path, search } = splitTarget(url);
    const route = matchRoute(path);
    const query = parseQuery(search);
    const record: RecordedRequest = { method, path, url, query, headers, number: received };
    if (route.kind !== 'unknown') record.operation = OPERATION_OF_ROUTE[route.kind];
    if (route.kind === 'checkpoints' || route.kind === 'job') record.jobId = route.jobId;
    appendBounded(requests, record, recordLimit);
    try {
      answerRequest(res, record, route);
    } catch (error) {
      // Whatever the mock was given (data that does not serialise, say), it must not crash.
      fail(res, record, `The mock could not answer: ${messageOf(error)}`);
    }
  }

  const server = createServer(handle);
  server.on('connection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('mock server: could not read the listening port');
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${address.port}${BASE_PATH}`,
    requests,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        timers.clearAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // server.close() only stops accepting; open keep-alive and hanging sockets must go too.
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
