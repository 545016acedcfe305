// openapi/upstream/lock.json: where the vendored extract came from and its sha256. Only what a
// re-sync of the same input reproduces goes in (no fetch time, no tool versions), so syncing the
// same document twice leaves it byte-identical.
import { createHash } from 'node:crypto';
import { SYNC_FILES, readOptional } from './config.mjs';
import { formatJson } from './yaml.mjs';

/** The sha256 of a text, hex. */
export function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The lock for an extract. `source` is `{ repository, branch, path, commit, date }` for a sync
 * from the configured repository, or `{ spec }` (the path or URL as given) for `--spec`.
 */
export function makeLock({ source, operations, keepSchemas, extractText }) {
  return {
    source,
    operations,
    keepSchemas,
    extract: { file: SYNC_FILES.extract, sha256: sha256(extractText) },
  };
}

/** The lock as the formatted JSON that is committed. */
export function lockText(lock) {
  return formatJson(lock);
}

/** The committed lock, or `undefined` before the first sync. */
export async function readLock(root) {
  const text = await readOptional(root, SYNC_FILES.lock);
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * Problems with the vendored extract against its lock: a missing lock, or an extract whose
 * sha256 is not the recorded one (a hand edit, lost at the next sync). Empty when all is well,
 * and when the project vendors no extract at all.
 */
export async function lockProblems(root) {
  const extract = await readOptional(root, SYNC_FILES.extract);
  if (extract === undefined) return [];
  const lock = await readLock(root);
  if (lock === undefined) return [`${SYNC_FILES.lock} is missing: run \`npm run sync:upstream\``];
  if (lock.extract?.sha256 !== sha256(extract)) {
    return [
      `${SYNC_FILES.extract} does not match the sha256 in ${SYNC_FILES.lock}: it was edited by ` +
        'hand (the next sync would lose the edit). Put additions in the overlay, or re-sync.',
    ];
  }
  return [];
}
