#!/usr/bin/env node
// `npm run sync:upstream [-- --spec <path-or-url> [--commit <sha> --date <yyyy-mm-dd>]]`
// `npm run sync:upstream -- --add <operationId> [--add <operationId>…] [--spec …]`
//
// Extracts the configured operations (openapi/upstream/sync.json) from OpenAI's full OpenAPI
// document, normalising upstream's OpenAPI 3.0 forms, and when the extract changed: builds the
// changed project in a staging copy (extract, lock, fragment = extract + overlay, lint,
// generated/, type check). A clean build is written into the project; otherwise nothing is
// written and each conflict is printed on its own line (`conflict: <kind> <where>: <what>`).
// Prints each change rated by the versioning policy, then exactly one line:
//   upstream: unchanged | upstream: changed (non-breaking) | upstream: changed (breaking)  (exit 0)
//   upstream: changed (…), N conflict(s): nothing written                              (exit 2)
// A document that cannot be read, is not OpenAPI 3.x or lacks an operation exits 1 with a
// one-line reason, having written nothing.
//
// --add adds operationIds to sync.json (and a description stub to the overlay where upstream has
// none), then syncs as above. Without --spec the configured repository is read at the newest
// commit of its branch that touched the document; --commit/--date say which upstream commit a
// --spec file is a copy of, for the lock. --root DIR runs on another copy (tests).
import { parseArgs } from 'node:util';
import { repoRoot } from './pipeline.mjs';
import { closestOperationIds, configWithOperations, overlayWithStubs } from './upstream/add.mjs';
import { classifyChanges, verdict } from './upstream/classify.mjs';
import { SYNC_FILES, SyncError, readOptional, readSyncConfig } from './upstream/config.mjs';
import { extractOperations, operationIds, parseOpenApi } from './upstream/extract.mjs';
import { lockText, makeLock, readLock, sha256 } from './upstream/lock.mjs';
import { summariseNotes } from './upstream/normalise.mjs';
import { readConfiguredSource, readSpecArgument } from './upstream/source.mjs';
import { applyChanges, buildInStage, conflictLine } from './upstream/stage-build.mjs';

/** The exit code of a sync whose staged build has conflicts (1 is a sync that could not run). */
const CONFLICT_EXIT = 2;

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

function describeSource(spec, source, text) {
  const upstream = source.commit
    ? `${source.repository}@${source.commit.slice(0, 7)}${source.date ? ` (${source.date})` : ''}`
    : '';
  return `${[spec, upstream].filter(Boolean).join(' = ')}; sha256 ${sha256(text).slice(0, 16)}`;
}

/** The operationIds to add: each checked against the document, or a one-line failure. */
function operationsToAdd(wanted, config, document, label) {
  const known = operationIds(document.parsed);
  for (const id of wanted) {
    if (known.includes(id)) continue;
    throw new SyncError(
      `${label} has no operation ${id}; the closest are ${closestOperationIds(id, known).join(', ')}`,
    );
  }
  return [...new Set(wanted)].filter((id) => !config.operations.includes(id));
}

async function sync(argv) {
  const { values: options } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      commit: { type: 'string' },
      date: { type: 'string' },
      add: { type: 'string', multiple: true },
      root: { type: 'string' },
    },
    strict: true,
  });
  const root = options.root ?? repoRoot;
  const config = await readSyncConfig(root);
  const wanted = options.add ?? [];
  const configured = wanted.filter((id) => config.operations.includes(id));
  for (const id of configured) console.log(`${id} is already in ${SYNC_FILES.config}.`);
  if (wanted.length > 0 && configured.length === wanted.length) {
    return { line: 'Nothing to add: nothing changed.', code: 0 };
  }

  const { text, source } = await readUpstream(options, config);
  const label = options.spec ?? `${config.source.repository}/${config.source.path}`;
  const document = await parseOpenApi(text, label);
  const added = operationsToAdd(wanted, config, document, label);
  const operations = [...config.operations, ...added];
  const { extract, yaml, notes } = await extractOperations(document, {
    ...config,
    operations,
    label,
  });
  console.log(`source: ${describeSource(options.spec, source, text)}`);

  // Everything is checked; from here on the sync builds, in a staging copy.
  const [previousText, lock, configText, overlayText] = await Promise.all([
    readOptional(root, SYNC_FILES.extract),
    readLock(root),
    readOptional(root, SYNC_FILES.config),
    readOptional(root, SYNC_FILES.overlay),
  ]);
  const digest = sha256(yaml);
  console.log(`extract: ${operations.join(', ')}; sha256 ${digest.slice(0, 16)}`);
  if (notes.length > 0) {
    console.log(`normalised (docs/maintainers.md, "Normalisations"): ${summariseNotes(notes)}`);
  }
  if (previousText === yaml && lock?.extract?.sha256 === digest) {
    console.log('The extract is byte-identical to the vendored one: nothing written.');
    return { line: verdict([], true), code: 0 };
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

  const files = {
    [SYNC_FILES.extract]: yaml,
    [SYNC_FILES.lock]: await lockText(
      makeLock({
        source,
        documentText: text,
        operations,
        keepSchemas: config.keepSchemas,
        extractText: yaml,
      }),
    ),
  };
  if (added.length > 0) {
    files[SYNC_FILES.config] = await configWithOperations(configText, added);
    console.log(`added ${added.join(', ')} to ${SYNC_FILES.config}`);
    const { text: overlay, stubs } = await overlayWithStubs(overlayText ?? '', extract, added);
    if (stubs.length > 0) {
      files[SYNC_FILES.overlay] = overlay;
      for (const stub of stubs) {
        console.log(
          `overlay: a description stub for ${stub} (upstream has none; lint requires one): ` +
            `replace it with a real description in ${SYNC_FILES.overlay}`,
        );
      }
    }
  }

  const { conflicts, changes: written } = await buildInStage(root, files);
  if (conflicts.length > 0) {
    console.log(`The staged build has ${conflicts.length} conflict(s):`);
    for (const conflict of conflicts) console.log(conflictLine(conflict));
    return {
      line: `${verdict(changes, false)}, ${conflicts.length} conflict(s): nothing written`,
      code: CONFLICT_EXIT,
    };
  }
  await applyChanges(root, written);
  console.log(
    `built, linted, generated and type-checked in a staging copy; wrote ${written.length} file(s): ` +
      written.map((file) => file.path).join(', '),
  );
  return { line: verdict(changes, false), code: 0 };
}

try {
  const { line, code } = await sync(process.argv.slice(2));
  console.log(line);
  process.exitCode = code;
} catch (error) {
  const known = error instanceof SyncError || error.code?.startsWith?.('ERR_PARSE_ARGS');
  console.error(
    `sync:upstream failed: ${known ? error.message : String(error.stack ?? error).split('\n')[0]}`,
  );
  process.exit(1);
}
