// runtimes/: the pinned runtimes and compilers that `npm run test:runtimes` and
// `npm run test:types` use, kept out of the package's own dependencies.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, tail } from './stage.mjs';

/**
 * Installs runtimes/ with `npm ci` unless its node_modules already matches the lock file, so
 * repeat runs skip the install (~1 GB: four Nodes, Bun, Deno, workerd, four TypeScripts).
 * Returns an error message, or undefined.
 */
export async function ensureRuntimes(root) {
  const dir = join(root, 'runtimes');
  const lockPath = join(dir, 'package-lock.json');
  if (!existsSync(lockPath)) return 'runtimes/package-lock.json is missing';
  // Kept inside node_modules: `npm ci` wipes it, so a stale stamp never outlives its install.
  const stamp = join(dir, 'node_modules', '.lock-sha256');
  // Platform and arch are part of the key: the lock is the same, the installed binaries are not.
  const hash = createHash('sha256')
    .update(readFileSync(lockPath))
    .update(`${process.platform}-${process.arch}`)
    .digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return undefined;
  console.log('installing runtimes (npm ci --prefix runtimes)...');
  const install = await runCommand(
    'npm',
    ['ci', '--prefix', dir, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: root, timeoutMs: 600_000 },
  );
  if (install.code !== 0) {
    return `npm ci --prefix runtimes failed (exit ${install.code ?? install.signal}): ${tail(install.stderr)}`;
  }
  writeFileSync(stamp, `${hash}\n`);
  return undefined;
}

/** The version runtimes/package-lock.json pins for `node_modules/<name>`, or undefined. */
export function lockedVersion(root, name) {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'runtimes', 'package-lock.json'), 'utf8'));
    return lock.packages?.[`node_modules/${name}`]?.version;
  } catch {
    return undefined;
  }
}
