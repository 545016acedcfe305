/**
 * The package version for `--version`, read at run time from the package's own package.json, so
 * it can never disagree with what npm installed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'fine-tuning-checkpoints';

/**
 * Walks up from `startDir` to the nearest package.json named `fine-tuning-checkpoints` and returns
 * its version. Walking up (rather than a fixed `../../package.json`) works from src/cli/ under
 * tests and from dist/ however the bundler lays files out; checking the name skips nested
 * package.json files, e.g. a `{"type": "module"}` one in dist/.
 *
 * @returns the version, or `undefined` when no such package.json is found.
 */
export function findPackageVersion(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    const version = versionIn(join(dir, 'package.json'));
    if (version !== undefined) return version;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function versionIn(file: string): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof pkg !== 'object' || pkg === null) return undefined;
    const { name, version } = pkg as { name?: unknown; version?: unknown };
    return name === PACKAGE_NAME && typeof version === 'string' ? version : undefined;
  } catch {
    // Missing or unreadable: keep walking up.
    return undefined;
  }
}

/** This package's version, or `'unknown'` if its package.json cannot be found. */
export function packageVersion(): string {
  return findPackageVersion(dirname(moduleFile())) ?? 'unknown';
}

/**
 * The file this code runs from (dist/cli.js once built). A CommonJS build has no
 * `import.meta.url` (bundlers leave it undefined): then the script path Node was started with.
 */
export function moduleFile(): string {
  const url: string | undefined = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) return fileURLToPath(url);
  return process.argv[1] ?? process.cwd();
}
