// The extract: the configured operations of OpenAI's full OpenAPI document and every component
// they reference, cut out with Redocly (filter-in + remove-unused-components + our small plugin),
// plus the schemas kept by name, with upstream's OpenAPI 3.0 forms normalised (normalise.mjs).
// Pure: the same document text gives byte-identical output.
import { METHODS, upstreamExtractPlugin } from './plugin.mjs';
import { SyncError } from './config.mjs';
import { normaliseDocument } from './normalise.mjs';
import { formatYaml } from './yaml.mjs';

/** The banner of the vendored extract (a YAML comment: the document itself is upstream's). */
const EXTRACT_BANNER = [
  '# Extracted by `npm run sync:upstream` from OpenAI’s OpenAPI document (see lock.json beside',
  '# this file for the source and openapi/upstream/sync.json for what is extracted).',
  '# DO NOT EDIT BY HAND: `npm run check:generated` fails when this file does not match lock.json.',
  '',
].join('\n');

/**
 * Parses `text` (YAML or JSON) and checks that it is an OpenAPI 3.x document. Throws a
 * {@link SyncError} naming `label` otherwise.
 */
export async function parseOpenApi(text, label) {
  const { makeDocumentFromString } = await import('@redocly/openapi-core');
  let document;
  try {
    document = makeDocumentFromString(text, '/upstream/openapi.yaml');
  } catch (error) {
    const reason = String(error.message).split('\n')[0];
    throw new SyncError(`${label} is not a readable YAML or JSON document: ${reason}`);
  }
  const version = document.parsed?.openapi;
  if (typeof version !== 'string' || !/^3\.\d+\.\d+$/.test(version)) {
    throw new SyncError(`${label} is not an OpenAPI 3.x document (no "openapi: 3.x.y" field)`);
  }
  return document;
}

/** Every operationId under `paths`, in document order. */
export function operationIds(doc) {
  const ids = [];
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const id = item?.[method]?.operationId;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}

/**
 * Cuts `operations` (operationIds) and what they reference out of a parsed full document (from
 * {@link parseOpenApi}; the bundler changes it in place), keeping the component schemas named in
 * `keepSchemas` even when no operation references them. Returns the cut as upstream wrote it,
 * before {@link normaliseDocument}.
 */
export async function cutOperations(document, { operations, keepSchemas, label }) {
  const { bundle, createConfig } = await import('@redocly/openapi-core');
  const fullSchemas = document.parsed.components?.schemas ?? {};
  const missingKept = keepSchemas.filter((name) => !(name in fullSchemas));
  if (missingKept.length > 0) {
    throw new SyncError(`${label} has no component schema ${missingKept.join(', ')} (keepSchemas)`);
  }
  // Copied before bundling: the bundler changes the document in place.
  const kept = Object.fromEntries(
    keepSchemas.map((name) => [name, structuredClone(fullSchemas[name])]),
  );
  const schemaOrder = Object.keys(fullSchemas);

  const config = await createConfig({
    plugins: [upstreamExtractPlugin],
    preprocessors: { 'upstream-extract/strip-unrelated': 'on' },
    decorators: {
      'filter-in': { property: 'operationId', value: operations },
      'remove-unused-components': 'on',
      'upstream-extract/remove-unused-tags': 'on',
    },
  });
  const { bundle: bundled } = await bundle({ doc: document, config });
  const extract = bundled.parsed;

  // filter-in answers an unknown operationId with empty paths and no error: catch it here.
  const found = new Set(operationIds(extract));
  const missing = operations.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new SyncError(
      `${label} has no operation ${missing.join(', ')} (renamed or removed upstream?)`,
    );
  }

  extract.components ??= {};
  const schemas = { ...extract.components.schemas, ...kept };
  extract.components.schemas = Object.fromEntries(
    schemaOrder.filter((name) => name in schemas).map((name) => [name, schemas[name]]),
  );
  return extract;
}

/**
 * The extract of a full document (its text, YAML or JSON, or a document from
 * {@link parseOpenApi}): {@link cutOperations}, then {@link normaliseDocument}. Returns the
 * extract as parsed data, as the formatted YAML that is vendored, and the normalisation notes.
 */
export async function extractOperations(source, { operations, keepSchemas, label }) {
  const { createConfig, lintFromString, getTotals } = await import('@redocly/openapi-core');
  const document = typeof source === 'string' ? await parseOpenApi(source, label) : source;
  const cut = await cutOperations(document, { operations, keepSchemas, label });
  const { document: extract, notes } = normaliseDocument(cut);

  const yaml = EXTRACT_BANNER + (await formatYaml(extract));
  // A kept schema can reference one that was removed: the extract must stand on its own.
  const lintConfig = await createConfig({ rules: { 'no-unresolved-refs': 'error' } });
  const problems = await lintFromString({
    source: yaml,
    absoluteRef: '/extract.yaml',
    config: lintConfig,
  });
  if (getTotals(problems).errors > 0) {
    throw new SyncError(
      `the extract has unresolved references: ${problems[0].message} (add the schema to keepSchemas)`,
    );
  }
  return { extract, yaml, notes };
}
