// Where the upstream sync keeps its configuration, its vendored extract and its lock file, and how
// it reads them. The paths are relative to a project root, so tests can run on a temporary copy.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of the sync, relative to the project root. */
export const SYNC_FILES = {
  /** What to extract and from where: edited by maintainers. */
  config: 'openapi/upstream/sync.json',
  /** Where the vendored extract came from, and its sha256: written by `npm run sync:upstream`. */
  lock: 'openapi/upstream/lock.json',
  /** The vendored extract: exactly what the sync produced from the full upstream document. */
  extract: 'openapi/upstream/checkpoints.yaml',
  /** The project's additions to the extract, an OpenAPI Overlay 1.0 document. */
  overlay: 'openapi/checkpoints.overlay.yaml',
  /** The fragment the pipeline lints and generates from: extract + overlay, built, never edited. */
  fragment: 'openapi/checkpoints.yaml',
};

/** A one-line, user-facing failure of the sync: the CLI prints its message and exits 1. */
export class SyncError extends Error {
  name = 'SyncError';
}

/**
 * Reads `openapi/upstream/sync.json`: `{ source: { repository, branch, path }, operations,
 * keepSchemas }`. Checked here, because every later step trusts its shape.
 */
export async function readSyncConfig(root) {
  const file = join(root, SYNC_FILES.config);
  const config = JSON.parse(await readFile(file, 'utf8'));
  const { source, operations, keepSchemas = [] } = config;
  const isName = (value) => typeof value === 'string' && value.length > 0;
  if (!source || ![source.repository, source.branch, source.path].every(isName)) {
    throw new SyncError(`${SYNC_FILES.config}: source needs repository, branch and path`);
  }
  if (!Array.isArray(operations) || operations.length === 0 || !operations.every(isName)) {
    throw new SyncError(`${SYNC_FILES.config}: operations must list at least one operationId`);
  }
  if (!Array.isArray(keepSchemas) || !keepSchemas.every(isName)) {
    throw new SyncError(`${SYNC_FILES.config}: keepSchemas must be a list of schema names`);
  }
  return { source, operations, keepSchemas };
}

/** Reads a project file, or `undefined` when it does not exist (a first sync has no lock yet). */
export async function readOptional(root, relativePath) {
  try {
    return await readFile(join(root, relativePath), 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}
