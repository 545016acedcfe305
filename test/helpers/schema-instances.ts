/**
 * The harness of the generated-checks property test: instances of a JSON Schema (valid ones, and
 * mutated ones near them) as fast-check arbitraries, and the schemas ajv is given, relaxed by the
 * documented rule for optional fields (scripts/checks/compile.mjs, at the top).
 */
import fc from 'fast-check';

/** A JSON Schema node (OpenAPI 3.1), as parsed from YAML. */
export type Schema = boolean | { [keyword: string]: unknown };
type SchemaObject = { [keyword: string]: unknown };
/** The `components.schemas` of a spec. */
export type Components = Record<string, Schema>;

const REF = /^#\/components\/schemas\/(.+)$/;
const KEY = fc.stringMatching(/^[a-z_]{1,6}$/);
/** Values that sit close to what the spec's schemas accept, or just outside it. */
const NEAR_MISSES = [
  null,
  0,
  -1,
  1,
  1.5,
  2 ** 53,
  '',
  'x',
  'A',
  true,
  false,
  [],
  {},
  [null],
  { id: 'x' },
];

const asObject = (schema: Schema): SchemaObject =>
  schema === true || schema === false ? {} : schema;
const list = <T>(value: unknown): T[] => (value === undefined ? [] : ([value].flat() as T[]));
const refTarget = (components: Components, ref: unknown): Schema => {
  const name = REF.exec(String(ref))?.[1];
  if (name === undefined || !(name in components)) throw new Error(`cannot resolve ${String(ref)}`);
  return components[name]!;
};

/** Merges two object schemas for `allOf` (properties and required united, types intersected). */
function merge(a: SchemaObject, b: SchemaObject): SchemaObject {
  const merged: SchemaObject = { ...a, ...b };
  merged.properties = { ...(a.properties as object), ...(b.properties as object) };
  merged.required = [...list<string>(a.required), ...list<string>(b.required)];
  if (a.type !== undefined && b.type !== undefined) {
    merged.type = list<string>(a.type).filter((type) => list<string>(b.type).includes(type));
  }
  return merged;
}

/**
 * Valid instances of `schema`: every required field, optional ones at times, unknown fields at
 * times, each value within its type, enum and bounds; then through JSON, as the API sends them.
 */
export function validInstance(
  schema: Schema,
  components: Components,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > 60) throw new Error('schema too deep for the instance generator');
  const next = (child: Schema) => validInstance(child, components, depth + 1);
  if (schema === true || schema === false) return fc.jsonValue({ maxDepth: 1 });
  let node: SchemaObject = { ...schema };
  if (node.$ref !== undefined) {
    const { $ref, ...rest } = node;
    node = merge(asObject(refTarget(components, $ref)), rest);
    return next(node);
  }
  if (node.allOf !== undefined) {
    const { allOf, ...rest } = node;
    const parts = (allOf as Schema[]).map((part) => {
      const object = asObject(part);
      return object.$ref === undefined ? object : asObject(refTarget(components, object.$ref));
    });
    return next(parts.reduce(merge, rest));
  }
  const options = (node.anyOf ?? node.oneOf) as Schema[] | undefined;
  if (options) {
    const { anyOf, oneOf, ...rest } = node;
    return fc.oneof(...options.map((option) => next(merge(rest, asObject(option)))));
  }
  const values = node.const !== undefined ? [node.const] : (node.enum as unknown[] | undefined);
  if (values) {
    const types = list<string>(node.type);
    const fitting = values.filter(
      (value) =>
        types.length === 0 ||
        types.some((type) =>
          type === 'integer'
            ? Number.isInteger(value)
            : type === 'null'
              ? value === null
              : typeof value === type,
        ),
    );
    return fc.constantFrom(...(fitting.length ? fitting : values));
  }
  let types = list<string>(node.type);
  if (types.length === 0) {
    types = node.properties || node.required || node.additionalProperties ? ['object'] : [];
    if (node.items) types = ['array'];
  }
  if (types.length === 0) return fc.jsonValue({ maxDepth: 1 });
  return fc.oneof(...types.map((type) => ofType(type, node, next)));
}

function ofType(
  type: string,
  node: SchemaObject,
  next: (schema: Schema) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const number = (key: string) => node[key] as number | undefined;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const exclusiveMin = number('exclusiveMinimum');
      const exclusiveMax = number('exclusiveMaximum');
      const min = Math.max(
        Math.ceil(number('minimum') ?? -1e6),
        exclusiveMin === undefined ? -1e6 : Math.floor(exclusiveMin) + 1,
      );
      const max = Math.min(
        Math.floor(number('maximum') ?? 1e6),
        exclusiveMax === undefined ? 1e6 : Math.ceil(exclusiveMax) - 1,
      );
      return fc.integer({ min, max });
    }
    case 'number': {
      const min = number('minimum') ?? number('exclusiveMinimum') ?? -1e6;
      const max = number('maximum') ?? number('exclusiveMaximum') ?? 1e6;
      return fc.double({
        min,
        max,
        minExcluded: number('exclusiveMinimum') !== undefined,
        maxExcluded: number('exclusiveMaximum') !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
    }
    case 'string': {
      const minLength = number('minLength') ?? 0;
      const maxLength = number('maxLength') ?? 12;
      const text =
        typeof node.pattern === 'string'
          ? fc.stringMatching(new RegExp(node.pattern as string, 'u'))
          : fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
      return text.filter(
        (value) => [...value].length >= minLength && [...value].length <= maxLength,
      );
    }
    case 'array': {
      const minLength = number('minItems') ?? 0;
      const maxLength = Math.min(number('maxItems') ?? minLength + 3, minLength + 3);
      return fc.array(next((node.items as Schema | undefined) ?? true), { minLength, maxLength });
    }
    default: {
      const properties = (node.properties ?? {}) as Record<string, Schema>;
      const required = list<string>(node.required);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const name of new Set([...Object.keys(properties), ...required])) {
        model[name] = next(properties[name] ?? true);
      }
      const extra = node.additionalProperties;
      const others =
        typeof extra === 'object' && extra !== null
          ? fc.dictionary(KEY, next(extra as Schema), { maxKeys: 3 })
          : fc.dictionary(KEY, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
      return fc.tuple(fc.record(model, { requiredKeys: required }), others).map(([named, rest]) => {
        const object: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(rest)) if (!(key in model)) object[key] = value;
        return Object.assign(object, named);
      });
    }
  }
}

