import { defineConfig } from 'tsup';

// ESM for modern consumers, CommonJS twins for `require`, each with its own declaration file
// (`.d.ts` / `.d.cts`) so TypeScript picks the right module kind under every resolution mode.
export default defineConfig([
  {
    // redis-limiter: its own entry, so that rate-limiter-flexible (a peer dependency, external)
    // is loaded only by those who use it.
    entry: {
      index: 'src/index.ts',
      mock: 'src/mock/index.ts',
      'redis-limiter': 'src/redis-limiter.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    // 'node' only marks node: builtins external (the mock needs node:http); index uses none.
    platform: 'node',
    splitting: true,
    sourcemap: false,
    clean: true,
    treeshake: true,
    // Keep `node:` specifiers: Deno resolves only those, and they say what is a builtin.
    removeNodeProtocol: false,
  },
  {
    // The CLI is an executable, not an import target: ESM only, no declarations.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    clean: false,
    removeNodeProtocol: false,
    treeshake: true,
    // The terminal-width table is bundled in, so that the package's only runtime dependency
    // stays openapi-fetch (tsup would bundle a devDependency anyway; this says it on purpose).
    noExternal: ['get-east-asian-width'],
  },
]);
