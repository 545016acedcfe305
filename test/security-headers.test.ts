// Header values can never smuggle extra headers: CR/LF (and other control characters) in the key,
// the organization, the project or a custom header are rejected when the client is created, before
// anything is sent. Valid headers are sent as given, and nothing overrides the key.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CheckpointsError,
  createCheckpointsClient,
  InvalidArgumentError,
  paginate,
  type CheckpointsClientOptions,
} from '../src/index.js';
import { pageBody, sendJson, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, FAIL_FAST, KEY, PATH } from './helpers/client.js';
import { thrownBy } from './helpers/outcomes.js';
import { leaks } from './helpers/security.js';

const serve = serverPool('file');
let server: TestServer;
beforeAll(async () => {
  server = await serve((_req, res) => sendJson(res, 200, pageBody([], false)));
});

const INJECTIONS: [string, string][] = [
  ['CR LF', 'value\r\nX-Injected: 1'],
  ['LF', 'value\nX-Injected: 1'],
  ['CR', 'value\rX-Injected: 1'],
  ['trailing CR LF', 'value\r\n'],
  ['leading LF', '\nvalue'],
  ['NUL', 'value\u0000'],
  ['DEL', 'value\u007f'],
];

describe.each(INJECTIONS)('a value with %s', (_name, value) => {
  it.each<[string, CheckpointsClientOptions, string]>([
    ['apiKey', { apiKey: `${KEY}${value}` }, 'apiKey'],
    ['organization', { organization: value }, 'organization'],
    ['project', { project: value }, 'project'],
    ['a custom header', { headers: { 'X-Custom': value } }, 'headers["X-Custom"]'],
    [
      'a custom Authorization header',
      { headers: { Authorization: value } },
      'headers["Authorization"]',
    ],
  ])('in %s is rejected synchronously at construction', async (_option, extra, argument) => {
    const error = thrownBy(() => clientFor(server, { ...FAIL_FAST, ...extra }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    // The message names the option, never the value (which may be the key).
    expect((error as Error).message).not.toContain('X-Injected');
    expect(leaks(error)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.requests).toHaveLength(0);
  });
});

describe('OPENAI_API_KEY from the environment', () => {
  it('with CR LF is rejected at construction without echoing it', () => {
    vi.stubEnv('OPENAI_API_KEY', `${KEY}\r\nX-Injected: 1`);
    try {
      const error = thrownBy(() => createCheckpointsClient({ baseUrl: server.url, maxRetries: 0 }));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('apiKey');
      expect(leaks(error)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('header names', () => {
  it.each([
    ['CR LF', 'X-Custom\r\nX-Injected'],
    ['colon', 'X-Custom: 1'],
    ['space', 'X Custom'],
    ['empty', ''],
  ])('with %s are rejected synchronously at construction', (_name, name) => {
    const error = thrownBy(() => clientFor(server, { ...FAIL_FAST, headers: { [name]: 'v' } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('values a Headers object cannot hold', () => {
  // Not control characters, but not Latin-1 either: `new Headers()` throws a TypeError for them
  // at request time. They must fail at construction, as an InvalidArgumentError like the rest.
  it.each<[string, CheckpointsClientOptions]>([
    ['apiKey', { apiKey: `${KEY}\u79d8` }],
    ['organization', { organization: 'org-\u20ac' }],
    ['project', { project: 'proj-\u{1f511}' }],
    ['a custom header', { headers: { 'X-Custom': '\u79d8\u5bc6' } }],
  ])('in %s are rejected with InvalidArgumentError, not a TypeError', async (_option, extra) => {
    let outcome: unknown = 'no error';
    try {
      await clientFor(server, { ...FAIL_FAST, ...extra }).listCheckpoints('ftjob-abc123');
    } catch (error) {
      outcome = error;
    }
    expect(outcome).toBeInstanceOf(CheckpointsError);
    expect(outcome).toBeInstanceOf(InvalidArgumentError);
    expect(leaks(outcome)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('valid headers', () => {
  const extra: CheckpointsClientOptions = {
    organization: 'org-123',
    project: 'proj_456',
    headers: {
      'X-Custom': 'custom value',
      Authorization: 'Bearer sk-attacker',
      authorization: 'Basic YTpi',
      AUTHORIZATION: 'Bearer sk-other',
    },
  };

  function expectHeaders() {
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      expect(request.headers['openai-organization']).toBe('org-123');
      expect(request.headers['openai-project']).toBe('proj_456');
      expect(request.headers['x-custom']).toBe('custom value');
      // Exactly one Authorization, the key's: none of the custom ones got through.
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.headers['x-injected']).toBeUndefined();
    }
  }

  it('are sent by listCheckpoints, and a custom Authorization never overrides the key', async () => {
    const c = clientFor(server, { ...FAIL_FAST, ...extra });
    await c.listCheckpoints('ftjob-abc123');
    expect(server.requests).toHaveLength(1);
    expectHeaders();
  });

  it('are sent by client.raw.GET and paginate too', async () => {
    const c = clientFor(server, { ...FAIL_FAST, ...extra });
    await c.raw.GET(PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc123' } } });
    await paginate(c.raw, PATH, { params: { path: { fine_tuning_job_id: 'ftjob-abc123' } } });
    expect(server.requests).toHaveLength(2);
    expectHeaders();
  });

  it('are left out when not given', async () => {
    await clientFor(server, FAIL_FAST).listCheckpoints('ftjob-abc123');
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['openai-organization']).toBeUndefined();
    expect(request?.headers['openai-project']).toBeUndefined();
  });

  it('do not change when the options object is mutated after construction', async () => {
    const headers: Record<string, string> = { 'X-Custom': 'before' };
    // Passed as is (not through clientFor, which copies it), so that mutating it could matter.
    const config: CheckpointsClientOptions = {
      apiKey: KEY,
      baseUrl: server.url,
      maxRetries: 0,
      headers,
      organization: 'org-123',
    };
    const c = createCheckpointsClient(config);
    headers['X-Custom'] = 'after\r\nX-Injected: 1';
    headers.Authorization = 'Bearer sk-attacker';
    config.apiKey = 'sk-changed';
    config.organization = 'org-changed\r\nX-Injected: 1';
    await c.listCheckpoints('ftjob-abc123');
    const [request] = server.requests;
    expect(request?.headers['x-custom']).toBe('before');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['openai-organization']).toBe('org-123');
    expect(request?.headers['x-injected']).toBeUndefined();
  });
});
