// Bad input is rejected with an InvalidArgumentError naming the argument, before any request: job
// ids, query fields, call options, toArray's maxItems and the client's own options.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, paginate } from '../src/index.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';
import { clientFor, JOB, PATH } from './helpers/client.js';

const serve = serverPool();

describe('bad input is rejected before any request', () => {
  it('a query or options object whose getter throws is an InvalidArgumentError, and sends nothing', async () => {
    const server = await serve(servePages(checkpoints(1)));
    const throwing = {
      get limit(): number {
        throw new TypeError('boom');
      },
    };
    const client = clientFor(server);
    for (const listing of [
      client.listCheckpoints(JOB, throwing),
      client.listCheckpoints(JOB, {}, throwing as never),
      paginate(client.raw, PATH, {
        params: { path: { fine_tuning_job_id: JOB }, query: throwing },
      }),
    ]) {
      await expect(listing).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(listing).rejects.toThrow(/boom/);
    }
    expect(server.requests).toHaveLength(0);
  });

  const badJobIds: unknown[] = [
    '',
    ' ',
    '.',
    '..',
    '...',
    'a/b',
    '%2e%2e',
    'a b',
    'x?y',
    42,
    null,
    undefined,
    {},
  ];
  it.each(badJobIds)('job id %j', async (jobId) => {
    const server = await serve(servePages(checkpoints(1)));
    const listing = clientFor(server).listCheckpoints(jobId as string);
    await expect(listing).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(listing).rejects.toMatchObject({ argument: 'jobId' });
    expect(server.requests).toHaveLength(0);
  });

  const badQueries: [string, unknown][] = [
    ['query.limit', { limit: 0 }],
    ['query.limit', { limit: -1 }],
    ['query.limit', { limit: 1.5 }],
    ['query.limit', { limit: '10' }],
    ['query.limit', { limit: Number.NaN }],
    ['query.limit', { limit: Number.POSITIVE_INFINITY }],
    ['query.after', { after: '' }],
    ['query.after', { after: 5 }],
    ['query.limt', { limt: 5 }],
    ['query', 'limit=5'],
  ];
  it.each(badQueries)('%s in %j', async (argument, query) => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .listCheckpoints(JOB, query as never)
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(server.requests).toHaveLength(0);
  });

  const badOptions: [string, unknown][] = [
    ['options.timeoutMs', { timeoutMs: -1 }],
    ['options.timeoutMs', { timeoutMs: '5' }],
    ['options.maxRetries', { maxRetries: 1.5 }],
    ['options.maxPages', { maxPages: 0 }],
    ['options.prefetch', { prefetch: 'yes' }],
    ['options.signal', { signal: {} }],
    ['options.retries', { retries: 2 }],
  ];
  it.each(badOptions)('%s in %j', async (argument, options) => {
    const server = await serve(servePages(checkpoints(1)));
    const error = await clientFor(server)
      .listCheckpoints(JOB, {}, options as never)
      .catch((e: unknown) => e);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(server.requests).toHaveLength(0);
  });

  it('toArray maxItems must be a positive integer', async () => {
    const server = await serve(servePages(checkpoints(1)));
    await expect(
      clientFor(server).listCheckpoints(JOB).toArray({ maxItems: 0 }),
    ).rejects.toMatchObject({
      argument: 'maxItems',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('bad client options throw at construction', () => {
    const bad: [string, object][] = [
      ['baseUrl', { baseUrl: 'not a url' }],
      ['baseUrl', { baseUrl: 'ftp://example.com' }],
      ['maxRetries', { maxRetries: -1 }],
      ['timeoutMs', { timeoutMs: 0 }],
      ['fetch', { fetch: 'fetch' }],
      ['options.retries', { retries: 3 }],
      ['organization', { organization: 'org\r\nX-Evil: 1' }],
    ];
    for (const [argument, options] of bad) {
      expect(() => clientFor('http://127.0.0.1:9/v1', options as never)).toThrow(
        expect.objectContaining({ argument }),
      );
    }
  });
});
