// The checks generator's output: from one spec, the source of `<name>.checks.ts` (a check for
// every component schema the operations' responses reach, their field names, and one const of
// checks per operation) and `<name>.operations.ts` (the path → method → checks table, apart, so
// that a bundle importing one operation's checks does not carry the table). Unformatted: the
// pipeline runs prettier over both.
import {
  assertCheckable,
  createCompiler,
  identifier,
  pointerToken,
  refName,
  walkNode,
} from './compile.mjs';
import { isAnnotation, schemaError } from './keywords.mjs';
import { operationsOf } from './operations.mjs';
import { RUNTIME_TYPES, runtimeSource } from './runtime.mjs';

/** The header of a checks module: what its checks do, and the rule for optional fields. */
const CHECKS_HEADER = `/**
 * Checks of the response bodies of each operation, written by the generator
 * (scripts/checks/) from the spec's schemas: no schema is read at run time.
 *
 * - \`check<Schema>\`: the rule for the data the package delivers. Required fields are checked,
 *   to any depth (type, enum, const, bounds, nested objects, arrays, maps, options); fields the
 *   schema does not require are not held against a value: a null metric must not cost a whole
 *   listing. Fields the schema does not name are allowed: the API may add fields.
 * - \`check<Schema>Whole\`: the same, and fields not required are checked too when present and
 *   not null (for data shown or served whole).
 * - A \`oneOf\` is checked as an \`anyOf\`; \`format\` is documentation.
 *
 * Each returns \`undefined\` when the value conforms, else its first problem:
 * \`\` \`data.1.created_at\`: expected integer \`\`, \`\` \`id\`: missing \`\`, \`the value: expected object\`.
 */
`;

/** The exported name of a component's check: `checkFineTuningJobCheckpoint`. */
function checkName(name) {
  const id = identifier(name);
  return `check${id[0].toUpperCase()}${id.slice(1)}`;
}

/** The component schemas `roots` reach through `$ref`, in the spec's order. */
export function reachableComponents(components, roots) {
  const reached = new Set();
  const visit = (schema) =>
    walkNode(schema, (node) => {
      const name = refName(node.$ref);
      if (name === undefined || reached.has(name) || !Object.hasOwn(components, name)) return;
      reached.add(name);
      visit(components[name]);
    });
  roots.forEach(visit);
  return Object.keys(components).filter((name) => reached.has(name));
}

/**
 * The object of `schema` whose field names are worth listing: the schema itself when it has
 * `properties`, or the one option with `properties` of a nullable `anyOf`/`oneOf`.
 */
function objectOf(schema) {
  if (typeof schema !== 'object' || schema === null) return undefined;
  if (schema.properties) return schema;
  const options = (schema.anyOf ?? schema.oneOf ?? []).filter((option) => option?.properties);
  return options.length === 1 ? options[0] : undefined;
}

/**
 * `fieldsOf<Name>` constants: the property names of each object, in the spec's order, and of
 * each inline object property below it (`fieldsOf<Name>_<property>`), to any depth.
 */
function fieldLists(name, schema) {
  const lists = [];
  const walk = (object, constName) => {
    lists.push(
      `/** The fields of \`${constName.slice('fieldsOf'.length).replaceAll('_', '.')}\`, in the spec's order. */\n` +
        `export const ${constName} = ${JSON.stringify(Object.keys(object.properties))} as const;`,
    );
    for (const [property, value] of Object.entries(object.properties)) {
      const nested = objectOf(value);
      if (nested) walk(nested, `${constName}_${identifier(property)}`);
    }
  };
  const object = objectOf(schema);
  if (object) walk(object, `fieldsOf${checkName(name).slice('check'.length)}`);
  return lists;
}

/**
 * The two sources generated from `spec` (an OpenAPI 3.1 document, parsed): `{ checks,
 * operations }`. `specName` names it in messages (`openapi/checkpoints.yaml`), `checksModule` is
 * how the operations module imports the checks (`./checkpoints.checks.js`), `banner` heads both.
 * Throws, naming the schema and the keyword, on any schema it cannot check.
 */
