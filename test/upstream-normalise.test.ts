// The normalisation of upstream's OpenAPI 3.0 forms during extraction (issue #17 §3;
// scripts/upstream/normalise.mjs, docs/maintainers.md "Normalisations"): each rule on small
// schemas, on the real forms of test/fixtures/upstream/normalise.yaml (which Redocly rejects
// before and accepts after), and against ajv: a rewrite accepts what upstream's schema accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normaliseDocument } from '../scripts/upstream/normalise.mjs';
import { UPSTREAM_FIXTURES, type Doc } from './helpers/pipeline.js';

/** A document with one component schema `S` (and `Other`, for `$ref`s). */
const withSchema = (schema: Doc) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: { schemas: { S: schema, Other: { type: 'string' } } },
});
/** `schema` normalised: the result, and the rules that fired. */
function normalised(schema: Doc): { schema: Doc; rules: string[] } {
  const { document, notes } = normaliseDocument(withSchema(schema));
  return { schema: document.components.schemas.S, rules: notes.map((n) => n.rule) };
}

const REF = { $ref: '#/components/schemas/Other' };
const rules: [string, Doc, Doc, string[]][] = [
  // nullable
  [
    'nullable with a type: a type union',
    { type: 'string', nullable: true },
    { type: ['string', 'null'] },
    ['nullable'],
  ],
  [
    'nullable with an enum: null joins it',
    { type: 'string', enum: ['a', 'b'], nullable: true },
    { type: ['string', 'null'], enum: ['a', 'b', null] },
    ['nullable'],
  ],
  [
    'nullable with a $ref: anyOf with null, annotations kept outside',
    { ...REF, nullable: true, description: 'd' },
    { anyOf: [REF, { type: 'null' }], description: 'd' },
    ['nullable'],
  ],
  [
    'nullable with anyOf: one more alternative',
    { anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
    { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
    ['nullable'],
  ],
  [
    'nullable with an anyOf that accepts null already: nothing more',
    { anyOf: [{ type: 'string' }, { type: 'null' }], nullable: true },
    { anyOf: [{ type: 'string' }, { type: 'null' }] },
    ['nullable'],
  ],
  [
    'nullable with allOf: wrapped in anyOf with null',
    { allOf: [REF], nullable: true, title: 't' },
    { anyOf: [{ allOf: [REF] }, { type: 'null' }], title: 't' },
    ['nullable'],
  ],
  ['nullable: false goes', { type: 'string', nullable: false }, { type: 'string' }, ['nullable']],
  [
    'nullable on a schema that accepts anything goes',
    { nullable: true, description: 'd' },
    { description: 'd' },
    ['nullable'],
  ],
  // exclusive bounds
  [
    'boolean exclusiveMinimum and exclusiveMaximum: numbers',
    { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 2, exclusiveMaximum: true },
    { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 2 },
    ['exclusive-bound', 'exclusive-bound'],
  ],
  [
    'exclusiveMinimum: false goes, the minimum stays',
    { type: 'number', minimum: 1, exclusiveMinimum: false },
    { type: 'number', minimum: 1 },
    ['exclusive-bound'],
  ],
  // misspelt keywords
  [
    'snake_case keywords: camelCase',
    { type: 'string', min_length: 1, max_length: 3 },
    { type: 'string', minLength: 1, maxLength: 3 },
    ['misspelt-keyword', 'misspelt-keyword'],
  ],
  [
    'an array keyword on the array’s items: on the array',
    { type: 'array', items: { type: 'number', min_items: 2, max_items: 2 } },
    { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    ['misspelt-keyword', 'misspelt-keyword'],
  ],
  [
    'an array keyword on an array: in place',
    { type: 'array', items: { type: 'number' }, min_items: 1 },
    { type: 'array', items: { type: 'number' }, minItems: 1 },
    ['misspelt-keyword'],
  ],
  // single alternatives
  ['a oneOf of one schema: the schema', { oneOf: [REF] }, REF, ['single-alternative']],
  [
    'an anyOf of one schema beside other keywords: allOf',
    { anyOf: [REF], description: 'd' },
    { allOf: [REF], description: 'd' },
    ['single-alternative'],
  ],
  [
    'a oneOf of one schema with a discriminator: kept',
    { oneOf: [REF], discriminator: { propertyName: 'type' } },
    { oneOf: [REF], discriminator: { propertyName: 'type' } },
    [],
  ],
  // free-form objects
  [
    'an object with nothing about its properties: additionalProperties true',
    { type: 'object', description: 'd' },
    { type: 'object', description: 'd', additionalProperties: true },
    ['free-form-object'],
  ],
  [
    'an object with empty properties: additionalProperties true',
    { type: 'object', properties: {} },
    { type: 'object', additionalProperties: true },
    ['free-form-object'],
  ],
  [
    'a nullable free-form object: both',
    { type: 'object', nullable: true },
    { type: ['object', 'null'], additionalProperties: true },
    ['nullable', 'free-form-object'],
  ],
  [
    'an object with properties: untouched',
    { type: 'object', properties: { a: { type: 'string' } } },
    { type: 'object', properties: { a: { type: 'string' } } },
    [],
  ],
  // only schema positions
  [
    'properties named like the keywords, examples and x- extensions: untouched',
    {
      type: 'object',
      properties: { nullable: { type: 'boolean' }, min_items: { type: 'integer' } },
      example: { nullable: true, min_items: 2 },
      'x-oaiMeta': { nullable: true, type: 'object' },
    },
    {
      type: 'object',
      properties: { nullable: { type: 'boolean' }, min_items: { type: 'integer' } },
      example: { nullable: true, min_items: 2 },
      'x-oaiMeta': { nullable: true, type: 'object' },
    },
    [],
  ],
  [
    'nested schemas, at any depth',
    { type: 'array', items: { type: 'object', properties: { a: { anyOf: [{ oneOf: [REF] }] } } } },
    { type: 'array', items: { type: 'object', properties: { a: REF } } },
    ['single-alternative', 'single-alternative'],
  ],
];

describe('each normalisation rule', () => {
  for (const [name, input, output, fired] of rules) {
    it(name, () => {
      const copy = structuredClone(input);
      const result = normalised(input);
      expect(result.schema).toEqual(output);
      expect(result.rules).toEqual(fired);
      expect(input, 'the input is not changed').toEqual(copy);
      // Idempotent: normalising the result again changes nothing.
      expect(normalised(result.schema)).toEqual({ schema: output, rules: [] });
    });
  }

  it('reaches parameters, headers, request and response bodies', () => {
    const schema = { type: 'string', nullable: true };
    const { notes } = normaliseDocument({
      openapi: '3.1.0',
      paths: {
        '/a': {
          parameters: [{ name: 'p', in: 'query', schema }],
          post: {
            parameters: [{ name: 'q', in: 'query', content: { 'application/json': { schema } } }],
            requestBody: { content: { 'application/json': { schema } } },
            responses: {
              '200': {
                headers: { 'x-h': { schema } },
                content: { 'application/json': { schema } },
              },
            },
          },
        },
      },
      components: { parameters: { P: { schema } }, headers: { H: { schema } } },
    });
    expect(notes.map((n) => n.at)).toEqual([
      '#/components/parameters/P/schema',
      '#/components/headers/H/schema',
      '#/paths/~1a/parameters/0/schema',
      '#/paths/~1a/post/parameters/0/content/application~1json/schema',
      '#/paths/~1a/post/requestBody/content/application~1json/schema',
      '#/paths/~1a/post/responses/200/content/application~1json/schema',
      '#/paths/~1a/post/responses/200/headers/x-h/schema',
    ]);
  });
});

describe('the real forms of the fine-tuning jobs and events schemas', () => {
  const fixture = parse(readFileSync(join(UPSTREAM_FIXTURES, 'normalise.yaml'), 'utf8'));

  /** Redocly's problems with a document: the struct and composition rules the project lints. */
  async function lintProblems(doc: Doc): Promise<string[]> {
    const { createConfig, lintFromString } = await import('@redocly/openapi-core');
    const config = await createConfig({
      rules: { struct: 'error', 'no-illogical-composition-keywords': 'error' },
    });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: '/normalise.json',
      config,
    });
    return problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  }

  it('are each rewritten, where they are', () => {
    const { notes } = normaliseDocument(fixture);
    expect(notes.map(({ rule, at }) => `${rule} ${at}`)).toEqual([
      'exclusive-bound #/components/schemas/FineTuneDPOHyperparameters/properties/beta/oneOf/1',
      'exclusive-bound #/components/schemas/FineTuneDPOHyperparameters/properties/learning_rate_multiplier/oneOf/1',
      'exclusive-bound #/components/schemas/FineTuningJob/properties/hyperparameters/properties/learning_rate_multiplier/oneOf/1',
      'single-alternative #/components/schemas/FineTuningJob/properties/integrations/anyOf/0/items',
      'free-form-object #/components/schemas/FineTuningJobEvent/properties/data',
      'misspelt-keyword #/components/schemas/GraderScoreModel/properties/range/items',
      'misspelt-keyword #/components/schemas/GraderScoreModel/properties/range/items',
      'nullable #/paths/~1fine_tuning~1jobs/get/parameters/2/schema',
    ]);
  });

  it('fail the lint as upstream writes them, and pass it normalised', async () => {
    const before = await lintProblems(fixture);
    for (const form of [
      /struct .*\/nullable: Property `nullable` is not expected here/,
      /struct .*\/exclusiveMinimum: Expected type `number` but got `boolean`/,
      /struct .*\/min_items: Property `min_items` is not expected here/,
      /no-illogical-composition-keywords .*\/oneOf: `oneOf` should have at least two schemas/,
    ]) {
      expect(
        before.some((p) => form.test(p)),
        `${form}\n${before.join('\n')}`,
      ).toBe(true);
    }
    expect(await lintProblems(normaliseDocument(fixture).document)).toEqual([]);
  });

  it('type a free-form object as a map of unknown values, not Record<string, never>', async () => {
    const types = (doc: Doc) => openapiTS(doc, { silent: true }).then(astToString);
    const event = (source: string) => /FineTuningJobEvent: \{[\s\S]*?\n {8}\};/.exec(source)?.[0];
    expect(event(await types(fixture))).toMatch(/data\?: Record<string, never>;/);
    const after = event(await types(normaliseDocument(fixture).document));
    expect(after).toMatch(/data\?: \{\s*\[key: string\]: unknown;\s*\};/);
  });
});

describe('a rewritten schema accepts what upstream’s schema accepts', () => {
  // Upstream's 3.0 reading of `nullable` (ajv's draft-07 dialect knows the keyword) against the
  // rewrite read as OpenAPI 3.1 (JSON Schema 2020-12), on every kind of JSON value.
  const openapi30 = new Ajv({ strict: false });
  const openapi31 = new Ajv2020({ strict: false });
  const compile31 = (schema: Doc) =>
    openapi31.compile({ ...schema, $defs: { Other: { type: 'string' } } });
  const refTo31 = (schema: Doc): Doc =>
    JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/'));
  const json = fc.jsonValue();

  const nullableForms: Doc[] = [
    { type: 'string', nullable: true },
    { type: 'integer', minimum: 1, nullable: true },
    { type: 'object', nullable: true, additionalProperties: { type: 'string' } },
    { type: 'array', items: { type: 'number' }, nullable: true },
    { type: 'boolean', nullable: false },
  ];
  for (const form of nullableForms) {
    it(`nullable: ${JSON.stringify(form)}`, () => {
      const upstream = openapi30.compile(form);
      const ours = compile31(normalised(form).schema);
      fc.assert(fc.property(json, (value) => ours(value) === upstream(value)));
    });
  }

  it('nullable with an enum accepts null too, as openapi-typescript types it', () => {
    const form = { type: 'string', enum: ['a', 'b'], nullable: true };
    const upstream = openapi30.compile(form);
    const ours = compile31(normalised(form).schema);
    fc.assert(
      fc.property(fc.oneof(json, fc.constantFrom('a', 'b', null)), (value) => {
        expect(ours(value)).toBe(upstream(value) || value === null);
      }),
    );
  });

  it('boolean exclusive bounds: strictly inside the bounds', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.boolean(),
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
        (minimum, maximum, exclusiveMinimum, exclusiveMaximum, value) => {
          const form = { type: 'number', minimum, maximum, exclusiveMinimum, exclusiveMaximum };
          const above = exclusiveMinimum ? value > minimum : value >= minimum;
          const below = exclusiveMaximum ? value < maximum : value <= maximum;
          expect(compile31(normalised(form).schema)(value)).toBe(above && below);
        },
      ),
    );
  });

  const sameForms: Doc[] = [
    { oneOf: [REF] },
    { anyOf: [{ type: 'integer', minimum: 3 }], description: 'd' },
    { type: 'object' },
    { type: 'object', properties: {} },
  ];
  for (const form of sameForms) {
    it(`unchanged meaning: ${JSON.stringify(form)}`, () => {
      const upstream = compile31(refTo31(form));
      const ours = compile31(refTo31(normalised(form).schema));
      fc.assert(fc.property(json, (value) => ours(value) === upstream(value)));
    });
  }
});
