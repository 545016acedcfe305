// The generated checks accept and refuse exactly what ajv does on the same schemas, relaxed by the
// documented rule for optional fields (scripts/checks/compile.mjs, at the top: in delivery mode a
// field not required is not checked, in whole mode it may also be null; unknown fields allowed;
// `oneOf` as `anyOf`; `format` ignored). Instances: valid ones of each schema, and mutated ones
// near them. Schemas: every configured operation's (the fragments under openapi/, as committed in
// generated/), and two fixtures generated here: the fine-tuning job and event operations as
// upstream writes them (oneOf/anyOf, maps, nullable values, enums, free-form `data`), and one of
// every construct the generator checks.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reachableComponents } from '../scripts/checks/emit.mjs';
import { operationsOf, type Operation } from '../scripts/checks/operations.mjs';
import { generateChecksSources, listSpecs, repoRoot } from '../scripts/pipeline.mjs';
import {
  mutatedInstance,
  relaxed,
  validInstance,
  vocabulary,
  type Components,
  type Schema,
} from './helpers/schema-instances.js';
import { tempFolders } from './helpers/temp.js';

type Check = (value: unknown) => string | undefined;
type Mode = 'delivery' | 'whole';
const RUNS = 200;
const MODES: Mode[] = ['delivery', 'whole'];
const tempFolder = tempFolders('file');

/** A spec, and how to load the checks generated from it. */
interface Subject {
  label: string;
  spec: { components?: { schemas?: Components } };
  load: () => Promise<Record<string, unknown>>;
}

const configured: Subject[] = (await listSpecs()).map((specPath) => ({
  label: `openapi/${basename(specPath)}`,
  spec: parse(readFileSync(specPath, 'utf8')),
  load: () =>
    import(
      pathToFileURL(join(repoRoot, 'generated', `${basename(specPath, '.yaml')}.checks.ts`)).href
    ),
}));
const fixtures: Subject[] = ['fine-tuning.yaml', 'constructs.yaml'].map((file) => {
  const specPath = join(repoRoot, 'test/fixtures/checks', file);
  return {
    label: `test/fixtures/checks/${file}`,
    spec: parse(readFileSync(specPath, 'utf8')),
    load: async () => {
      const dir = await tempFolder('ft-checks-');
      const files = await generateChecksSources(specPath, dir);
      for (const { fileName, contents } of files) await writeFile(join(dir, fileName), contents);
      return import(pathToFileURL(join(dir, files[0]!.fileName)).href);
    },
  };
});

/** The export name of a component's check, as the generator names it. */
const checkName = (name: string) => `check${name[0]!.toUpperCase()}${name.slice(1)}`;

/** Every place in a JSON value, as the keys from the top, with the value there. */
function places(value: unknown, path: string[] = []): [string[], unknown][] {
  const found: [string[], unknown][] = [[path, value]];
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) found.push(...places(child, [...path, key]));
  }
  return found;
}

/**
 * Whether a message is in the format and says where the problem is: its path names a place in
 * the value, or, for `missing`, a key its object lacks. (Paths are joined with dots, so a key
 * that holds a dot is matched as the joined text.)
 */
function pointsIntoValue(value: unknown, message: string): boolean {
  const match = /^(?:`(.*)`|the value): (missing|expected .+)$/.exec(message);
  if (!match) return false;
  const path = match[1];
  if (path === undefined) return match[2] !== 'missing';
  return places(value).some(([keys, node]) =>
    match[2] === 'missing'
      ? typeof node === 'object' &&
        node !== null &&
        !Array.isArray(node) &&
        path.startsWith(keys.length ? `${keys.join('.')}.` : '') &&
        !Object.hasOwn(node, path.slice(keys.length ? keys.join('.').length + 1 : 0))
      : keys.length > 0 && keys.join('.') === path,
  );
}

/** One checked thing: a check, the ajv schema it must agree with, and instances to try. */
interface Case {
  name: string;
  mode: Mode;
  check: () => Check;
  ajvSchema: Schema;
  instances: fc.Arbitrary<unknown>;
  valid: fc.Arbitrary<unknown>;
}

