// How the client is configured: the key and base URL from the environment, organization and project,
// explicit undefined as "not given", a custom fetch (even one that ignores its signal), and a short
// key that never corrupts data when scrubbed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  AbortError,
  createCheckpointsClient,
  DEFAULT_BASE_URL,
  InvalidArgumentError,
  TimeoutError,
  VERSION,
} from '../src/index.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';

const serve = serverPool();

describe('configuration', () => {
  it('a missing key is a clear error that says how to set it', () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => createCheckpointsClient()).toThrow(InvalidArgumentError);
      expect(() => createCheckpointsClient()).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment', async () => {
    const server = await serve(servePages(checkpoints(2)));
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.OPENAI_BASE_URL = server.url;
    try {
      await createCheckpointsClient().listCheckpoints(JOB);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-env');
    } finally {
      for (const [name, value] of [
        ['OPENAI_API_KEY', saved.key],
        ['OPENAI_BASE_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('the default base URL is the spec server, and VERSION is package.json version', () => {
    const spec = parse(
      readFileSync(new URL('../openapi/checkpoints.yaml', import.meta.url), 'utf8'),
    );
    expect(DEFAULT_BASE_URL).toBe(spec.servers[0].url);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('a custom fetch is used for every request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const urls: string[] = [];
    const client = clientFor(server, {
      fetch: (request) => {
        urls.push(request.url);
        return fetch(request);
      },
    });
    await client.listCheckpoints(JOB, { limit: 2 }).toArray();
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(`${server.url}/fine_tuning/jobs/${JOB}/checkpoints?limit=2`);
  });
});

describe('organization and project from the environment', () => {
  function withEnv(values: Record<string, string | undefined>, run: () => Promise<void>) {
    const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return run().finally(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
  }

  it('OPENAI_ORG_ID and OPENAI_PROJECT_ID are sent; an explicit option wins; undefined is "not given"', () =>
    withEnv({ OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj-env' }, async () => {
      const server = await serve(servePages(checkpoints(1)));
      await clientFor(server).listCheckpoints(JOB);
      await clientFor(server, { organization: 'org-option', project: undefined }).listCheckpoints(
        JOB,
      );
      const [fromEnv, mixed] = server.requests;
      expect(fromEnv!.headers['openai-organization']).toBe('org-env');
      expect(fromEnv!.headers['openai-project']).toBe('proj-env');
      expect(mixed!.headers['openai-organization']).toBe('org-option');
      expect(mixed!.headers['openai-project']).toBe('proj-env');
    }));

  it('without them, no header', () =>
    withEnv({ OPENAI_ORG_ID: undefined, OPENAI_PROJECT_ID: undefined }, async () => {
      const server = await serve(servePages(checkpoints(1)));
      await clientFor(server).listCheckpoints(JOB);
      expect(server.requests[0]!.headers['openai-organization']).toBeUndefined();
      expect(server.requests[0]!.headers['openai-project']).toBeUndefined();
    }));
});

describe('explicit undefined means "not given"', () => {
  it('for every client option, call option and query field', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const client = clientFor(server, {
      organization: undefined,
      project: undefined,
      headers: undefined,
      fetch: undefined,
      maxRetries: undefined,
      timeoutMs: undefined,
      maxResponseBytes: undefined,
      backoff: undefined,
      prefetch: undefined,
      maxPages: undefined,
      dangerouslyAllowBrowser: undefined,
    });
    const items = await client
      .listCheckpoints(
        JOB,
        { after: undefined, limit: undefined },
        {
          signal: undefined,
          timeoutMs: undefined,
          maxRetries: undefined,
          maxResponseBytes: undefined,
          prefetch: undefined,
          maxPages: undefined,
          maxItems: undefined,
        },
      )
      .toArray({ maxItems: undefined });
    expect(items).toHaveLength(3);
    expect(server.requests[0]!.query.toString()).toBe('');
  });
});

describe('a custom fetch that ignores its signal', () => {
  it('still times out, and still stops at the caller’s abort', async () => {
    const neverSettles = () => new Promise<Response>(() => {});
    const client = clientFor('http://127.0.0.1:9/v1', { fetch: neverSettles, maxRetries: 1 });
    const timedOut = await client
      .listCheckpoints(JOB, {}, { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut).toMatchObject({ attempts: 2, timeoutMs: 30 });
    const controller = new AbortController();
    const pending = client.listCheckpoints(
      JOB,
      {},
      { signal: controller.signal, timeoutMs: 60_000 },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it('a body that never ends still times out', async () => {
    const stalledBody = () =>
      Promise.resolve(new Response(new ReadableStream({ start() {} }), { status: 200 }));
    const client = clientFor('http://127.0.0.1:9/v1', { fetch: stalledBody, maxRetries: 0 });
    await expect(client.listCheckpoints(JOB, {}, { timeoutMs: 30 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});

describe('scrubbing the key never corrupts data', () => {
  it('a short test key that occurs in the data leaves the data intact', async () => {
    const all = checkpoints(12);
    const server = await serve(servePages(all));
    // 'k' occurs in every id ("ckpt_…"); only plausible keys (8+ characters) are scrubbed.
    const client = clientFor(server, { apiKey: 'k' });
    const ids = (await client.listCheckpoints(JOB).toArray()).map((c) => c.id);
    expect(ids).toEqual(all.map((c) => c.id));
  });
});
