/**
 * The mock HTTP server: receives each request, records it, works out the spec-faithful answer,
 * lets the fault plan alter it, and delivers it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answer, type AnswerSettings } from './answer.js';
import { CORS_HEADERS, isPreflight, PREFLIGHT_HEADERS } from './cors.js';
import { deliver } from './deliver.js';
import { errorBody, errorReply } from './errors.js';
import { canRepeatCursor, replyFor } from './fault-replies.js';
import { createFaultPicker, type Fault } from './faults.js';
import { BASE_PATH, flattenHeaders, matchRoute, parseQuery, splitTarget } from './request.js';
import { indexJobs } from './store.js';
import { Timers } from './timers.js';
import type { MockServer, MockServerOptions, RecordedRequest } from './types.js';

const HOST = '127.0.0.1';

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegative(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

function checkCors(value: boolean | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`cors must be a boolean, got ${String(value)}`);
  }
  return value;
}

/**
 * Starts a mock of `GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints` on 127.0.0.1.
 *
 * @example
 * ```ts
 * const mock = await createMockServer({ jobs: { 'ftjob-1': generateCheckpoints({ jobId: 'ftjob-1', count: 25 }) } });
 * const res = await fetch(`${mock.url}/fine_tuning/jobs/ftjob-1/checkpoints?limit=5`, {
 *   headers: { authorization: 'Bearer sk-test' },
 * });
 * await mock.close();
 * ```
 * @throws TypeError or RangeError for invalid options (a bad fault plan, duplicate checkpoint ids).
 */
export async function createMockServer(options: MockServerOptions): Promise<MockServer> {
  const settings: AnswerSettings = {
    jobs: indexJobs(options.jobs),
    pageSize: positiveInteger(options.pageSize, 10, 'pageSize'),
    maxLimit: positiveInteger(options.maxLimit, 100, 'maxLimit'),
    apiKey: options.apiKey,
  };
  const latencyMs = nonNegative(options.latencyMs, 'latencyMs');
  const cors = checkCors(options.cors);
  const pickFault = createFaultPicker(options.faults, options.seed ?? 0);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Timers();
  // repeat-cursor faults drawn for requests that had no cursor to repeat, waiting for one that has.
  let pendingRepeatCursors = 0;

  function track(socket: Socket): void {
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
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
    const number = requests.length + 1;
    const url = req.url ?? '/';
    const { path, search } = splitTarget(url);
    const route = matchRoute(path);
    const query = parseQuery(search);
    const jobId = route.kind === 'checkpoints' ? route.jobId : undefined;
    const record: RecordedRequest = { method, path, url, query, headers, number };
    if (jobId !== undefined) record.jobId = jobId;
    requests.push(record);

    const outcome = answer(
      { method, path, route, query, authorization: headers.authorization },
      settings,
    );

    let fault: Fault | undefined;
    try {
      fault = pickFault(jobId === undefined ? { number, query } : { number, jobId, query });
    } catch (error) {
      // A throwing fault function is a bug in the test, so say so in the response.
      const message = `The mock's fault plan threw: ${error instanceof Error ? error.message : String(error)}`;
      const reply = errorReply(500, errorBody(message, 'server_error', null, null));
      deliver(res, reply, `req_${number}`, undefined, timers);
      return;
    }
    if (fault?.kind === 'repeat-cursor' && !canRepeatCursor(outcome)) {
      pendingRepeatCursors++;
      fault = undefined;
    } else if (fault === undefined && pendingRepeatCursors > 0 && canRepeatCursor(outcome)) {
      pendingRepeatCursors--;
      fault = { kind: 'repeat-cursor' };
    }
    if (fault !== undefined) record.fault = fault.kind;

    const reply = replyFor(fault, outcome);
    const send = () => deliver(res, reply, `req_${number}`, fault, timers);
    if (latencyMs > 0) {
      timers.schedule(() => {
        if (!res.destroyed) send();
      }, latencyMs);
    } else {
      send();
    }
  }

  const server = createServer(handle);
  server.on('connection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
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
