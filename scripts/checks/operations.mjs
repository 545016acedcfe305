// The operations of a spec, as the checks generator sees them: for each, the body of its 2xx
// responses and the body of its error responses, and whether it is a cursor-paginated list.
import { refName, pointerToken } from './compile.mjs';
import { schemaError } from './keywords.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SUCCESS = /^2(\d\d|XX)$/i;
const ERROR = /^([45](\d\d|XX)|default)$/i;
const JSON_MEDIA = /^application\/(.+\+)?json(;|$)/i;

/** A response object behind its `$ref`s (`#/components/responses/<name>`). */
function resolveResponse(spec, response, where) {
  const seen = new Set();
  while (typeof response?.$ref === 'string') {
    const match = /^#\/components\/responses\/([^/]+)$/.exec(response.$ref);
    if (!match || seen.has(match[1]) || !spec.components?.responses?.[match[1]]) {
      throw schemaError(where, `cannot resolve response \`$ref\` ${response.$ref}`);
    }
    seen.add(match[1]);
    response = spec.components.responses[match[1]];
  }
  return response;
}

/**
 * The one JSON body schema of the responses of `operation` whose status matches `statuses`, as
 * `{ schema, at }` (`at` a JSON Pointer into the spec), or `undefined` when none has one.
 * Different bodies for the same class of status are refused: one check serves them all.
 */
function bodyOf(spec, operation, statuses, at, where) {
  const bodies = [];
  for (const [status, reply] of Object.entries(operation.responses ?? {})) {
    if (!statuses.test(status)) continue;
    const responseAt = `${at}/responses/${pointerToken(status)}`;
    const response = resolveResponse(spec, reply, `${where}#${responseAt}`);
    for (const [media, content] of Object.entries(response?.content ?? {})) {
      if (!JSON_MEDIA.test(media) || content?.schema === undefined) continue;
      bodies.push({
        schema: content.schema,
        // Where the schema is written: a referenced response's own place, or inline here.
        at:
          typeof reply.$ref === 'string'
            ? `${reply.$ref.slice(1)}/content/${pointerToken(media)}/schema`
            : `${responseAt}/content/${pointerToken(media)}/schema`,
      });
    }
  }
  const distinct = new Set(bodies.map((body) => JSON.stringify(body.schema)));
  if (distinct.size > 1) {
    throw schemaError(
      `${where}#${at}`,
      `responses of the same class (${statuses.source}) have ${distinct.size} different JSON bodies; the checks generator needs one`,
    );
  }
  return bodies[0];
}

/** A schema behind its bare `$ref`s (annotations aside), for reading an envelope's shape. */
function resolveSchema(spec, schema) {
  const seen = new Set();
  while (typeof schema?.$ref === 'string' && !seen.has(schema.$ref)) {
    seen.add(schema.$ref);
    const name = refName(schema.$ref);
    if (name === undefined) return undefined; // refused, by name, when the checks are compiled
    schema = spec.components?.schemas?.[name];
  }
  return schema;
}

/**
 * The list envelope of a 2xx body, when the body is a cursor-paginated list: an object with a
 * `data` array and a `has_more` field (the API's list envelope). `{ envelope, items, itemsAt }`:
 * the envelope's schema (its `$ref`s followed), the schema of one item, and where that is.
 */
function listEnvelope(spec, body) {
  const envelope = resolveSchema(spec, body.schema);
  const properties = envelope?.properties;
  if (!properties?.data || !properties.has_more) return undefined;
  const data = resolveSchema(spec, properties.data);
  if ([data?.type].flat().join() !== 'array' || data.items === undefined) return undefined;
  const dataAt =
    data === properties.data
      ? `${typeof body.schema.$ref === 'string' ? body.schema.$ref.slice(1) : body.at}/properties/data`
      : properties.data.$ref.slice(1);
  return { envelope, data, items: data.items, itemsAt: `${dataAt}/items` };
}

/**
 * Every operation of `spec` (paths only; webhooks are not called by a client), in the spec's
 * order: `{ operationId, path, method, success, error, list }`, where `success` and `error` are
 * `{ schema, at }` or `undefined`, and `list` is the envelope of a cursor-paginated list.
 */
export function operationsOf(spec, where) {
  const found = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const at = `/paths/${pointerToken(path)}/${method}`;
      if (typeof operation.operationId !== 'string' || operation.operationId === '') {
        throw schemaError(`${where}#${at}`, 'the operation has no operationId to name its checks');
      }
      const success = bodyOf(spec, operation, SUCCESS, at, where);
      found.push({
        operationId: operation.operationId,
        path,
        method,
        success,
        error: bodyOf(spec, operation, ERROR, at, where),
        list: success && listEnvelope(spec, success),
      });
    }
  }
  return found;
}