/** Every case of a subject: each reachable component in both modes, each operation's checks. */
function casesOf(subject: Subject, module: () => Record<string, unknown>): Case[] {
  const components = subject.spec.components?.schemas ?? {};
  const operations = operationsOf(subject.spec, subject.label);
  const bodies = operations.flatMap(({ success, error }) => [success, error].filter(Boolean));
  const names = reachableComponents(
    components,
    bodies.map((body) => body!.schema),
  );
  const { keys, values } = vocabulary(subject.spec);
  const near = (schema: Schema) => {
    const valid = validInstance(schema, components);
    return { valid, instances: fc.oneof(valid, mutatedInstance(valid, keys, values)) };
  };
  const cases: Case[] = [];
  for (const name of names) {
    for (const mode of MODES) {
      const exported = `${checkName(name)}${mode === 'whole' ? 'Whole' : ''}`;
      cases.push({
        name: exported,
        mode,
        check: () => module()[exported] as Check,
        ajvSchema: { $ref: `#/components/schemas/${name}` },
        ...near({ $ref: `#/components/schemas/${name}` }),
      });
    }
  }
  for (const operation of operations) cases.push(...operationCases(operation, module, near));
  return cases;
}

/** The checks of one operation's const: page and item of a list, else body; and error. */
function operationCases(
  { operationId, success, error, list }: Operation,
  module: () => Record<string, unknown>,
  near: (schema: Schema) => { valid: fc.Arbitrary<unknown>; instances: fc.Arbitrary<unknown> },
): Case[] {
  const member = (key: string) => () =>
    (module()[operationId] as Record<string, Check>)[key] as Check;
  const cases: Case[] = [];
  const add = (key: string, ajvSchema: Schema, instancesOf: Schema, mode: Mode = 'delivery') =>
    cases.push({
      name: `${operationId}.${key}`,
      mode,
      check: member(key),
      ajvSchema,
      ...near(instancesOf),
    });
  if (list) {
    // The page: the envelope whole (the pagination reads its cursors), with `data` required and
    // an array whose items are not looked at.
    const array = Object.fromEntries(Object.entries(list.data).filter(([key]) => key !== 'items'));
    const page = {
      ...list.envelope,
      properties: { ...(list.envelope.properties as object), data: array },
      required: [...new Set([...((list.envelope.required as string[]) ?? []), 'data'])],
    };
    add('page', page, success!.schema as Schema, 'whole');
    add('item', list.items as Schema, list.items as Schema);
  } else if (success) {
    add('body', success.schema as Schema, success.schema as Schema);
  }
  if (error) add('error', error.schema as Schema, error.schema as Schema);
  return cases;
}

/** An ajv holding the spec's components, relaxed for `mode`, under `spec#/components/schemas`. */
function ajvFor(subject: Subject, mode: Mode) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, strictNumbers: true });
  const schemas = Object.fromEntries(
    Object.entries(subject.spec.components?.schemas ?? {}).map(([name, schema]) => [
      name,
      relaxed(schema, mode),
    ]),
  );
  ajv.addSchema({ $id: 'spec', components: { schemas } });
  return ajv;
}

describe.each([...configured, ...fixtures])(
  'generated checks of $label agree with ajv',
  (subject) => {
    let module: Record<string, unknown>;
    beforeAll(async () => {
      module = await subject.load();
    });
    const cases = casesOf(subject, () => module);
    const ajv = { delivery: ajvFor(subject, 'delivery'), whole: ajvFor(subject, 'whole') };

    it.each(cases)(
      '$name: the same verdict as ajv, and a message that points into the value',
      (item) => {
        const validate = ajv[item.mode].compile(relaxed(item.ajvSchema, item.mode) as object);
        const check = item.check();
        expect(typeof check, `${item.name} is exported`).toBe('function');
        let accepted = 0;
        let refused = 0;
        fc.assert(
          fc.property(item.instances, (value) => {
            const problem = check(value);
            const verdict = validate(value);
            expect(
              problem === undefined,
              `ajv says ${verdict ? 'valid' : 'invalid'}: ${problem}`,
            ).toBe(verdict);
            if (problem === undefined) accepted++;
            else {
              refused++;
              expect(pointsIntoValue(value, problem), problem).toBe(true);
            }
          }),
          { numRuns: RUNS },
        );
        // Both sides were tried: half the instances are valid, and mutations break most of the rest.
        expect(accepted).toBeGreaterThan(0);
        expect(refused).toBeGreaterThan(0);
      },
    );

    it('accepts every valid instance, in both modes', () => {
      for (const item of cases) {
        fc.assert(
          fc.property(item.valid, (value) => {
            expect(item.check()(value)).toBeUndefined();
          }),
          { numRuns: 20 },
        );
      }
    });
  },
);
