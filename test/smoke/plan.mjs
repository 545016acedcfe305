// The smoke scenario's plan, shared by every runtime: the job the mock serves, the fault it
// injects, and how the facts a run gathered are judged. No imports: the mock module is passed in,
// so this file loads in the host (Node) and in runtimes alike.

export const JOB_ID = 'ftjob-smoke';
export const MISSING_JOB_ID = 'ftjob-does-not-exist';
export const ABORT_JOB_ID = 'ftjob-smoke-abort';
export const COUNT = 35;
export const LIMIT = 10;
// Request 1 is the first page on its own; 2-6 are the walk (10/10/10/5 plus one retry): its
// second page, request 3, gets a 503 that must be retried.
export const FAULTED_REQUEST = 3;
const LISTING_REQUESTS = 6;

/**
 * Starts the smoke mock with `mock` (the package's `fine-tuning-checkpoints/mock` module).
 * Returns the server and the ids a client must list, in the served order (newest first).
 */
export async function startSmokeMock(mock, options = {}) {
  const checkpoints = mock.generateCheckpoints({ jobId: JOB_ID, count: COUNT, seed: 7 });
  const server = await mock.createMockServer({
    jobs: {
      [JOB_ID]: checkpoints,
      [ABORT_JOB_ID]: mock.generateCheckpoints({ jobId: ABORT_JOB_ID, count: COUNT, seed: 8 }),
    },
    faults: [{ kind: 'status', status: 503, request: FAULTED_REQUEST }],
    ...options,
  });
  // generateCheckpoints returns oldest first; the mock serves newest first.
  const expectedIds = checkpoints.map((c) => c.id).reverse();
  return { server, expectedIds };
}

/** Adds what the server saw to what the client reported: one result for `problemsOf`. */
export function withServerFacts(client, server, expectedIds) {
  const { ids = [], ...rest } = client;
  return {
    ...rest,
    items: ids.length,
    unique: new Set(ids).size,
    order: ids.length === expectedIds.length && ids.every((id, i) => id === expectedIds[i]),
    faulted: server.requests.filter((r) => r.fault !== undefined).map((r) => r.number),
    listRequests: server.requests.filter((r) => r.jobId === JOB_ID).length,
    notFoundRequests: server.requests.filter((r) => r.jobId === MISSING_JOB_ID).length,
    userAgent: server.requests[0]?.headers['user-agent'],
    origin: server.requests[0]?.headers.origin,
  };
}

/**
 * Judges one result; returns the problems (empty when it passed). `expect` may name the runtime
 * (`runtime`), demand that the client named it in its User-Agent (`userAgent: true`), that it
 * sent none of its own (`userAgent: false`, where the platform owns the header), and that the
 * client refused to run without `dangerouslyAllowBrowser` (`refusesWithoutOptIn`), that the page
 * came from another origin (`crossOrigin`) and could not read a mock without `cors`
 * (`corsRequired`).
 */
export function problemsOf(result, expect = {}) {
  const problems = [];
  const check = (condition, message) => {
    if (!condition) problems.push(message);
  };
  if (!result.ok) return [`scenario error: ${result.error ?? 'unknown'}`];
  if (expect.runtime !== undefined) {
    check(result.runtime === expect.runtime, `ran ${result.runtime}, expected ${expect.runtime}`);
  }
  const first = result.firstPage ?? {};
  check(first.items === LIMIT && first.hasMore === true, `first page ${JSON.stringify(first)}`);
  check(result.items === COUNT, `listed ${result.items} checkpoints, expected ${COUNT}`);
  check(result.unique === COUNT, `${result.unique} distinct ids, expected ${COUNT}`);
  check(result.order === true, 'checkpoints not in the served order (newest first)');
  check(
    JSON.stringify(result.faulted) === `[${FAULTED_REQUEST}]`,
    `faulted requests ${JSON.stringify(result.faulted)}, expected [${FAULTED_REQUEST}]`,
  );
  // More means duplicate fetches, fewer means the fault was not retried.
  check(
    result.listRequests === LISTING_REQUESTS,
    `${result.listRequests} requests for the listing, expected ${LISTING_REQUESTS}`,
  );
  const nf = result.notFound ?? {};
  check(nf.thrown === true, 'unknown job did not throw');
  check(nf.notFoundError === true, `unknown job threw ${nf.name}, not instanceof NotFoundError`);
  check(nf.apiError === true && nf.checkpointsError === true, 'NotFoundError class chain broken');
  check(nf.status === 404, `NotFoundError.status ${nf.status}, expected 404`);
  check(result.notFoundRequests === 1, `a 404 was requested ${result.notFoundRequests} times`);
  const abort = result.abort ?? {};
  check(abort.abortError === true, `abort threw ${abort.name}, not instanceof AbortError`);
  check(
    abort.itemsSeen >= 1 && abort.itemsSeen <= LIMIT,
    `${abort.itemsSeen} checkpoints arrived from a walk aborted on its first, expected at most one page`,
  );
  if (expect.userAgent === true) {
    check(
      typeof result.userAgent === 'string' &&
        result.userAgent.startsWith('fine-tuning-checkpoints/') &&
        result.userAgent.endsWith(` ${result.runtime}`),
      `User-Agent ${JSON.stringify(result.userAgent)} does not name ${result.runtime}`,
    );
  } else if (expect.userAgent === false) {
    check(
      !String(result.userAgent ?? '').includes('fine-tuning-checkpoints/'),
      `User-Agent ${JSON.stringify(result.userAgent)} claims a server runtime`,
    );
  }
  if (expect.refusesWithoutOptIn) {
    const refusal = result.refusal ?? {};
    check(
      refusal.invalidArgument === true && /dangerouslyAllowBrowser/.test(refusal.message ?? ''),
      `without dangerouslyAllowBrowser: ${JSON.stringify(refusal)}, expected an InvalidArgumentError naming it`,
    );
  }
  if (expect.corsRequired) {
    const plain = result.withoutCors ?? {};
    check(
      plain.thrown === true && plain.name === 'ConnectionError' && plain.apiError === false,
      `a mock without cors: ${JSON.stringify(plain)}, expected the browser to block it (ConnectionError)`,
    );
  }
  if (expect.crossOrigin) {
    check(
      typeof result.origin === 'string' && result.origin !== 'null',
      `requests carried Origin ${JSON.stringify(result.origin)}: not a cross-origin page`,
    );
  }
  return problems;
}
