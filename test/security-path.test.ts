// A job id can never steer the request to another path: every traversal spelling, separator,
// query or fragment character, blank and non-string is rejected with InvalidArgumentError before
// anything is sent, through listCheckpoints, client.raw and paginate alike.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, paginate } from '../src/index.js';
import { checkpoint, pageBody, sendJson, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, FAIL_FAST, KEY, PATH } from './helpers/client.js';
import { iterationError, rejectionOf } from './helpers/outcomes.js';

const serve = serverPool('file');
let server: TestServer;
beforeAll(async () => {
  server = await serve((_req, res) =>
    sendJson(res, 200, pageBody([checkpoint('ftckpt_1', 1)], false)),
  );
});
/** The raw request targets the server received, before any normalisation. */
const targets = () => server.requests.map((seen) => seen.target);

const BAD_IDS: [string, unknown][] = [
  ['..', '..'],
  ['.', '.'],
  ['%2e%2e', '%2e%2e'],
  ['%2E%2E', '%2E%2E'],
  ['.%2e', '.%2e'],
  ['%2e.', '%2e.'],
  ['%2f', '%2f'],
  ['..%2f', '..%2f'],
  ['a/../b', 'a/../b'],
  ['../checkpoints', '../checkpoints'],
  ['../../files', '../../files'],
  ['a/b', 'a/b'],
  ['a\\b', 'a\\b'],
  ['..\\..', '..\\..'],
  ['?x=1', '?x=1'],
  ['ftjob?limit=1000', 'ftjob?limit=1000'],
  ['#frag', '#frag'],
  ['ftjob#x', 'ftjob#x'],
  ['empty', ''],
  ['spaces', '   '],
  ['tab', '\t'],
  ['trailing LF', 'ftjob\n'],
  ['CR LF', 'ftjob\r\nX-Injected: 1'],
  ['NUL', 'ftjob\u0000'],
  ['U+2028', 'ftjob\u2028'],
  ['fullwidth dots', '\uff0e\uff0e'],
  ['full URL', 'http://127.0.0.1:1/steal'],
  ['@ authority', '@evil.example'],
  ['42', 42],
  ['null', null],
  ['undefined', undefined],
  ['{}', {}],
  ['array', ['a', 'b']],
  ['object with toString', { toString: () => '..' }],
  ['true', true],
];

describe.each(BAD_IDS)('job id %s', (_name, bad) => {
  it('is rejected by listCheckpoints (await) without a request', async () => {
    const error = await rejectionOf(clientFor(server, FAIL_FAST).listCheckpoints(bad as string));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('jobId');
    expect(server.requests).toHaveLength(0);
  });

  it('is rejected by listCheckpoints (for await, pages, toArray) without a request', async () => {
    const c = clientFor(server, FAIL_FAST);
    expect(await iterationError(c.listCheckpoints(bad as string))).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await iterationError(c.listCheckpoints(bad as string).pages())).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await rejectionOf(c.listCheckpoints(bad as string).toArray())).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('is rejected by client.raw.GET without a request', async () => {
    const error = await rejectionOf(
      clientFor(server, FAIL_FAST).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: bad as string } },
      }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('path.fine_tuning_job_id');
    expect(server.requests).toHaveLength(0);
  });

  it('is rejected by paginate(client.raw) without a request', async () => {
    const listing = () =>
      paginate(clientFor(server, FAIL_FAST).raw, PATH, {
        params: { path: { fine_tuning_job_id: bad as string } },
      });
    expect(await rejectionOf(listing())).toBeInstanceOf(InvalidArgumentError);
    expect(await iterationError(listing())).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('client.raw with the job id missing', () => {
  it.each([
    ['no params', {}],
    ['params without path', { params: {} }],
    ['an empty path object', { params: { path: {} } }],
  ])('with %s is rejected without a request', async (_name, init) => {
    const outcome = await clientFor(server, FAIL_FAST)
      .raw.GET(PATH, init as never)
      .then(
        () => 'resolved',
        (error: unknown) => error,
      );
    // Without the check, openapi-fetch leaves the template in place and sends
    // /v1/fine_tuning/jobs/%7Bfine_tuning_job_id%7D/checkpoints.
    expect(targets()).toEqual([]);
    expect(outcome).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('client.raw with an extra, hostile path parameter', () => {
  it('is rejected without a request', async () => {
    const error = await rejectionOf(
      clientFor(server, FAIL_FAST).raw.GET(PATH, {
        params: { path: { fine_tuning_job_id: 'ftjob-abc123', other: '../..' } as never },
      }),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a legitimate job id (control)', () => {
  const expected = '/v1/fine_tuning/jobs/ftjob-abc123/checkpoints';

  it('reaches exactly the checkpoints path through every entry point', async () => {
    const c = clientFor(server, FAIL_FAST);
    const page = await c.listCheckpoints('ftjob-abc123');
    expect(page.data).toHaveLength(1);
    const items = [];
    for await (const item of c.listCheckpoints('ftjob-abc123')) items.push(item);
    expect(items).toHaveLength(1);
    const raw = await c.raw.GET(PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc123' } } });
    expect(raw.data?.data).toHaveLength(1);
    const paged = await paginate(c.raw, PATH, {
      params: { path: { fine_tuning_job_id: 'ftjob-abc123' } },
    }).toArray();
    expect(paged).toHaveLength(1);
    expect(targets()).toEqual([expected, expected, expected, expected]);
    for (const request of server.requests) {
      expect(request.method).toBe('GET');
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    }
  });

  it('keeps every allowed character (letters, digits, _ . : ~ -) in one segment', async () => {
    await clientFor(server, FAIL_FAST).listCheckpoints('ft:job_A.b~c-9');
    // ':' is percent-encoded by the path serializer; the segment decodes back to the id.
    expect(targets()).toEqual(['/v1/fine_tuning/jobs/ft%3Ajob_A.b~c-9/checkpoints']);
    expect(server.requests[0]!.path.split('/')).toEqual([
      '',
      'v1',
      'fine_tuning',
      'jobs',
      'ft%3Ajob_A.b~c-9',
      'checkpoints',
    ]);
  });

  it('is sent by listCheckpoints exactly as openapi-fetch serializes it for client.raw', async () => {
    // The listing path has its own, plain path serializer (src/client.ts, jobIdIntoPath);
    // client.raw keeps openapi-fetch's. Both must put every allowed id on the wire identically.
    const c = clientFor(server, FAIL_FAST);
    const allowed = fc.stringMatching(/^[\w.:~-]{1,24}$/).filter((id) => !/^\.+$/.test(id));
    await fc.assert(
      fc.asyncProperty(allowed, async (id) => {
        server.requests.length = 0;
        await c.listCheckpoints(id, { limit: 3, after: 'ftckpt_x' });
        await c.raw.GET(PATH, {
          params: { path: { fine_tuning_job_id: id }, query: { limit: 3, after: 'ftckpt_x' } },
        });
        expect(targets()).toHaveLength(2);
        expect(targets()[0]).toBe(targets()[1]);
      }),
      { numRuns: 60 },
    );
  });

  it('with a base URL that has a path prefix stays under that prefix', async () => {
    const prefixed = clientFor(`${server.origin}/proxy/openai/v1/`, FAIL_FAST);
    await prefixed.listCheckpoints('ftjob-abc123');
    expect(targets()).toEqual(['/proxy/openai/v1/fine_tuning/jobs/ftjob-abc123/checkpoints']);
  });
});
