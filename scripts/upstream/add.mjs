// `sync:upstream --add <operationId>`: what adding an operation changes besides the extract. Its
// operationId joins `operations` in sync.json, and the overlay gets what lint requires of it and
// upstream lacks: a description (a stub, which the sync names so that a maintainer rewrites it).
// Pure functions of file texts; the sync writes their results through its staging build.
import { parse, stringify } from 'yaml';
import { METHODS } from './plugin.mjs';
import { formatJson, formatYamlText } from './yaml.mjs';

/** The edit distance between two strings (Levenshtein), for "did you mean" suggestions. */
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** The `count` operationIds of `known` closest to `wanted` (case-insensitive edit distance). */
export function closestOperationIds(wanted, known, count = 3) {
  const target = wanted.toLowerCase();
  return [...new Set(known)]
    .map((id) => ({ id, cost: distance(target, id.toLowerCase()) }))
    .sort((a, b) => a.cost - b.cost || a.id.localeCompare(b.id))
    .slice(0, count)
    .map(({ id }) => id);
}

/** sync.json's text with `operationIds` appended to `operations`, formatted like the committed one. */
export async function configWithOperations(configText, operationIds) {
  const config = JSON.parse(configText);
  config.operations = [...config.operations, ...operationIds];
  return formatJson(config);
}

/** `{ path, method, operation }` of an operationId in a parsed document, or `undefined`. */
function findOperation(doc, operationId) {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      if (item?.[method]?.operationId === operationId)
        return { path, method, operation: item[method] };
    }
  }
  return undefined;
}

/**
 * The overlay's text with a description stub for each of `operationIds` that has no description
 * in `extract` (a parsed extract), which lint requires. The stub is upstream's summary when there
 * is one. Returns `{ text, stubs }`, `stubs` naming each operation given one (`GET /path`).
 * Appended as text, so that every comment and line of the overlay stays as it was.
 */
export async function overlayWithStubs(overlayText, extract, operationIds) {
  const actions = [];
  const stubs = [];
  for (const operationId of operationIds) {
    const found = findOperation(extract, operationId);
    if (found === undefined || typeof found.operation.description === 'string') continue;
    const { path, method, operation } = found;
    const summary = typeof operation.summary === 'string' ? operation.summary.trim() : '';
    actions.push({
      target: `$.paths['${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'].${method}`,
      description: `The description lint requires (a stub written by sync:upstream --add ${operationId}).`,
      update: { description: summary || `${method.toUpperCase()} ${path}.` },
    });
    stubs.push(`${method.toUpperCase()} ${path}`);
  }
  if (actions.length === 0) return { text: overlayText, stubs };
  if (Object.keys(parse(overlayText) ?? {}).at(-1) !== 'actions') {
    throw new Error('the overlay must end with its actions list for --add to append to it');
  }
  const comment = [
    '',
    '  # Added by `npm run sync:upstream -- --add`: upstream gives these operations no description,',
    '  # which lint requires. Replace each stub (upstream’s summary) with a real description.',
  ].join('\n');
  const list = stringify(actions, { lineWidth: 0 }).replace(/^/gm, '  ').trimEnd();
  const text = `${overlayText.trimEnd()}\n${comment}\n${list}\n`;
  // Formatted as the rest of openapi/ is (the overlay's own lines are already).
  return { text: await formatYamlText(text), stubs };
}