export function generateChecks(spec, { specName, checksModule, banner }) {
  const components = spec.components?.schemas ?? {};
  const operations = operationsOf(spec, specName);
  const bodies = operations.flatMap(({ success, error }) => [success, error].filter(Boolean));
  const names = reachableComponents(
    components,
    bodies.map((body) => body.schema),
  );
  for (const body of bodies) assertCheckable(body.schema, specName, body.at);
  for (const name of names) {
    assertCheckable(components[name], specName, `/components/schemas/${pointerToken(name)}`);
  }
  const compiler = createCompiler(components, specName);
  const exported = new Set();
  const exportName = (name, where) => {
    if (exported.has(name)) {
      throw schemaError(where, `two exports would be named ${name}; rename a schema or operation`);
    }
    exported.add(name);
    return name;
  };

  const checks = [];
  for (const name of names) compiler.component(name, 'delivery');
  for (const name of names) {
    const where = `${specName}#/components/schemas/${name}`;
    const check = exportName(checkName(name), where);
    const whole = exportName(`${check}Whole`, where);
    checks.push(
      `/** Checks a value against the spec's \`${name}\` schema, by the rule for delivered data. */\n` +
        `export const ${check}: Check = (value) => message(${compiler.component(name, 'delivery')}(value));`,
      `/** Checks a value against the spec's \`${name}\` schema, its fields not required too. */\n` +
        (compiler.needsWhole(name)
          ? `export const ${whole}: Check = (value) => message(${compiler.component(name, 'whole')}(value));`
          : `export const ${whole}: Check = ${check};`),
    );
  }
  const fields = names.flatMap((name) =>
    fieldLists(name, components[name]).map((source) => {
      exportName(/export const (\S+)/.exec(source)[1], `${specName}#/components/schemas/${name}`);
      return source;
    }),
  );

  /** A check of a body: the component's export for a bare `$ref`, else a finder made here. */
  const bodyCheck = (schema, at, hint, mode = 'delivery') => {
    const id = compiler.inline(schema, at, hint, mode); // for a bare `$ref`: its target is known
    const isBareRef =
      typeof schema.$ref === 'string' &&
      Object.keys(schema).every((key) => key === '$ref' || isAnnotation(key));
    return isBareRef
      ? checkName(refName(schema.$ref))
      : `(value: unknown) => message(${id}(value))`;
  };
  const perOperation = operations.map(({ operationId, path, method, success, error, list }) => {
    const where = `${specName}#/paths/${path}/${method}`;
    const constName = exportName(identifier(operationId), where);
    const entries = [];
    if (list) {
      // The page: the envelope with `data` required, as an array whose items are not looked at;
      // whole, because the pagination reads its optional fields (the cursors `first_id` and
      // `last_id`): a cursor of the wrong type must stop a listing, not steer it.
      const { envelope, data } = list;
      const { items, ...array } = data;
      const page = {
        ...envelope,
        properties: { ...envelope.properties, data: array },
        required: [...new Set([...(envelope.required ?? []), 'data'])],
      };
      entries.push(`page: ${bodyCheck(page, success.at, `${constName}$page`, 'whole')}`);
      entries.push(`item: ${bodyCheck(items, list.itemsAt, `${constName}$item`)}`);
    } else if (success) {
      entries.push(`body: ${bodyCheck(success.schema, success.at, `${constName}$body`)}`);
    }
    if (error) entries.push(`error: ${bodyCheck(error.schema, error.at, `${constName}$error`)}`);
    const type = list ? 'PageOperationChecks' : 'BodyOperationChecks';
    return {
      constName,
      path,
      method,
      source:
        `/** The checks of \`${operationId}\`: ${method.toUpperCase()} ${path}. */\n` +
        `export const ${constName} = { ${entries.join(', ')} } satisfies ${type};`,
    };
  });

  const { definitions, helpers } = compiler.output();
  const checksSource = [
    banner + CHECKS_HEADER,
    RUNTIME_TYPES,
    runtimeSource(helpers),
    '',
    ...definitions.map(({ id, code }) => `const ${id}: Finder = ${code};`),
    '',
    ...checks,
    ...fields,
    ...perOperation.map((operation) => operation.source),
    '',
  ].join('\n');

  const table = {};
  for (const { path, method, constName } of perOperation)
    (table[path] ??= []).push(`${method}: ${constName}`);
  const operationsSource = [
    banner.trimEnd(),
    '',
    `import { ${perOperation.map((operation) => operation.constName).join(', ')} } from '${checksModule}';`,
    '',
    `/** The checks of every operation of ${specName}, by path and method. */`,
    `export const operations = {`,
    ...Object.entries(table).map(
      ([path, methods]) => `${JSON.stringify(path)}: { ${methods.join(', ')} },`,
    ),
    `} as const;`,
    '',
  ].join('\n');
  return { checks: checksSource, operations: operationsSource };
}
