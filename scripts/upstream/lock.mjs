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
 * The lock for an extract. `source` is where the full document came from: `{ repository, branch,
 * path, commit, date }` for the configured repository (or a `--spec` copy given `--commit`),
 * `{ url }` for a `--spec` URL, `{}` for a local `--spec` file, whose path is never recorded.
 * The sha256 of the full document's text is added in every case.
 */
export function makeLock({ source, documentText, operations, keepSchemas, extractText }) {
  return {
    source: { ...source, sha256: sha256(documentText) },
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
 * Problems with the vendored extract against its lock: a missing lock, an extract whose sha256
 * is not the recorded one (a hand edit, lost at the next sync), or a sync.json that asks for
 * other operations or schemas than the extract holds (edited without a sync). Empty when all is
 * well, and when the project vendors no extract at all.
 */
export async function lockProblems(root) {
  const extract = await readOptional(root, SYNC_FILES.extract);
  if (extract === undefined) return [];
  const lock = await readLock(root);
  if (lock === undefined) return [`${SYNC_FILES.lock} is missing: run \`npm run sync:upstream\``];
  const problems = [];
  if (lock.extract?.sha256 !== sha256(extract)) {
    problems.push(
      `${SYNC_FILES.extract} does not match the sha256 in ${SYNC_FILES.lock}: it was edited by ` +
        'hand (the next sync would lose the edit). Put additions in the overlay, or re-sync.',
    );
  }
  const config = JSON.parse((await readOptional(root, SYNC_FILES.config)) ?? '{}');
  for (const key of ['operations', 'keepSchemas']) {
    if (JSON.stringify(config[key] ?? []) !== JSON.stringify(lock[key] ?? [])) {
      problems.push(
        `${SYNC_FILES.config} lists other ${key} than the extract was made with (${SYNC_FILES.lock}): ` +
          'run `npm run sync:upstream` (or `-- --add <operationId>` to add one)',
      );
    }
  }
  return problems;
}
