// The checks compiler: JSON Schemas (OpenAPI 3.1) → TypeScript finder functions, one straight-line
// function per schema node, written out as source text. Nothing of a schema survives to run
// time: a check is comparisons, calls to the finders of its children and a few tiny helpers
// (scripts/checks/runtime.mjs).
//
// THE RULE FOR OPTIONAL FIELDS (docs/design.md: "optional fields are not held against an item: a
// null metric must not cost a whole listing"), applied here and nowhere else:
// - delivery mode (`check<Schema>`): an object's required fields are checked, to any depth; a
//   field the schema does not require is not checked at all (present, null or anything else);
// - whole mode (`check<Schema>Whole`, for data shown or served whole): fields not required are
//   checked too, when present and not null;
// - in both, fields a schema does not name are allowed (the API may add fields), so
//   `additionalProperties: false` is not enforced, while an `additionalProperties` schema (a map)
//   checks every entry not named in `properties`;
// - a `oneOf` is checked as an `anyOf`: a value that fits more than one option is not refused
//   (upstream's unions overlap, an integer is also a number, and with the rule above two options
//   that differ only in optional fields both fit);
// - `format` is documentation (see keywords.mjs), as in JSON Schema 2020-12.
// test/generated-checks.property.test.ts holds the generated checks to ajv on the same schemas,
// relaxed by exactly these points.
import { assertSupported, isAnnotation, schemaError } from './keywords.mjs';

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

/** The name of the component schema a `$ref` points at (`undefined` for any other `$ref`). */
export function refName(ref) {
  return typeof ref === 'string' ? SCHEMA_REF.exec(ref)?.[1] : undefined;
}

