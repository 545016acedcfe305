// Upstream's document says `openapi: 3.1.0` but still carries OpenAPI 3.0 forms that Redocly's
// lint, openapi-typescript and the generated checks read differently or reject. The extraction
// rewrites them into their OpenAPI 3.1 (JSON Schema 2020-12) equivalents. Each rewrite accepts
// what upstream's schema accepts, but two on purpose: null joins a nullable `enum`, and a
// misspelt keyword takes effect (docs/maintainers.md lists the rules, and
// test/upstream-normalise.test.ts tests each):
//
// - `nullable`: `nullable: true` becomes a type union with "null" (and null joins an `enum`), or
//   `anyOf: [<schema>, { type: 'null' }]` when there is no `type`; `nullable: false` goes.
// - `exclusive-bound`: boolean `exclusiveMinimum`/`exclusiveMaximum` become 3.1's numbers
//   (`minimum: 0, exclusiveMinimum: true` → `exclusiveMinimum: 0`); `false` goes.
// - `misspelt-keyword`: snake_case spellings of JSON Schema keywords (`min_items`) become the
//   keyword (`minItems`). An array keyword written on an array's `items` moves to the array, the
//   only place where it means anything.
// - `single-alternative`: a `oneOf`/`anyOf` of one schema is that schema (`allOf` of one when the
//   node says more); lint rejects the one-member form.
// - `free-form-object`: `type: object` with nothing about its properties gets
//   `additionalProperties: true`, which JSON Schema assumes anyway and which openapi-typescript
//   types as `{ [key: string]: unknown }` instead of `Record<string, never>`.
//
// Only schema positions are rewritten (a property may well be called `nullable` or `min_items`);
// examples and `x-` extensions are data and stay as upstream wrote them.
import { METHODS } from './plugin.mjs';

/** The snake_case spellings upstream has been seen to use, and the keyword each one means. */
const MISSPELT_KEYWORDS = {
  min_items: 'minItems',
  max_items: 'maxItems',
  unique_items: 'uniqueItems',
  min_length: 'minLength',
  max_length: 'maxLength',
  min_properties: 'minProperties',
  max_properties: 'maxProperties',
  multiple_of: 'multipleOf',
  additional_properties: 'additionalProperties',
  pattern_properties: 'patternProperties',
  read_only: 'readOnly',
  write_only: 'writeOnly',
};
/** Keywords that only constrain arrays: written on an array's `items`, they belong to the array. */
const ARRAY_KEYWORDS = new Set(['minItems', 'maxItems', 'uniqueItems']);

/** Keywords whose value is a map of schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
/** Keywords whose value is one schema. */
const SCHEMA_VALUES = [
  'additionalProperties',
  'items',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords that say something about an object's properties: an object with one is not free-form. */
const PROPERTY_KEYWORDS = [
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'allOf',
  'anyOf',
  'oneOf',
  '$ref',
  'not',
  'if',
];
/** Keywords that only annotate: they stay on a node whose assertions move into an `anyOf`. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  '$comment',
]);

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const typesOf = (schema) =>
  Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
const escape = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/** Whether a schema accepts null by its own `type`, `enum` or `const`. */
function admitsNull(schema) {
  if (!isObject(schema)) return schema === true;
  return (
    typesOf(schema).includes('null') ||
    (Array.isArray(schema.enum) && schema.enum.includes(null)) ||
    schema.const === null
  );
}

/**
 * The rewrites of one schema node (not its subschemas). `parent` is the array whose `items` the
 * node is, if it is one. Returns the node to use in its place, and pushes a note per rewrite.
 */
function normaliseNode(node, at, parent, note) {
  let schema = node;
  for (const [misspelt, keyword] of Object.entries(MISSPELT_KEYWORDS)) {
    if (!(misspelt in schema)) continue;
    const value = schema[misspelt];
    delete schema[misspelt];
    const movesUp =
      ARRAY_KEYWORDS.has(keyword) && parent !== undefined && !typesOf(schema).includes('array');
    const target = movesUp ? parent : schema;
    if (!(keyword in target)) target[keyword] = value;
    note('misspelt-keyword', at, `${misspelt} → ${keyword}${movesUp ? ' (on the array)' : ''}`);
  }

  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (typeof schema[bound] !== 'boolean') continue;
    const exclusive = schema[bound];
    delete schema[bound];
    if (exclusive && typeof schema[limit] === 'number') {
      schema[bound] = schema[limit];
      delete schema[limit];
      note(
        'exclusive-bound',
        at,
        `${limit}: ${schema[bound]}, ${bound}: true → ${bound}: ${schema[bound]}`,
      );
    } else {
      note('exclusive-bound', at, `${bound}: ${exclusive} without effect → removed`);
    }
  }

  if ('nullable' in schema) schema = normaliseNullable(schema, at, note);

  for (const keyword of ['oneOf', 'anyOf']) {
    const list = schema[keyword];
    if (!Array.isArray(list) || list.length !== 1 || schema.discriminator !== undefined) continue;
    const [only] = list;
    if (Object.keys(schema).length === 1 && isObject(only)) {
      schema = only;
      note('single-alternative', at, `${keyword} of one schema → that schema`);
    } else if (!('allOf' in schema)) {
      delete schema[keyword];
      schema.allOf = [only];
      note('single-alternative', at, `${keyword} of one schema → allOf of it`);
    }
  }

  const types = typesOf(schema);
  const isFreeForm =
    types.includes('object') &&
    PROPERTY_KEYWORDS.every(
      (k) => !(k in schema) || (k === 'properties' && Object.keys(schema[k] ?? {}).length === 0),
    );
  if (isFreeForm) {
    delete schema.properties;
    schema.additionalProperties = true;
    note('free-form-object', at, 'additionalProperties: true');
  }
  return schema;
}

