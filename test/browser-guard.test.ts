// In a web page the API key would be readable by every script on it, so createCheckpointsClient
// refuses to run there unless told `dangerouslyAllowBrowser: true`. The detection is unit-tested
// here with simulated globals (a real Chromium run lives with the runtime tests).
import { describe, expect, it } from 'vitest';
import { isBrowser } from '../src/config.js';
import { createCheckpointsClient, InvalidArgumentError } from '../src/index.js';

describe('isBrowser', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a web page', { window: {}, document: {} }, true],
    ['a web worker (no document)', { self: {} }, false],
    ['Cloudflare Workers (no window)', { navigator: {} }, false],
    ['Deno (has window)', { window: {}, document: {}, Deno: {} }, false],
    ['Bun with happy-dom', { window: {}, document: {}, Bun: {} }, false],
    [
      'Node with jsdom',
      { window: {}, document: {}, process: { versions: { node: '20.20.0' } } },
      false,
    ],
    ['plain Node', { process: { versions: { node: '20.20.0' } } }, false],
  ])('%s: %s', (_name, globals, expected) => {
    expect(isBrowser(globals)).toBe(expected);
  });
});

/** Runs `run` with Node's globals made to look like a web page's, then restores them. */
function asInBrowser<T>(run: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document, process: g.process };
  Object.assign(g, { window: g, document: {}, process: undefined });
  try {
    return run();
  } finally {
    Object.assign(g, saved);
    if (saved.window === undefined) delete g.window;
    if (saved.document === undefined) delete g.document;
  }
}

describe('createCheckpointsClient in a browser', () => {
  it('refuses an API key on the page, saying why and how', () => {
    let error: unknown;
    asInBrowser(() => {
      try {
        createCheckpointsClient({ apiKey: 'sk-test-browser', baseUrl: 'https://example.com/v1' });
      } catch (caught) {
        error = caught;
      }
    });
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'apiKey' });
    expect((error as Error).message).toMatch(/readable by any script/);
    expect((error as Error).message).toMatch(/server-side proxy/);
    expect((error as Error).message).toMatch(/dangerouslyAllowBrowser: true/);
    expect((error as Error).message).not.toContain('sk-test-browser');
  });

  it('runs with dangerouslyAllowBrowser: true, and sends no User-Agent there', () => {
    const client = asInBrowser(() =>
      createCheckpointsClient({ apiKey: 'sk-test-browser', dangerouslyAllowBrowser: true }),
    );
    expect(typeof client.listCheckpoints).toBe('function');
  });

  it('dangerouslyAllowBrowser must be a boolean', () => {
    expect(() =>
      createCheckpointsClient({
        apiKey: 'sk-test-browser',
        dangerouslyAllowBrowser: 'yes' as never,
      }),
    ).toThrow(expect.objectContaining({ argument: 'options.dangerouslyAllowBrowser' }));
  });

  it('outside a browser the option is not needed', () => {
    expect(() => createCheckpointsClient({ apiKey: 'sk-test-browser' })).not.toThrow();
  });
});
