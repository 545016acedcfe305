// In a web page the API key would be readable by every script on it, so createCheckpointsClient
// refuses to run there unless told `dangerouslyAllowBrowser: true`. The detection is unit-tested
// here with simulated globals (a real Chromium run lives with the runtime tests).
import { describe, expect, it } from 'vitest';
import { isBrowser } from '../src/config.js';
import { InvalidArgumentError } from '../src/index.js';
import { clientFor, KEY } from './helpers/client.js';
import { thrownBy } from './helpers/outcomes.js';

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

/** A base URL the guard's tests never reach: they send nothing. */
const API = 'https://example.com/v1';

describe('createCheckpointsClient in a browser', () => {
  it('refuses an API key on the page, saying why and how', () => {
    const error = asInBrowser(() => thrownBy(() => clientFor(API)));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'apiKey' });
    expect((error as Error).message).toMatch(/readable by any script/);
    expect((error as Error).message).toMatch(/server-side proxy/);
    expect((error as Error).message).toMatch(/dangerouslyAllowBrowser: true/);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('runs with dangerouslyAllowBrowser: true, and sends no User-Agent there', () => {
    const client = asInBrowser(() => clientFor(API, { dangerouslyAllowBrowser: true }));
    expect(typeof client.listCheckpoints).toBe('function');
  });

  it('dangerouslyAllowBrowser must be a boolean', () => {
    expect(() => clientFor(API, { dangerouslyAllowBrowser: 'yes' as never })).toThrow(
      expect.objectContaining({ argument: 'options.dangerouslyAllowBrowser' }),
    );
  });

  it('outside a browser the option is not needed', () => {
    expect(() => clientFor(API)).not.toThrow();
  });
});
