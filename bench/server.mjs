// A minimal stand-in for `GET /v1/fine_tuning/jobs/{id}/checkpoints`, with the same response
// shape and `after`/`limit` cursor semantics. Meant to be started with child_process.fork() (see
// lib/server-process.mjs): it runs in its own process so that serving never competes with the
// client under test for the same event loop. Binds 127.0.0.1 only.
//
// argv[2]: JSON { checkpoints, delayMs, jobId, rateLimit }. IPC: sends { type: 'ready', port };
// answers { type: 'stats' | 'reset', id } with { type: 'reply', id, stats }.
//
// With `rateLimit: { perSecond, burst }` it is rate-limited as OpenAI is, by a token bucket of
// `burst` requests refilled at `perSecond`: every answer carries `x-ratelimit-limit-requests`,
// `-remaining-requests` and `-reset-requests` (the time until the bucket is full again, in Go's
// notation, as OpenAI writes it); a request that finds the bucket empty gets a 429 at once, with
// `retry-after-ms`, `Retry-After` and OpenAI's error body.
import { createServer } from 'node:http';
import { indexOfId, listPage } from './lib/fixtures.mjs';
import { createTokenBucket, goDuration } from './lib/token-bucket.mjs';

const config = {
  checkpoints: 1000,
  delayMs: 0,
  jobId: 'ftjob-bench',
  rateLimit: undefined,
  ...JSON.parse(process.argv[2] ?? '{}'),
};
const ROUTE = /\/fine_tuning\/jobs\/([^/]+)\/checkpoints$/;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
// Serialising in advance keeps the server cheap and steady; a million checkpoints (the memory
// scenario) would not fit, so past this many they are serialised per request instead.
const CACHE_MAX_CHECKPOINTS = 200_000;
const LOG_MAX = 1000;

const cache = new Map();
let stats = freshStats();

function freshStats() {
  // started: requests received; completed: responses fully written; aborted: the client closed
  // the connection before the response was written (e.g. an AbortController fired); limited:
  // 429s; peakOpen: the most connections open at once.
  return {
    started: 0,
    completed: 0,
    aborted: 0,
    limited: 0,
    connections: 0,
    connectionsClosed: 0,
    peakOpen: 0,
    log: [],
  };
}

let bucket = config.rateLimit && createTokenBucket(config.rateLimit);

function pageBuffer(start, limit) {
  const key = `${start}:${limit}`;
  let body = cache.get(key);
  if (!body) {
    body = Buffer.from(
      JSON.stringify(listPage({ total: config.checkpoints, jobId: config.jobId, start, limit })),
    );
    if (config.checkpoints <= CACHE_MAX_CHECKPOINTS) cache.set(key, body);
  }
  return body;
}

function send(res, status, body, requestId, headers = {}) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    'x-request-id': requestId,
    ...headers,
  });
  res.end(body);
}

const RATE_LIMITED = Buffer.from(
  JSON.stringify({
    error: {
      message:
        'Rate limit reached for requests in organization org-bench on requests per min (RPM). Please try again later.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  }),
);

/** Takes a request from the bucket: the rate-limit headers, and whether it may be served. */
function admit() {
  if (!bucket) return { allowed: true, headers: {} };
  const { allowed, remaining, resetMs, retryAfterMs } = bucket.take(performance.now());
  const headers = {
    'x-ratelimit-limit-requests': String(config.rateLimit.burst),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': goDuration(resetMs),
  };
  if (!allowed) {
    headers['retry-after-ms'] = String(Math.ceil(retryAfterMs));
    headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  }
  return { allowed, headers };
}

function errorBody(message, param) {
  return Buffer.from(
    JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: null } }),
  );
}

function handle(req, res) {
  const n = ++stats.started;
  const requestId = `req_bench${n}`;
  const entry = n <= LOG_MAX ? { n, url: req.url, outcome: 'pending' } : null;
  if (entry) stats.log.push(entry);
  res.on('close', () => {
    const outcome = res.writableFinished ? 'completed' : 'aborted';
    stats[outcome]++;
    if (entry) entry.outcome = outcome;
  });

  const queryAt = req.url.indexOf('?');
  const pathname = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  if (req.method !== 'GET' || !ROUTE.test(pathname)) {
    return send(res, 404, errorBody(`no route ${req.method} ${pathname}`, null), requestId);
  }
  const query = new URLSearchParams(queryAt === -1 ? '' : req.url.slice(queryAt + 1));
  const limit = Math.min(MAX_LIMIT, Number(query.get('limit') ?? DEFAULT_LIMIT));
  const after = query.get('after');
  const start = after === null ? 0 : indexOfId(after) + 1;
  if (!(limit >= 1) || (start === 0 && after !== null)) {
    return send(
      res,
      400,
      errorBody('invalid limit or after', after === null ? 'limit' : 'after'),
      requestId,
    );
  }
  const { allowed, headers } = admit();
  if (!allowed) {
    stats.limited++;
    return send(res, 429, RATE_LIMITED, requestId, headers);
  }
  const body = pageBuffer(start, limit);
  if (config.delayMs <= 0) return send(res, 200, body, requestId, headers);
  setTimeout(() => {
    if (!res.destroyed) send(res, 200, body, requestId, headers);
  }, config.delayMs);
}

const server = createServer({ keepAlive: true }, handle);
// Longer than any scenario's pause, so clients never race a server-side keep-alive close.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
let open = 0;
server.on('connection', (socket) => {
  stats.connections++;
  stats.peakOpen = Math.max(stats.peakOpen, ++open);
  socket.on('close', () => {
    open--;
    stats.connectionsClosed++;
  });
});

process.on('message', (message) => {
  if (message.type === 'reset') {
    stats = freshStats();
    // A run starts from a full bucket, as after a quiet minute.
    bucket = config.rateLimit && createTokenBucket(config.rateLimit);
  }
  process.send({ type: 'reply', id: message.id, stats });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
