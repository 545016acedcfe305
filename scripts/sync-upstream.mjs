#!/usr/bin/env node
// `npm run sync:upstream [-- --spec <path-or-url> [--commit <sha> --date <yyyy-mm-dd>]]`
//
// Extracts the configured operations (openapi/upstream/sync.json) from OpenAI's full OpenAPI
// document, and when the extract changed: writes it to openapi/upstream/checkpoints.yaml with
// its lock file, rebuilds the fragment (extract + openapi/checkpoints.overlay.yaml) and
// regenerates generated/. Prints each change rated by the versioning policy, then exactly one of
// `upstream: unchanged`, `upstream: changed (non-breaking)`, `upstream: changed (breaking)`.
//
// Without --spec it reads the configured repository at the newest commit of its branch that
// touched the document. --commit/--date say which upstream commit a --spec file is a copy of,
// for the lock. A document that cannot be read, is not OpenAPI 3.x or lacks an operation exits 1
// with a one-line reason, having written nothing. --root DIR runs on another copy (tests).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { regenerate, repoRoot } from './pipeline.mjs';
import { classifyChanges, verdict } from './upstream/classify.mjs';
import { SYNC_FILES, SyncError, readOptional, readSyncConfig } from './upstream/config.mjs';
import { extractOperations, parseOpenApi } from './upstream/extract.mjs';
import { lockText, makeLock, readLock, sha256 } from './upstream/lock.mjs';
import { readConfiguredSource, readSpecArgument } from './upstream/source.mjs';

/** Where the document comes from, and what the lock will say about it. */
async function readUpstream(options, config) {
  if (options.spec === undefined) {
    if (options.commit !== undefined || options.date !== undefined) {
      throw new SyncError('--commit and --date describe a --spec document: give --spec too');
    }
    return readConfiguredSource(config.source);
  }
  const { text, source } = await readSpecArgument(options.spec);
  if (options.commit === undefined) return { text, source };
  if (!/^[0-9a-f]{40}$/.test(options.commit))
    throw new SyncError('--commit needs a full 40-digit sha');
  if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
    throw new SyncError('--date needs the form yyyy-mm-dd');
  }
  const { repository, branch, path } = config.source;
  return {
    text,
    source: {
      ...source,
      repository,
      branch,
      path,
      commit: options.commit,
      ...(options.date && { date: options.date }),
    },
  };
}

function describeSource(source) {
  const upstream = source.commit
    ? `${source.repository}@${source.commit.slice(0, 7)}${source.date ? ` (${source.date})` : ''}`
    : '';
  return [source.spec, upstream].filter(Boolean).join(' = ');
}

async function sync(argv) {
  const { values: options } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      commit: { type: 'string' },
      date: { type: 'string' },
      root: { type: 'string' },
    },
    strict: true,
  });
  const root = options.root ?? repoRoot;
  const config = await readSyncConfig(root);
  const { text, source } = await readUpstream(options, config);
  const label = options.spec ?? `${config.source.repository}/${config.source.path}`;
  const { extract, yaml } = await extractOperations(text, { ...config, label });
  console.log(`source: ${describeSource(source)}`);

  // Everything is checked; from here on the sync may write.
  const [previousText, lock] = await Promise.all([
    readOptional(root, SYNC_FILES.extract),
    readLock(root),
  ]);
  const digest = sha256(yaml);
  console.log(`extract: ${config.operations.join(', ')}; sha256 ${digest.slice(0, 16)}`);
  if (previousText === yaml && lock?.extract?.sha256 === digest) {
    console.log('The extract is byte-identical to the vendored one: nothing written.');
    return verdict([], true);
  }
  const previous =
    previousText === undefined
      ? { paths: {} }
      : (await parseOpenApi(previousText, SYNC_FILES.extract)).parsed;
  const changes = classifyChanges(previous, extract);
  console.log(
    changes.length === 0
      ? 'changes: none in meaning (layout or key order only)'
      : `changes (${changes.length}):`,
  );
  for (const { bump, at, change } of changes) console.log(`  ${bump.padEnd(5)}  ${at}: ${change}`);

  await writeFile(join(root, SYNC_FILES.extract), yaml);
  const newLock = makeLock({
    source,
    operations: config.operations,
    keepSchemas: config.keepSchemas,
    extractText: yaml,
  });
  await writeFile(join(root, SYNC_FILES.lock), await lockText(newLock));
  console.log(`wrote ${SYNC_FILES.extract} and ${SYNC_FILES.lock}`);
  try {
    const { fragments, files } = await regenerate(root);
    console.log(
      `rebuilt ${fragments.map((f) => f.path).join(', ')}; regenerated ${files.length} file(s) in generated/`,
    );
  } catch (error) {
    // The new extract is written either way: the pull request and its failing tests show why.
    console.log(
      `warning: the fragment or generated/ could not be rebuilt: ${String(error.message).split('\n')[0]}`,
    );
  }
  return verdict(changes, false);
}

try {
  console.log(await sync(process.argv.slice(2)));
} catch (error) {
  const known = error instanceof SyncError || error.code?.startsWith?.('ERR_PARSE_ARGS');
  console.error(
    `sync:upstream failed: ${known ? error.message : String(error.stack ?? error).split('\n')[0]}`,
  );
  process.exit(1);
}
