// Shared by the scripts that test the built package: build dist/ with tsup when it is missing or
// older than its sources, so they always test the code as it is now.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under `path` (a file or a directory tree), in ms. */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds dist/ unless every file of `outputs` (names under dist/) exists and is newer than src/
 * and tsup.config.ts. Returns `{ built }`, or `{ error }` with tsup's output when it failed.
 */
export function ensureDist(root, outputs) {
  const files = outputs.map((name) => join(root, 'dist', name));
  const missing = files.some((file) => !existsSync(file));
  const builtAt = missing ? 0 : Math.min(...files.map((file) => statSync(file).mtimeMs));
  const sourcesAt = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'tsup.config.ts')),
  );
  if (!missing && builtAt >= sourcesAt) return { built: false };
  // The local binary, not `npx tsup`: npx may try the network when node_modules is incomplete.
  const build = spawnSync(join(root, 'node_modules', '.bin', 'tsup'), [], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status === 0) return { built: true };
  const output = (build.stderr || build.stdout || String(build.error)).trim().split('\n');
  return { error: `tsup exit ${build.status ?? build.signal}: ${output.slice(-15).join('\n')}` };
}
