// What a consumer ships: an entry file bundled with everything it imports, minified with esbuild,
// then gzipped at level 9. Exported for a size-budget test, e.g.
//   const { gzipped } = await measureBundle(`import {...} from '../dist/index.js'; ...`, testDir);
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The esbuild settings of a consumer's bundle (also used by bench/bundle-attribution.mjs). */
export const bundleOptions = {
  bundle: true,
  minify: true,
  treeShaking: true,
  format: 'esm',
  // platform node: both packages target Node's global fetch; node: built-ins stay external.
  platform: 'node',
  target: 'node20',
  write: false,
  logLevel: 'silent',
  legalComments: 'none',
};

/** Bytes of `entryCode` (ESM; imports resolved from `resolveDir`) bundled + minified, and gzipped. */
export async function measureBundle(entryCode, resolveDir) {
  const result = await build({
    stdin: { contents: entryCode, resolveDir, sourcefile: 'bench-entry.mjs', loader: 'js' },
    ...bundleOptions,
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
