/**
 * Small HTTP helpers for tests that talk to the mock server over real sockets with the global
 * `fetch`.
 */
import { request } from 'node:http';
import { afterEach } from 'vitest';
import type { components } from '../../generated/checkpoints.js';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/mock/index.js';

type ListFineTuningJobCheckpointsResponse =
  components['schemas']['ListFineTuningJobCheckpointsResponse'];

/** A valid bearer header for a mock created without `apiKey`. */
export const AUTH = { authorization: 'Bearer sk-test-key' } as const;

/** The checkpoints URL of `jobId` on `mock`, with the job id percent-encoded and optional query. */
export function checkpointsUrl(
  mock: MockServer,
  jobId: string,
  query: Record<string, string | number> = {},
): string {
  const search = new URLSearchParams(
    Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  const path = `${mock.url}/fine_tuning/jobs/${encodeURIComponent(jobId)}/checkpoints`;
  return search === '' ? path : `${path}?${search}`;
}

/** A response read to the end: status, headers and body parsed as JSON. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Fetches `url` (authenticated unless `init.headers` says otherwise) and parses the JSON body. */
export async function getJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const response = await fetch(url, { headers: AUTH, ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
}

/**
 * Walks every page of a job the way a client should: follow `last_id` as `after` while
 * `has_more`. Stops after `maxPages` so a broken cursor fails the test instead of hanging it.
 */
export async function walkPages(
  mock: MockServer,
  jobId: string,
  limit?: number,
  maxPages = 10_000,
): Promise<ListFineTuningJobCheckpointsResponse[]> {
  const pages: ListFineTuningJobCheckpointsResponse[] = [];
  let after: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const query: Record<string, string | number> = {};
    if (limit !== undefined) query.limit = limit;
    if (after !== undefined) query.after = after;
    const { status, body } = await getJson(checkpointsUrl(mock, jobId, query));
    if (status !== 200) throw new Error(`page ${i + 1}: HTTP ${status} ${JSON.stringify(body)}`);
    const page = body as ListFineTuningJobCheckpointsResponse;
    pages.push(page);
    if (!page.has_more) return pages;
    if (typeof page.last_id !== 'string')
      throw new Error(`page ${i + 1}: has_more without last_id`);
    after = page.last_id;
  }
  throw new Error(`more than ${maxPages} pages`);
}

/**
 * GETs a raw request target with `node:http`, for paths `fetch` would rewrite: the WHATWG URL
 * parser turns a `%2E%2E` segment into `..` and resolves it before sending.
 */
export function rawGet(
  mock: MockServer,
  target: string,
  headers: Record<string, string> = AUTH,
): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts mock servers for a test file: each one is closed after the test that started it. */
export function mockServers(): (options: MockServerOptions) => Promise<MockServer> {
  const started: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((mock) => mock.close()));
  });
  return async (options) => {
    const mock = await createMockServer(options);
    started.push(mock);
    return mock;
  };
}
