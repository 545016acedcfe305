// The library entries must do no work while importing, bundled as Workers load them: no signals,
// controllers, timers, random values or I/O at module scope. Cloudflare Workers refuse such a
// module outright (miniflare and the Workers vitest pool enforce it; `npm run test:runtimes` runs
// the package there), so a regression here would break every Workers user. This is the cheap
// check that runs with `npm test`: each entry is bundled from src/ with its dependencies and
// evaluated in a fresh context where every such API, every `node:` builtin and `process` record
// and refuse any use. (test/module-scope.test.ts, from issue 10, checks the src/ imports and
// client creation under vitest's own loader.)
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Globals whose use at module scope is work: calling, constructing or reading a member. */
const TRAPPED_GLOBALS = [
  'AbortController',
  'AbortSignal',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'fetch',
  'Request',
  'Response',
  'Headers',
  'crypto',
  'performance',
  'process',
] as const;

/**
 * A stand-in that records `name` on any call, construction or member read and throws, as
 * workerd does. Its members are stand-ins too, so `process.env.X` is caught as `process.env`.
 */
function trap(name: string, used: string[]): unknown {
  const refuse = (what: string): never => {
    used.push(what);
    throw new Error(`${what} used at module scope`);
  };
  return new Proxy(function trapped() {}, {
    apply: () => refuse(`${name}()`),
    construct: () => refuse(`new ${name}()`),
    get: (_target, property) =>
      // Reading a module's own metadata (as bundlers' interop helpers do) is not work.
      property === '__esModule' || typeof property === 'symbol'
        ? undefined
        : refuse(`${name}.${property}`),
  });
}

/** Evaluates CommonJS `code` with every trapped API; returns its exports and what it used. */
function evaluate(code: string): { exports: Record<string, unknown>; used: string[] } {
  const used: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const sandbox: Record<string, unknown> = {
    module,
    exports: module.exports,
    // node: builtins (the mock's node:http) load, but any use of them at module scope is caught.
    require: (id: string) =>
      id.startsWith('node:') ? trap(id, used) : createRequire(import.meta.url)(id),
  };
  for (const name of TRAPPED_GLOBALS) sandbox[name] = trap(name, used);
  try {
    runInNewContext(
      `Math.random = () => { throw new Error('Math.random() at module scope'); };\n${code}`,
      sandbox,
    );
  } catch (error) {
    if (used.length === 0) used.push(String(error));
  }
  return { exports: module.exports, used };
}

/** Bundles one entry of src/ (dependencies included, node: builtins left to `require`). */
async function bundleEntry(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    external: ['node:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('no work at module scope', () => {
  it('the harness catches it (a module that makes a controller while loading)', () => {
    const { used } = evaluate('const never = new AbortController().signal; exports.never = never;');
    expect(used).toEqual(['new AbortController()']);
  });

  for (const [entry, exported] of [
    ['src/index.ts', 'createCheckpointsClient'],
    ['src/mock/index.ts', 'createMockServer'],
  ] as const) {
    it(`${entry} loads without touching timers, signals, fetch, random, process or node:`, async () => {
      const { exports, used } = evaluate(await bundleEntry(entry));
      expect(used, `work done while loading ${entry}: make it lazy`).toEqual([]);
      expect(typeof exports[exported]).toBe('function');
    });
  }
});
