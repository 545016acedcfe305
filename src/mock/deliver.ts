/**
 * Writing a reply to the wire, well or (for transport faults) badly. Only portable `node:http`
 * calls are used (`writeHead`, `write`, `end`, `destroy`) so the mock also runs on Bun and Deno.
 */
import type { ServerResponse } from 'node:http';
import type { Reply } from './errors.js';
import type { Fault } from './faults.js';
import type { Timers } from './timers.js';

/** Drops the connection without a graceful close, which the client sees as a network error. */
function destroyConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}

/**
 * Sends `reply` with the headers every response carries (`content-type` unless the reply sets
 * its own, `x-request-id`, an exact `content-length`), applying a transport fault if given.
 */
export function deliver(
  res: ServerResponse,
  reply: Reply,
  requestId: string,
  fault: Fault | undefined,
  timers: Timers,
): void {
  if (fault?.kind === 'hang') return; // never answer; close() or the client ends the socket
  if (fault?.kind === 'reset') {
    destroyConnection(res);
    return;
  }
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    ...reply.headers,
    'x-request-id': requestId,
    'content-length': String(body.length),
  });
  // Split on bytes, not characters: content-length counts bytes.
  const half = body.subarray(0, Math.floor(body.length / 2));
  const rest = body.subarray(half.length);
  if (fault?.kind === 'truncated') {
    // Destroy only once the half has been flushed, or it could be discarded with the socket.
    res.write(half, () => destroyConnection(res));
    return;
  }
  if (fault?.kind === 'slow-body') {
    res.write(half);
    timers.schedule(() => {
      if (!res.destroyed) res.end(rest);
    }, fault.delayMs);
    return;
  }
  res.end(body);
}