/** A JSON Pointer token. */
export function pointerToken(key) {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `name` as (the tail of) a TypeScript identifier. */
export function identifier(name) {
  const safe = String(name).replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

/** The keywords of `schema` that a check reads (annotations left out). */
function checkedKeys(schema) {
  return schema === true ? [] : Object.keys(schema).filter((key) => !isAnnotation(key));
}

/** Whether every value fits `schema` (`true`, `{}`, annotations only, or nothing that binds). */
export function acceptsAnything(schema) {
  if (schema === true) return true;
  if (typeof schema !== 'object' || schema === null) return false;
  return checkedKeys(schema).every((key) => {
    const value = schema[key];
    switch (key) {
      case 'required':
        return value.length === 0;
      case 'properties':
        return Object.values(value).every(acceptsAnything);
      case 'items':
        return acceptsAnything(value);
      case 'additionalProperties':
        // `false` is not enforced: fields a schema does not name are allowed (see the top).
        return value === false || acceptsAnything(value);
      default:
        return false;
    }
  });
}

/** Whether `schema` is a bare `$ref` (annotations aside). */
function isBareRef(schema) {
  const keys = checkedKeys(schema);
  return keys.length === 1 && keys[0] === '$ref';
}

const TYPE_TESTS = {
  string: "typeof v === 'string'",
  integer: 'Number.isInteger(v)',
  number: 'Number.isFinite(v)',
  boolean: "typeof v === 'boolean'",
  null: 'v === null',
  object: 'isObject(v)',
  array: 'Array.isArray(v)',
};

/** The JSON Schema types of a schema, or `undefined` when it names none. */
function typesOf(schema) {
  return schema === true || schema.type === undefined ? undefined : [schema.type].flat();
}

/** The one type a value of `schema` is known to have once its own condition held, if any. */
function narrowedType(schema) {
  const types = typesOf(schema);
  return types?.length === 1 && schema.enum === undefined && schema.const === undefined
    ? types[0]
    : undefined;
}

/** The family of a JSON value that a constraint keyword applies to (`integer` is a number). */
function familyOf(value) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Whether a constant fits a JSON Schema type. */
function fitsType(value, type) {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array' || type === 'null' || type === 'object') return familyOf(value) === type;
  return typeof value === type;
}

/** How many code points a string has: what JSON Schema's lengths count (as ajv does). */
function codePointLength(text) {
  return [...text].length;
}

const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const COMPARISONS = {
  minimum: ['>=', (value, limit) => value >= limit],
  maximum: ['<=', (value, limit) => value <= limit],
  exclusiveMinimum: ['>', (value, limit) => value > limit],
  exclusiveMaximum: ['<', (value, limit) => value < limit],
};

/**
 * The constraints of `schema` on numbers, strings and arrays, each as `{ family, test, code,
 * text }`: `test` decides a constant at generation time, `code` is the TypeScript condition (on a
 * `v` already known to be of the family), `text` the words of the message.
 */
function constraintsOf(schema) {
  const found = [];
  for (const [keyword, [operator, compare]] of Object.entries(COMPARISONS)) {
    const limit = schema[keyword];
    if (limit === undefined) continue;
    found.push({
      family: 'number',
      test: (value) => compare(value, limit),
      code: `(v as number) ${operator} ${limit}`,
      text: `${operator} ${limit}`,
    });
  }
  const { minLength, maxLength, pattern, minItems, maxItems } = schema;
  const add = (family, limit, test, code, text) => {
    if (limit !== undefined) found.push({ family, test, code, text });
  };
  add(
    'string',
    minLength,
    (value) => codePointLength(value) >= minLength,
    `codePoints(v) >= ${minLength}`,
    `of at least ${plural(minLength, 'character')}`,
  );
  add(
    'string',
    maxLength,
    (value) => codePointLength(value) <= maxLength,
    `codePoints(v) <= ${maxLength}`,
    `of at most ${plural(maxLength, 'character')}`,
  );
  add(
    'string',
    pattern,
    (value) => new RegExp(pattern, 'u').test(value),
    `new RegExp(${JSON.stringify(pattern)}, 'u').test(v)`,
    `matching /${pattern}/`,
  );
  add(
    'array',
    minItems,
    (value) => value.length >= minItems,
    `v.length >= ${minItems}`,
    `of at least ${plural(minItems, 'item')}`,
  );
  add(
    'array',
    maxItems,
    (value) => value.length <= maxItems,
    `v.length <= ${maxItems}`,
    `of at most ${plural(maxItems, 'item')}`,
  );
  return found;
}

const FAMILY_OF_TYPE = { number: 'number', integer: 'number', string: 'string', array: 'array' };
const FAMILY_GUARD = {
  number: "typeof v !== 'number'",
  string: "typeof v !== 'string'",
  array: '!Array.isArray(v)',
};

/** Whether a constant fits the type and constraints of `schema` (its `enum` aside). */
function constantFits(value, schema, constraints) {
  const types = typesOf(schema);
  if (types && !types.some((type) => fitsType(value, type))) return false;
  const family = familyOf(value);
  return constraints.every((constraint) => constraint.family !== family || constraint.test(value));
}

/**
 * What `schema` asks of a value itself, its own keywords only (not its fields, items or
 * options): `{ cond, texts }`, the TypeScript condition on `v` (`undefined` when every value
 * passes) and the alternatives a message names after "expected".
 */
function ownCondition(schema) {
  if (schema === true) return { cond: undefined, texts: ['anything'] };
  const types = typesOf(schema);
  const constraints = constraintsOf(schema);
  const values =
    schema.const !== undefined
      ? [schema.const].filter((value) => schema.enum === undefined || schema.enum.includes(value))
      : schema.enum;
  if (values) {
    // An enum names its values: their type and constraints are decided now, on each constant.
    const allowed = values.filter((value) => constantFits(value, schema, constraints));
    return allowed.length
      ? {
          cond: allowed.map((value) => `v === ${JSON.stringify(value)}`).join(' || '),
          texts: allowed.map((value) => JSON.stringify(value)),
        }
      : { cond: 'false', texts: ['nothing (no value of its enum fits its type)'] };
  }
  if (types) {
    const options = types.map((type) => {
      const own = constraints.filter((constraint) => constraint.family === FAMILY_OF_TYPE[type]);
      return {
        cond: [TYPE_TESTS[type], ...own.map((constraint) => constraint.code)].join(' && '),
        text: [type, own.map((constraint) => constraint.text).join(' and ')].join(' ').trim(),
      };
    });
    return {
      cond: options
        .map((option) => (types.length > 1 ? `(${option.cond})` : option.cond))
        .join(' || '),
      texts: dedupe(options.map((option) => option.text)),
    };
  }
  if (constraints.length === 0) return { cond: undefined, texts: ['anything'] };
  // No type: each constraint holds only for values of its family (JSON Schema's rule).
  const families = dedupe(constraints.map((constraint) => constraint.family));
  const ofFamily = (family) => constraints.filter((constraint) => constraint.family === family);
  return {
    cond: families
      .map((family) => {
        const codes = ofFamily(family).map((constraint) => constraint.code);
        return `(${FAMILY_GUARD[family]} || (${codes.join(' && ')}))`;
      })
      .join(' && '),
    texts: [
      `anything, but a ${families
        .map(
          (family) =>
            `${family} ${ofFamily(family)
              .map((c) => c.text)
              .join(' and ')}`,
        )
        .join(', a ')}`,
    ],
  };
}

function dedupe(list) {
  return [...new Set(list)];
}

/** The message of a problem, as the array literal a finder returns (one per failure). */
function problemLiteral(texts) {
  return `[${JSON.stringify(`expected ${dedupe(texts).join(' or ')}`)}]`;
}

/**
 * Turns the component schemas of one spec into finder functions. `components` are the spec's
 * `components.schemas`; `where` names the spec in error messages.
 *
 * Every schema node becomes a `const <id>: Finder = (v) => …` definition (identical ones are
 * written once); component `Name` gets `_Name` (delivery) and, when its whole check differs,
 * `_Name$whole`.
 */
export function createCompiler(components, where) {
  const definitions = []; // { id, code }, in the order written
  const idByCode = new Map();
  const taken = new Set();
  const componentIds = new Map();
  const usedHelpers = new Set();
  const wholeCache = new Map();

  const component = (name, at) => {
    if (!Object.hasOwn(components, name)) {
      throw schemaError(`${where}#${at}`, `\`$ref\` to an unknown schema ${name}`);
    }
    return components[name];
  };

  /** The schema behind a chain of bare `$ref`s (a cycle of nothing but them is refused). */
  const resolve = (schema, at) => {
    const seen = new Set();
    while (schema !== true && isBareRef(schema)) {
      const name = refName(schema.$ref);
      if (seen.has(name)) throw schemaError(`${where}#${at}`, `\`$ref\` cycle through ${name}`);
      seen.add(name);
      schema = component(name, at);
    }
    return schema;
  };

  const reserve = (wanted) => {
    let id = wanted;
    for (let n = 2; taken.has(id); n++) id = `${wanted}$${n}`;
    taken.add(id);
    return id;
  };

  /** Notes the runtime helpers `code` calls. */
  const noteHelpers = (code) => {
    for (const helper of ['isObject', 'required', 'optional', 'items', 'entries', 'codePoints']) {
      if (new RegExp(`\\b${helper}\\(`).test(code)) usedHelpers.add(helper);
    }
  };

  /** The id of a finder with source `code`: an existing one with the same source, or a new one. */
  const define = (name, code) => {
    const known = idByCode.get(code);
    if (known) return known;
    const id = reserve(`_${name}`);
    idByCode.set(code, id);
    noteHelpers(code);
    definitions.push({ id, code });
    return id;
  };

  /**
   * `{ cond, texts }` when all `schema` asks in `mode` can be decided on the value alone (its
   * type, enum, bounds; options made of such), so that it can be one condition; else `undefined`.
   */
  const localCondition = (schema, at, mode, seen = new Set()) => {
    if (schema === true) return ownCondition(true);
    if (isBareRef(schema)) {
      const name = refName(schema.$ref);
      if (seen.has(name)) return undefined;
      return localCondition(component(name, at), at, mode, new Set([...seen, name]));
    }
    const keys = checkedKeys(schema);
    if (keys.includes('$ref') || keys.includes('allOf')) return undefined;
    if (keys.includes('anyOf') && keys.includes('oneOf')) return undefined;
    // Fields not required bind only in whole mode (the rule for optional fields, at the top).
    const binding = ['required', 'additionalProperties', 'items', mode === 'whole' && 'properties'];
    for (const key of binding) {
      if (keys.includes(key) && !acceptsAnything({ [key]: schema[key] })) return undefined;
    }
    const options = schema.anyOf ?? schema.oneOf;
    if (!options) return ownCondition(schema);
    // Its own keywords beside options would need a message of their own: not one condition.
    if (ownCondition(withoutOptions(schema)).cond !== undefined) return undefined;
    const conditions = options.map((option) => localCondition(option, at, mode, seen));
    if (conditions.some((condition) => condition === undefined)) return undefined;
    if (conditions.some((condition) => condition.cond === undefined)) return ownCondition(true);
    return {
      cond: conditions.map((condition) => `(${condition.cond})`).join(' || '),
      texts: dedupe(conditions.flatMap((condition) => condition.texts)),
    };
  };

  /** What a message says is expected of a value of any schema, when options all failed. */
  const expectedTexts = (schema, at, mode, seen = new Set()) => {
    const local = localCondition(schema, at, mode);
    if (local) return local.texts;
    if (isBareRef(schema)) {
      const name = refName(schema.$ref);
      if (seen.has(name)) return [name];
      return expectedTexts(component(name, at), at, mode, new Set([...seen, name]));
    }
    if (schema.type !== undefined || schema.enum !== undefined || schema.const !== undefined) {
      return ownCondition(schema).texts;
    }
    const options = schema.anyOf ?? schema.oneOf;
    if (options) return dedupe(options.flatMap((option) => expectedTexts(option, at, mode, seen)));
    if (schema.$ref) return expectedTexts({ $ref: schema.$ref }, at, mode, seen);
    if (schema.allOf) return expectedTexts(schema.allOf[0], at, mode, seen);
    if (schema.properties || schema.required || schema.additionalProperties) return ['object'];
    return schema.items ? ['array'] : ['anything'];
  };

  /** Whether the whole check of component `name` differs from its delivery check. */
  const needsWhole = (name) => {
    if (wholeCache.has(name)) return wholeCache.get(name);
    const reached = new Set([name]);
    const queue = [name];
    let differs = false;
    while (queue.length > 0 && !differs) {
      walkNode(components[queue.shift()], (node) => {
        if (typeof node.$ref === 'string') {
          const target = refName(node.$ref);
          if (!reached.has(target) && Object.hasOwn(components, target)) {
            reached.add(target);
            queue.push(target);
          }
        }
        const required = new Set(node.required ?? []);
        const optional = Object.entries(node.properties ?? {}).filter(
          ([key, property]) => !required.has(key) && !acceptsAnything(property),
        );
        if (optional.length > 0) differs = true;
      });
    }
    wholeCache.set(name, differs);
    return differs;
  };

  /** The finder id of component `name` in `mode`, compiling it on first use. */
  const componentFinder = (name, mode, at) => {
    const schema = component(name, at);
    const effective = mode === 'whole' && needsWhole(name) ? 'whole' : 'delivery';
    const key = `${effective}:${name}`;
    if (componentIds.has(key)) return componentIds.get(key);
    const hint = `${identifier(name)}${effective === 'whole' ? '$whole' : ''}`;
    const id = reserve(`_${hint}`);
    componentIds.set(key, id); // before its body: schemas may refer to each other
    const node = compileNode(schema, `/components/schemas/${pointerToken(name)}`, hint, effective);
    // Not shared with inline schemas by its source: `_FineTuneDPOHyperparameters` for any object
    // would misname the check in the output.
    const code = node.id ? `(v) => ${node.id}(v)` : node.code;
    noteHelpers(code);
    definitions.push({ id, code });
    return id;
  };

  /** The finder id for `schema` (at JSON Pointer `at`), named after `hint` if it is new. */
  const finder = (schema, at, hint, mode) => {
    const node = compileNode(schema, at, hint, mode);
    return node.id ?? define(node.name ?? hint, node.code);
  };

  /**
   * `schema` compiled: `{ id }` for an existing finder (a component's), else `{ code, name? }`,
   * the source of an arrow function and a name better than the hint, if there is one.
   */
  const compileNode = (schema, at, hint, mode) => {
    assertSupported(schema, `${where}#${at}`);
    if (isBareRef(schema)) return { id: componentFinder(refName(schema.$ref), mode, at) };
    const local = localCondition(schema, at, mode);
    if (local) {
      if (local.cond === undefined) return { id: define('any', '() => undefined') };
      const text = local.texts.join(' or ');
      return {
        code: `(v) => (${local.cond} ? undefined : ${problemLiteral(local.texts)})`,
        // `_string`, `_stringOrNull`: a leaf is named by what it expects, where it can be.
        name: /^[a-z ]+$/.test(text)
          ? text.replace(/ ([a-z])/g, (_, c) => c.toUpperCase())
          : undefined,
      };
    }
    const parts = [];
    if (schema.$ref) parts.push(`${componentFinder(refName(schema.$ref), mode, at)}(v)`);
    (schema.allOf ?? []).forEach((option, index) => {
      parts.push(`${finder(option, `${at}/allOf/${index}`, `${hint}_allOf${index}`, mode)}(v)`);
    });
    for (const keyword of ['anyOf', 'oneOf']) {
      if (schema[keyword]) parts.push(optionsCode(schema[keyword], `${at}/${keyword}`, hint, mode));
    }
    const own = ownCondition(withoutOptions(schema));
    const narrowed = narrowedType(schema);
    const fields = fieldsCode(schema, at, hint, mode);
    if (fields.length > 0) {
      const code = fields.join(' ?? ');
      parts.push(narrowed === 'object' ? code : `(isObject(v) ? ${code} : undefined)`);
    }
    let name;
    if (schema.items !== undefined && !acceptsAnything(schema.items)) {
      const itemsId = finder(schema.items, `${at}/items`, `${hint}_items`, mode);
      const code = `items(v, ${itemsId})`;
      parts.push(narrowed === 'array' ? code : `(Array.isArray(v) ? ${code} : undefined)`);
      // A plain list is named by its items (`_stringList`), as it is shared by every such list.
      if (parts.length === 1 && own.cond === TYPE_TESTS.array) name = `${itemsId.slice(1)}List`;
    }
    const rest = parts.length > 0 ? parts.join(' ?? ') : 'undefined';
    return {
      name,
      code:
        own.cond === undefined
          ? `(v) => ${rest}`
          : `(v) => (${own.cond} ? ${rest} : ${problemLiteral(own.texts)})`,
    };
  };

  /** The checks of an object's fields, by the rule for optional fields (see the top). */
  const fieldsCode = (schema, at, hint, mode) => {
    const properties = schema.properties ?? {};
    const required = dedupe(schema.required ?? []);
    const field = (name) => {
      const property = Object.hasOwn(properties, name) ? properties[name] : true;
      return finder(
        property,
        `${at}/properties/${pointerToken(name)}`,
        `${hint}_${identifier(name)}`,
        mode,
      );
    };
    const parts = required.map((name) => `required(v, ${JSON.stringify(name)}, ${field(name)})`);
    if (mode === 'whole') {
      for (const [name, property] of Object.entries(properties)) {
        if (required.includes(name) || acceptsAnything(property)) continue;
        parts.push(`optional(v, ${JSON.stringify(name)}, ${field(name)})`);
      }
    }
    const extra = schema.additionalProperties;
    if (extra !== undefined && extra !== false && !acceptsAnything(extra)) {
      const id = finder(extra, `${at}/additionalProperties`, `${hint}_entries`, mode);
      parts.push(`entries(v, ${JSON.stringify(Object.keys(properties))}, ${id})`);
    }
    return parts;
  };

  /**
   * The check of `anyOf`/`oneOf` options (a `oneOf` as an `anyOf`, see the top): the options
   * decided on the value alone are one condition; when one structured option is left and the
   * value has its container type, that option's own problem is the message (`error.code`:
   * missing), else the message names the options.
   */
  const optionsCode = (options, at, hint, mode) => {
    const conditions = [];
    const structured = [];
    options.forEach((option, index) => {
      const condition = localCondition(option, `${at}/${index}`, mode);
      if (condition) conditions.push(condition);
      else structured.push(finder(option, `${at}/${index}`, `${hint}_${index}`, mode));
    });
    if (conditions.some((condition) => condition.cond === undefined)) return 'undefined';
    const problem = problemLiteral(
      options.flatMap((option, index) => expectedTexts(option, `${at}/${index}`, mode)),
    );
    const lone = options.filter((option) => !localCondition(option, at, mode));
    const loneType = structured.length === 1 ? narrowedType(resolve(lone[0], at)) : undefined;
    const gate = loneType === 'object' || loneType === 'array' ? TYPE_TESTS[loneType] : undefined;
    const failing = gate
      ? `${gate} ? ${structured[0]}(v) : ${problem}`
      : structured.length > 0
        ? `${structured.map((id) => `${id}(v)`).join(' && ')} ? ${problem} : undefined`
        : problem;
    const fits = conditions.map((condition) => `(${condition.cond})`).join(' || ');
    return fits ? `(${fits} ? undefined : ${failing})` : `(${failing})`;
  };

  return {
    /** The finder id of component `name` in `mode` (`'delivery'` or `'whole'`). */
    component: (name, mode) =>
      componentFinder(name, mode, `/components/schemas/${pointerToken(name)}`),
    /** The finder id of an inline schema at JSON Pointer `at`, named after `hint` if it is new. */
    inline: finder,
    needsWhole,
    /** Every definition so far, in order, and the runtime helpers they call. */
    output: () => ({ definitions: [...definitions], helpers: [...usedHelpers] }),
  };
}

/** `schema` without its `anyOf`/`oneOf`, to read its own keywords. */
function withoutOptions(schema) {
  if (schema === true) return true;
  const { anyOf, oneOf, ...rest } = schema;
  return rest;
}

/**
 * Throws, naming the node (`where` + JSON Pointer) and the keyword, when `schema` or a schema
 * nested in it holds a keyword the generator neither checks nor knows to be documentation
 * (see keywords.mjs). Run on everything before compiling, so that a keyword is refused even where
 * a check would fold its node into a condition.
 */
export function assertCheckable(schema, where, at) {
  assertSupported(schema, `${where}#${at}`);
  if (schema === true) return;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    assertCheckable(property, where, `${at}/properties/${pointerToken(name)}`);
  }
  if (schema.items !== undefined) assertCheckable(schema.items, where, `${at}/items`);
  // `additionalProperties: false` is allowed, and not enforced (see the rule at the top).
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    assertCheckable(extra, where, `${at}/additionalProperties`);
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    (schema[keyword] ?? []).forEach((option, index) =>
      assertCheckable(option, where, `${at}/${keyword}/${index}`),
    );
  }
}

/**
 * Calls `visit` on `schema` and every schema nested in it through the keywords the checks read
 * (not through `$ref`).
 */
export function walkNode(schema, visit) {
  if (typeof schema !== 'object' || schema === null) return;
  visit(schema);
  for (const property of Object.values(schema.properties ?? {})) walkNode(property, visit);
  for (const keyword of ['items', 'additionalProperties']) walkNode(schema[keyword], visit);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'])
    for (const option of schema[keyword] ?? []) walkNode(option, visit);
}
