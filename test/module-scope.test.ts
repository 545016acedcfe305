// Loading the package does no work: Cloudflare's workerd refuses I/O-like work at module scope
// (even `new AbortController()`, a timer or `fetch`), so importing either entry must create
// none of them. Checked by loading fresh copies of the entries while those globals throw.
import { afterEach, describe, expect, it, vi } from 'vitest';

const FORBIDDEN = [
  'AbortController',
  'AbortSignal',
  'setTimeout',
  'setInterval',
  'fetch',
  'Request',
  'Response',
  'Headers',
] as const;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

function forbidModuleScopeWork(): string[] {
  const touched: string[] = [];
  for (const name of FORBIDDEN) {
    const original = (globalThis as Record<string, unknown>)[name];
    const trap = new Proxy(original as object, {
      construct() {
        touched.push(`new ${name}`);
        throw new Error(`Disallowed operation called within global scope: new ${name}`);
      },
      apply() {
        touched.push(name);
        throw new Error(`Disallowed operation called within global scope: ${name}()`);
      },
      get(target, key, receiver) {
        if (key === 'timeout' || key === 'any' || key === 'abort')
          touched.push(`${name}.${String(key)}`);
        return Reflect.get(target, key, receiver);
      },
    });
    vi.stubGlobal(name, trap);
  }
  return touched;
}

describe('module scope', () => {
  it.each([
    ['fine-tuning-checkpoints', '../src/index.js'],
    ['fine-tuning-checkpoints/mock', '../src/mock/index.js'],
  ])('importing %s creates no controller, signal, timer or request', async (_entry, path) => {
    vi.resetModules();
    const touched = forbidModuleScopeWork();
    const module = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
    expect(Object.keys(module).length).toBeGreaterThan(3);
    expect(touched).toEqual([]);
  });

  it('the trap is not vacuous: module-scope work is seen', () => {
    const touched = forbidModuleScopeWork();
    expect(() => new AbortController()).toThrow(/global scope/);
    expect(() => setTimeout(() => {}, 1)).toThrow(/global scope/);
    expect(touched).toEqual(['new AbortController', 'setTimeout']);
  });

  it('creating a client does not need them either (it sends nothing)', async () => {
    vi.resetModules();
    const { createCheckpointsClient } = await import('../src/index.js');
    const touched = forbidModuleScopeWork();
    const client = createCheckpointsClient({
      apiKey: 'sk-test-module-scope',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    client.listCheckpoints('ftjob-1');
    expect(touched).toEqual([]);
  });
});
