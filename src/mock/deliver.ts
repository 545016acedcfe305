/**
 * Writing a reply to the wire, well or (for transport faults) badly. Only portable `node:http`
 * calls are used (`writeHead`, `write`, `end`, `destroy`) so the mock also runs on Bun and Deno.
 */
import type { ServerResponse } from 'node:http';
import type { Reply } from './errors.js';
import { STATUSES_WITHOUT_CONTENT, type Fault } from './faults.js';
import type { Timers } from './timers.js';

/** Drops the connection without a graceful close, which the client sees as a network error. */
function destroyConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}

/** The length header of a reply: none for 204 and 304 (RFC 9110 forbids or repurposes it). */
function lengthHeader(status: number, body: Buffer): Record<string, string> {
  return status === 204 || status === 304 ? {} : { 'content-length': String(body.length) };
}

/**
 * Sends `reply` with the headers every response carries (`content-type` unless the reply sets
 * its own, `x-request-id`, an exact `content-length`), applying a transport fault if given.
 * A status without content (204, 205, 304) is sent without its body, as HTTP requires.
 *
 * @returns the status written, or `undefined` when the fault sends none (`hang`, `reset`).
 */
export function deliver(
  res: ServerResponse,
  reply: Reply,
  requestId: string,
  fault: Fault | undefined,
  timers: Timers,
): number | undefined {
  if (fault?.kind === 'hang') return undefined; // never answer; close() or the client ends it
  if (fault?.kind === 'reset') {
    destroyConnection(res);
    return undefined;
  }
  const body = STATUSES_WITHOUT_CONTENT.has(reply.status)
    ? Buffer.alloc(0)
    : Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    ...reply.headers,
    'x-request-id': requestId,
    ...lengthHeader(reply.status, body),
  });
  // Split on bytes, not characters: content-length counts bytes.
  const half = body.subarray(0, Math.floor(body.length / 2));
  const rest = body.subarray(half.length);
  if (fault?.kind === 'truncated') {
    // Destroy only once the half has been flushed, or it could be discarded with the socket.
    res.write(half, () => destroyConnection(res));
    return reply.status;
  }
  if (fault?.kind === 'slow-body') {
    res.write(half);
    timers.schedule(() => {
      if (!res.destroyed) res.end(rest);
    }, fault.delayMs);
    return reply.status;
  }
  res.end(body);
  return reply.status;
}