/** `nullable` as OpenAPI 3.1 says it: null is one more type, or one more alternative. */
function normaliseNullable(schema, at, note) {
  const { nullable, ...rest } = schema;
  if (nullable !== true) {
    note('nullable', at, `nullable: ${JSON.stringify(nullable)} → removed`);
    return rest;
  }
  if (rest.type !== undefined) {
    const types = typesOf(rest);
    if (!types.includes('null')) rest.type = [...types, 'null'];
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null];
    note('nullable', at, `nullable: true → type: [${rest.type.join(', ')}]`);
    return rest;
  }
  for (const keyword of ['anyOf', 'oneOf']) {
    if (!Array.isArray(rest[keyword])) continue;
    if (!rest[keyword].some(admitsNull)) rest[keyword] = [...rest[keyword], { type: 'null' }];
    note('nullable', at, `nullable: true → ${keyword} with { type: null }`);
    return rest;
  }
  const assertions = Object.entries(rest).filter(
    ([key]) => !ANNOTATIONS.has(key) && !key.startsWith('x-'),
  );
  if (assertions.length === 0) {
    note('nullable', at, 'nullable: true on a schema that accepts anything → removed');
    return rest;
  }
  const annotations = Object.fromEntries(
    Object.entries(rest).filter(([key]) => ANNOTATIONS.has(key) || key.startsWith('x-')),
  );
  note('nullable', at, 'nullable: true → anyOf: [<schema>, { type: null }]');
  return { anyOf: [Object.fromEntries(assertions), { type: 'null' }], ...annotations };
}

/** Normalises `schema` and every subschema; returns the node to use in its place. */
function normaliseSchema(schema, at, note, parent) {
  if (!isObject(schema)) return schema;
  // Subschemas first: a misspelt array keyword on `items` moves up to this node before it is read.
  for (const keyword of SCHEMA_MAPS) {
    if (!isObject(schema[keyword])) continue;
    for (const [name, sub] of Object.entries(schema[keyword])) {
      schema[keyword][name] = normaliseSchema(sub, `${at}/${keyword}/${escape(name)}`, note);
    }
  }
  for (const keyword of SCHEMA_VALUES) {
    if (!isObject(schema[keyword])) continue;
    const isItems = keyword === 'items';
    schema[keyword] = normaliseSchema(
      schema[keyword],
      `${at}/${keyword}`,
      note,
      isItems ? schema : undefined,
    );
  }
  for (const keyword of SCHEMA_LISTS) {
    if (!Array.isArray(schema[keyword])) continue;
    schema[keyword] = schema[keyword].map((sub, i) =>
      normaliseSchema(sub, `${at}/${keyword}/${i}`, note),
    );
  }
  return normaliseNode(schema, at, parent, note);
}

/** A parameter or header: its `schema`, or the schemas of its `content`. */
function normaliseCarrier(carrier, at, note) {
  if (!isObject(carrier)) return;
  if (isObject(carrier.schema))
    carrier.schema = normaliseSchema(carrier.schema, `${at}/schema`, note);
  normaliseContent(carrier.content, `${at}/content`, note);
}

function normaliseContent(content, at, note) {
  if (!isObject(content)) return;
  for (const [media, object] of Object.entries(content)) {
    normaliseCarrier(object, `${at}/${escape(media)}`, note);
  }
}

function normaliseResponse(response, at, note) {
  if (!isObject(response)) return;
  normaliseContent(response.content, `${at}/content`, note);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    normaliseCarrier(header, `${at}/headers/${escape(name)}`, note);
  }
}

/**
 * Rewrites upstream's OpenAPI 3.0 forms in `document` (a parsed OpenAPI document) into OpenAPI
 * 3.1, without changing what any schema accepts. Pure: returns a normalised copy and one note
 * `{ rule, at, change }` per rewrite (`at` a JSON pointer into the document), in document order.
 */
export function normaliseDocument(document) {
  const doc = structuredClone(document);
  const notes = [];
  const note = (rule, at, change) => notes.push({ rule, at: `#${at}`, change });
  const components = isObject(doc.components) ? doc.components : {};
  for (const [name, schema] of Object.entries(components.schemas ?? {})) {
    components.schemas[name] = normaliseSchema(schema, `/components/schemas/${escape(name)}`, note);
  }
  for (const kind of ['parameters', 'headers']) {
    for (const [name, carrier] of Object.entries(components[kind] ?? {})) {
      normaliseCarrier(carrier, `/components/${kind}/${escape(name)}`, note);
    }
  }
  for (const [name, response] of Object.entries(components.responses ?? {})) {
    normaliseResponse(response, `/components/responses/${escape(name)}`, note);
  }
  for (const [name, body] of Object.entries(components.requestBodies ?? {})) {
    normaliseContent(body?.content, `/components/requestBodies/${escape(name)}/content`, note);
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    const itemAt = `/paths/${escape(path)}`;
    (item.parameters ?? []).forEach((p, i) =>
      normaliseCarrier(p, `${itemAt}/parameters/${i}`, note),
    );
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const at = `${itemAt}/${method}`;
      (operation.parameters ?? []).forEach((p, i) =>
        normaliseCarrier(p, `${at}/parameters/${i}`, note),
      );
      normaliseContent(operation.requestBody?.content, `${at}/requestBody/content`, note);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        normaliseResponse(response, `${at}/responses/${escape(status)}`, note);
      }
    }
  }
  return { document: doc, notes };
}

/** The notes counted by rule, for the sync's one-line summary: `nullable 1, exclusive-bound 5`. */
export function summariseNotes(notes) {
  const counts = new Map();
  for (const { rule } of notes) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  return [...counts].map(([rule, count]) => `${rule} ${count}`).join(', ');
}
