// The JSON Schema keywords the checks generator understands, and the loud refusal of any other.
// A keyword silently ignored would be a check silently missing, so the generator stops on any
// keyword it neither checks nor knows to be documentation.

/** Keywords the generated checks enforce. */
export const CHECKED_KEYWORDS = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
]);

/**
 * Keywords that change nothing a check could enforce: documentation and hints. `format` is a
 * hint too (JSON Schema 2020-12 makes it an annotation by default; `unixtime` is OpenAI's own),
 * and so is OpenAPI's `discriminator` (the `oneOf` it sits beside is checked).
 */
const ANNOTATION_KEYWORDS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'format',
  'deprecated',
  'readOnly',
  'writeOnly',
  'discriminator',
  'externalDocs',
  'xml',
  '$comment',
  'contentMediaType',
  'contentEncoding',
]);

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/** Why a keyword the generator does not know is refused, for the ones upstream is known to use. */
const HINTS = {
  nullable:
    'an OpenAPI 3.0 keyword: write `type: [<type>, "null"]` or `anyOf: [..., {type: "null"}]`',
  min_items: 'a misspelling of `minItems`',
  max_items: 'a misspelling of `maxItems`',
  optional: 'not a JSON Schema keyword: leave the property out of `required`',
};

/** Whether `keyword` is documentation or a vendor extension (`x-…`): read by no check. */
export function isAnnotation(keyword) {
  return ANNOTATION_KEYWORDS.has(keyword) || keyword.startsWith('x-');
}

/** The error for a schema the generator cannot turn into a check: it names where and why. */
export function schemaError(where, problem) {
  return new Error(`checks generator: ${where}: ${problem}`);
}

const isNonNegativeInteger = (value) => Number.isInteger(value) && value >= 0;

/** What each checked keyword's value must be, or a word on what it must be. */
const VALUE_RULES = {
  type: (value) =>
    (typeof value === 'string' ? [value] : Array.isArray(value) ? value : [undefined]).every(
      (type) => JSON_TYPES.has(type),
    ) || 'one of string, number, integer, boolean, null, object, array, or a list of them',
  enum: (value) =>
    (Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => item === null || typeof item !== 'object')) ||
    'a non-empty list of strings, numbers, booleans or null',
  const: (value) =>
    value === null || typeof value !== 'object' || 'a string, number, boolean or null',
  properties: (value) => isSchemaMap(value) || 'an object of schemas',
  required: (value) =>
    (Array.isArray(value) && value.every((name) => typeof name === 'string')) ||
    'a list of property names',
  additionalProperties: (value) => isSchema(value) || 'a schema or a boolean',
  items: (value) => isSchema(value) || 'a schema (tuples are not supported)',
  anyOf: (value) => isSchemaList(value) || 'a non-empty list of schemas',
  oneOf: (value) => isSchemaList(value) || 'a non-empty list of schemas',
  allOf: (value) => isSchemaList(value) || 'a non-empty list of schemas',
  minimum: (value) => Number.isFinite(value) || 'a number',
  maximum: (value) => Number.isFinite(value) || 'a number',
  exclusiveMinimum: (value) =>
    Number.isFinite(value) ||
    'a number (OpenAPI 3.0 wrote a boolean beside `minimum`: write `exclusiveMinimum: <bound>`)',
  exclusiveMaximum: (value) =>
    Number.isFinite(value) ||
    'a number (OpenAPI 3.0 wrote a boolean beside `maximum`: write `exclusiveMaximum: <bound>`)',
  minLength: (value) => isNonNegativeInteger(value) || 'a non-negative integer',
  maxLength: (value) => isNonNegativeInteger(value) || 'a non-negative integer',
  minItems: (value) => isNonNegativeInteger(value) || 'a non-negative integer',
  maxItems: (value) => isNonNegativeInteger(value) || 'a non-negative integer',
  pattern: (value) => {
    if (typeof value !== 'string') return 'a regular expression';
    try {
      new RegExp(value, 'u');
      return true;
    } catch (error) {
      return `a regular expression valid with the u flag (${error.message})`;
    }
  },
  $ref: (value) =>
    (typeof value === 'string' && /^#\/components\/schemas\/[^/]+$/.test(value)) ||
    'a local `#/components/schemas/<name>` reference',
};

function isSchema(value) {
  return (
    typeof value === 'boolean' ||
    (typeof value === 'object' && value !== null && !Array.isArray(value))
  );
}
function isSchemaMap(value) {
  return isSchema(value) && typeof value === 'object' && Object.values(value).every(isSchema);
}
function isSchemaList(value) {
  return Array.isArray(value) && value.length > 0 && value.every(isSchema);
}

/**
 * Throws {@link schemaError} when `schema` (one node, not its children) holds a keyword the
 * generator neither checks nor ignores, or a checked keyword with a value it cannot check.
 * `where` names the node, e.g. `components.schemas.FineTuningJob.properties.error`.
 */
export function assertSupported(schema, where) {
  if (schema === true) return;
  if (schema === false)
    throw schemaError(where, '`false` (a schema no value fits) is not supported');
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw schemaError(where, 'a schema must be an object or a boolean');
  }
  for (const [keyword, value] of Object.entries(schema)) {
    if (isAnnotation(keyword)) continue;
    if (!CHECKED_KEYWORDS.has(keyword)) {
      const hint = HINTS[keyword] ? ` (${HINTS[keyword]})` : '';
      throw schemaError(where, `unsupported keyword \`${keyword}\`${hint}`);
    }
    const verdict = VALUE_RULES[keyword](value);
    if (verdict !== true) throw schemaError(where, `\`${keyword}\` must be ${verdict}`);
  }
}
