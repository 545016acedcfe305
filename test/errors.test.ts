// Every failure is a typed error: each API status to its class with the API's error fields, bodies
// that are empty or not JSON, refused connections, timeouts, aborts and invalid responses.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  CheckpointsError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from '../src/index.js';
import { closedPortUrl, sendJson, serverPool } from './helpers/http.js';
import { clientFor as clientOf, JOB } from './helpers/client.js';

/** A client that does not wait out a 429 (this file is about what the errors carry). */
const clientFor: typeof clientOf = (target, options) =>
  clientOf(target, { maxRateLimitWaitMs: 0, ...options });

const serve = serverPool();

describe('errors', () => {
  const cases = [
    [400, BadRequestError, 'invalid_request_error', 'limit', 'invalid_limit'],
    [401, AuthenticationError, 'invalid_request_error', null, 'invalid_api_key'],
    [403, PermissionDeniedError, 'invalid_request_error', null, 'unsupported_country'],
    [404, NotFoundError, 'invalid_request_error', 'fine_tuning_job_id', 'fine_tune_not_found'],
    [409, ConflictError, 'invalid_request_error', null, null],
    [422, UnprocessableEntityError, 'invalid_request_error', null, null],
    [429, RateLimitError, 'requests', null, 'rate_limit_exceeded'],
    [500, InternalServerError, 'server_error', null, null],
    [503, InternalServerError, 'server_error', null, null],
    [418, ApiError, 'teapot', null, null],
  ] as const;
  it.each(cases)(
    '%i gives %o with the API error fields',
    async (status, ErrorClass, type, param, code) => {
      const server = await serve((_req, res) =>
        sendJson(
          res,
          status,
          { error: { message: `boom ${status}`, type, param, code } },
          { 'x-request-id': 'req_err' },
        ),
      );
      const error = await clientFor(server, { maxRetries: 0 })
        .listCheckpoints(JOB)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(CheckpointsError);
      expect(error).toMatchObject({ status, type, param, code, requestId: 'req_err', attempts: 1 });
      expect((error as Error).message).toBe(`${status} boom ${status}`);
      expect((error as ApiError).name).toBe(ErrorClass.name);
    },
  );

  it('an empty or non-JSON error body still gives a useful message', async () => {
    const server = await serve((_req, res, _seen, index) => {
      if (index === 0) return res.writeHead(502).end();
      res
        .writeHead(500, { 'content-type': 'text/html' })
        .end('<html><body>Upstream exploded</body></html>');
    });
    const client = clientFor(server, { maxRetries: 0 });
    const empty = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InternalServerError);
    expect((empty as Error).message).toBe('502 Bad Gateway (empty response body)');
    const html = await client.listCheckpoints(JOB).catch((e: unknown) => e);
    expect((html as Error).message).toBe(
      '500 Internal Server Error: <html><body>Upstream exploded</body></html>',
    );
    expect((html as ApiError).code).toBeNull();
  });

  it('connection, timeout, abort and invalid-response errors are typed', async () => {
    const refused = await clientFor(await closedPortUrl(), { maxRetries: 0 })
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as Error).message).toMatch(
      /could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );

    const hang = await serve(() => {});
    const timeout = await clientFor(hang, { maxRetries: 0, timeoutMs: 50 })
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout).toBeInstanceOf(ConnectionError);

    const controller = new AbortController();
    const pending = clientFor(hang).listCheckpoints(JOB, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);

    const bad = await serve((_req, res) =>
      sendJson(
        res,
        200,
        { object: 'list', data: {}, has_more: false },
        { 'x-request-id': 'req_bad' },
      ),
    );
    const invalid = await clientFor(bad)
      .listCheckpoints(JOB)
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect(invalid).toMatchObject({ status: 200, requestId: 'req_bad' });
    expect((invalid as Error).message).toContain('page 1: `data`: expected array');
  });
});