type Edit = {
  pick: number;
  kind: 'replace' | 'delete' | 'add' | 'null';
  key: string;
  value: unknown;
};

/** Every place in a JSON value, as the keys from the top (the top itself is `[]`). */
function places(value: unknown, path: string[] = [], found: string[][] = []): string[][] {
  found.push(path);
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value))
      places((value as Record<string, unknown>)[key], [...path, key], found);
  }
  return found;
}

function applyEdit(value: unknown, edit: Edit): unknown {
  // A copy: the near misses are shared constants, and an edit may insert into what it inserted.
  const inserted = structuredClone(edit.value);
  const all = places(value);
  const path = all[edit.pick % all.length]!;
  if (path.length === 0) {
    if (edit.kind === 'replace' || edit.kind === 'null')
      return edit.kind === 'null' ? null : inserted;
  }
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], value);
  const key = path[path.length - 1]!;
  const target = path.length === 0 ? value : parent[key];
  switch (edit.kind) {
    case 'replace':
      parent[key] = inserted;
      break;
    case 'null':
      parent[key] = null;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else if (path.length > 0) delete parent[key];
      break;
    case 'add':
      if (Array.isArray(target)) target.push(inserted);
      else if (typeof target === 'object' && target !== null)
        (target as Record<string, unknown>)[edit.key] = inserted;
      break;
  }
  return value;
}

/**
 * Instances near `valid` ones: one to three edits (a value replaced, set to null, a field or item
 * deleted or added), with values from `nearMisses` (the spec's own enum values, say), a fixed set
 * of usual suspects, and any JSON; `keys` are the field names edits add.
 */
export function mutatedInstance(
  valid: fc.Arbitrary<unknown>,
  keys: readonly string[],
  nearMisses: readonly unknown[],
): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    fc.constantFrom(...NEAR_MISSES, ...nearMisses),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const edit = fc.record({
    pick: fc.nat(),
    kind: fc.constantFrom('replace', 'delete', 'add', 'null') as fc.Arbitrary<Edit['kind']>,
    key: fc.constantFrom(...keys, 'unknown_field'),
    value,
  });
  return fc
    .tuple(valid, fc.array(edit, { minLength: 1, maxLength: 3 }))
    .map(([instance, edits]) =>
      JSON.parse(JSON.stringify(edits.reduce(applyEdit, structuredClone(instance)) ?? null)),
    );
}

/** Every property name and enum value in `schemas`: the vocabulary of mutations. */
export function vocabulary(schemas: unknown): { keys: string[]; values: unknown[] } {
  const keys = new Set<string>();
  const values = new Set<unknown>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const object = node as SchemaObject;
      for (const key of Object.keys((object.properties as object | undefined) ?? {})) keys.add(key);
      for (const value of list(object.enum)) values.add(value);
      if (object.const !== undefined) values.add(object.const);
      Object.values(object).forEach(walk);
    }
  };
  walk(schemas);
  return { keys: [...keys].sort(), values: [...values] };
}

/**
 * `schema` as ajv is to check it, relaxed by the documented rule (and nothing else):
 * - `delivery`: a property the object does not require accepts anything (it is not checked);
 *   `whole`: it may also be null;
 * - `additionalProperties: false` is dropped (fields a schema does not name are allowed);
 * - `oneOf` is `anyOf`;
 * - `$ref`s point into the document `spec` that ajv holds the relaxed components in.
 * `format` is left to ajv's `validateFormats: false`.
 */
export function relaxed(schema: Schema, mode: 'delivery' | 'whole'): Schema {
  if (typeof schema === 'boolean') return schema;
  const node: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    switch (keyword) {
      case '$ref':
        node.$ref = `spec${String(value)}`;
        break;
      case 'properties': {
        const required = new Set(list<string>(schema.required));
        node.properties = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([name, property]) => [
            name,
            required.has(name)
              ? relaxed(property, mode)
              : mode === 'delivery'
                ? true
                : { anyOf: [relaxed(property, mode), { type: 'null' }] },
          ]),
        );
        break;
      }
      case 'additionalProperties':
        if (value !== false) node.additionalProperties = relaxed(value as Schema, mode);
        break;
      case 'items':
        node.items = relaxed(value as Schema, mode);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        node[keyword === 'oneOf' ? 'anyOf' : keyword] = (value as Schema[]).map((option) =>
          relaxed(option, mode),
        );
        break;
      default:
        node[keyword] = value;
    }
  }
  if (schema.anyOf && schema.oneOf) {
    node.allOf = [
      ...((node.allOf as Schema[]) ?? []),
      { anyOf: (schema.oneOf as Schema[]).map((o) => relaxed(o, mode)) },
    ];
    node.anyOf = (schema.anyOf as Schema[]).map((option) => relaxed(option, mode));
  }
  return node;
}
