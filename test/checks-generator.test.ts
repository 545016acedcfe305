// The checks generator (scripts/checks/): what it writes for a spec, how it names it, that the
// output type-checks and tree-shakes per operation, and that it refuses, loudly and by name, any
// schema keyword it does not check. The agreement of its checks with ajv is
// test/generated-checks.property.test.ts.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateChecks } from '../scripts/checks/emit.mjs';
import { generateChecksSources, generateSource, repoRoot } from '../scripts/pipeline.mjs';
import { tempFolders } from './helpers/temp.js';

type Check = (value: unknown) => string | undefined;
type ListChecks = { page: Check; item: Check; error: Check };
type BodyChecks = { body: Check; error: Check };
const tempFolder = tempFolders('file');
const FIXTURE = join(repoRoot, 'test/fixtures/checks/fine-tuning.yaml');
const CONSTRUCTS = join(repoRoot, 'test/fixtures/checks/constructs.yaml');
const options = { specName: 'spec.yaml', checksModule: './spec.checks.js', banner: '' };

/** A spec with one GET operation answering `schema`, plus `components`. */
function specWith(schema: unknown, components: Record<string, unknown> = {}) {
  return {
    openapi: '3.1.0',
    paths: {
      '/things': {
        get: {
          operationId: 'getThing',
          responses: { '200': { description: 'OK', content: { 'application/json': { schema } } } },
        },
      },
    },
    components: { schemas: components },
  };
}

describe('the generated modules of the fine-tuning fixture', () => {
  let dir: string;
  let checks: Record<string, unknown>;
  let operations: Record<string, Record<string, Record<string, Check>>>;
  beforeAll(async () => {
    dir = await tempFolder('ft-checks-generator-');
    for (const { fileName, contents } of await generateChecksSources(FIXTURE, dir)) {
      await writeFile(join(dir, fileName), contents);
    }
    checks = await import(pathToFileURL(join(dir, 'fine-tuning.checks.ts')).href);
    operations = (await import(pathToFileURL(join(dir, 'fine-tuning.operations.ts')).href))
      .operations;
  });

  it('has one const per operation: page and item for a list, body for one object, error', () => {
    expect(Object.keys(checks.listPaginatedFineTuningJobs as object)).toEqual([
      'page',
      'item',
      'error',
    ]);
    expect(Object.keys(checks.retrieveFineTuningJob as object)).toEqual(['body', 'error']);
    expect(operations['/fine_tuning/jobs/{fine_tuning_job_id}/events']!.get).toBe(
      checks.listFineTuningEvents,
    );
    expect(Object.keys(operations)).toEqual([
      '/fine_tuning/jobs',
      '/fine_tuning/jobs/{fine_tuning_job_id}',
      '/fine_tuning/jobs/{fine_tuning_job_id}/events',
    ]);
  });

  it('checks events: the item the issue saw delivered is refused, by its first required field', () => {
    const { item, page } = checks.listFineTuningEvents as ListChecks;
    const event = {
      object: 'fine_tuning.job.event',
      id: 'ftevent-1',
      created_at: 1,
      level: 'info',
      message: 'm',
    };
    expect(item(event)).toBeUndefined();
    expect(item({ ...event, data: { step: 1 }, type: 'metrics' })).toBeUndefined();
    expect(item({ ...event, level: 42, created_at: 'yesterday' })).toBe(
      '`created_at`: expected integer',
    );
    expect(item({ ...event, level: 42 })).toBe('`level`: expected "info" or "warn" or "error"');
    // The page looks at the envelope only; the items are the item check's (with their index).
    expect(page({ object: 'list', data: [{ level: 42 }], has_more: false })).toBeUndefined();
    expect(page({ object: 'list', data: {}, has_more: false })).toBe('`data`: expected array');
    expect(checks.checkListFineTuningJobEventsResponse!).toBeTypeOf('function');
    expect(
      (checks.checkListFineTuningJobEventsResponse as Check)({
        object: 'list',
        data: [event, { ...event, id: 7 }],
        has_more: false,
      }),
    ).toBe('`data.1.id`: expected string');
  });

  it('names the problem inside an option and a map, and the options when none fits', () => {
    const { body } = checks.retrieveFineTuningJob as BodyChecks;
    const job = {
      object: 'fine_tuning.job',
      id: 'ftjob-1',
      created_at: 1,
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters: { n_epochs: 'auto' },
      model: 'gpt-4o-mini',
      organization_id: 'org-1',
      result_files: [],
      status: 'running',
      trained_tokens: null,
      training_file: 'file-1',
      validation_file: null,
      seed: 1,
      metadata: { team: 'a' },
    };
    expect(body(job)).toBeUndefined();
    expect(body({ ...job, error: { code: 'x', message: 'm' } })).toBe('`error.param`: missing');
    expect(body({ ...job, error: 'x' })).toBe('`error`: expected object or null');
    expect(body({ ...job, status: 'done' })).toMatch(/^`status`: expected "validating_files" or/);
    // Optional fields are not held against a delivered job; a whole check looks at them.
    const badMetadata = { ...job, metadata: { team: 1 } };
    expect(body(badMetadata)).toBeUndefined();
    expect((checks.checkFineTuningJobWhole as Check)(badMetadata)).toBe(
      '`metadata.team`: expected string',
    );
    expect(
      (checks.checkFineTuningJobWhole as Check)({ ...job, hyperparameters: { n_epochs: 0 } }),
    ).toBe('`hyperparameters.n_epochs`: expected "auto" or integer >= 1 and <= 50');
    expect((checks.checkFineTuningJobWhole as Check)({ ...job, metadata: null })).toBeUndefined();
  });

  it('lists the fields of each object, generic, in the spec order', () => {
    expect(checks.fieldsOfFineTuningJobEvent).toEqual([
      'object',
      'id',
      'created_at',
      'level',
      'message',
      'type',
      'data',
    ]);
    expect(checks.fieldsOfFineTuningJob_hyperparameters).toEqual([
      'batch_size',
      'learning_rate_multiplier',
      'n_epochs',
    ]);
    // A nullable object lists the fields of its object.
    expect(checks.fieldsOfFineTuningJob_error).toEqual(['code', 'message', 'param']);
  });

  it('type-checks under the project settings, and types free-form objects usably', async () => {
    const types = await generateSource(FIXTURE, dir);
    expect(types.contents).toMatch(/ data\?: Record<string, unknown>;/);
    expect(types.contents).not.toMatch(/ data\?: Record<string, never>/);
    await writeFile(join(dir, types.fileName), types.contents);
    // ES modules, as in the project (NodeNext reads the nearest package.json).
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    const { config } = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
    const { options: compilerOptions } = ts.convertCompilerOptionsFromJson(
      { ...config.compilerOptions, paths: undefined },
      repoRoot,
    );
    const program = ts.createProgram(
      ['fine-tuning.checks.ts', 'fine-tuning.operations.ts', 'fine-tuning.ts'].map((file) =>
        join(dir, file),
      ),
      { ...compilerOptions, noUnusedLocals: true, noUnusedParameters: true },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);

  it("bundles one operation's checks without the table or the other operations' checks", async () => {
    const bundle = async (contents: string) => {
      const result = await build({
        stdin: { contents, resolveDir: dir, loader: 'ts' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        write: false,
        logLevel: 'silent',
      });
      return Buffer.from(result.outputFiles[0]!.contents).toString();
    };
    const events = await bundle(`export { listFineTuningEvents } from './fine-tuning.checks.ts';`);
    expect(events).toContain('fine_tuning.job.event');
    for (const other of ['validating_files', 'fine_tuning.job"', '/fine_tuning/jobs']) {
      expect(events).not.toContain(other);
    }
    const table = await bundle(`export { operations } from './fine-tuning.operations.ts';`);
    expect(table).toContain('/fine_tuning/jobs');
    expect(gzipSync(events).length).toBeLessThan(gzipSync(table).length);
  });
});

describe('the generator', () => {
  it('is deterministic', () => {
    const spec = parse(readFileSync(CONSTRUCTS, 'utf8'));
    expect(generateChecks(spec, options)).toEqual(generateChecks(structuredClone(spec), options));
  });

  it('writes checks that read no schema: the module imports nothing and holds no schema', () => {
    const { checks } = generateChecks(parse(readFileSync(FIXTURE, 'utf8')), options);
    expect(checks).not.toMatch(/^import /m);
    for (const keyword of ['properties', 'anyOf', 'oneOf', '$ref', 'additionalProperties']) {
      expect(checks).not.toMatch(new RegExp(`^[^*]*${keyword.replace('$', '\\$')}`, 'm'));
    }
  });

  it.each<[string, unknown, RegExp]>([
    [
      'nullable (OpenAPI 3.0)',
      { type: 'object', properties: { a: { type: 'string', nullable: true } } },
      /#\/components\/schemas\/Thing\/properties\/a: unsupported keyword `nullable` \(an OpenAPI 3\.0 keyword/,
    ],
    [
      'a boolean exclusiveMinimum (OpenAPI 3.0)',
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      /#\/components\/schemas\/Thing: `exclusiveMinimum` must be a number \(OpenAPI 3\.0 wrote a boolean/,
    ],
    [
      'min_items (a misspelling)',
      { type: 'array', items: { type: 'number', min_items: 2 } },
      /#\/components\/schemas\/Thing\/items: unsupported keyword `min_items` \(a misspelling of `minItems`\)/,
    ],
    [
      'not',
      { anyOf: [{ type: 'string' }, { not: { type: 'string' } }] },
      /#\/components\/schemas\/Thing\/anyOf\/1: unsupported keyword `not`/,
    ],
    [
      'an enum of objects',
      { enum: [{ a: 1 }] },
      /#\/components\/schemas\/Thing: `enum` must be a non-empty list of strings, numbers/,
    ],
    [
      'a $ref out of the spec',
      { $ref: 'other.yaml#/Thing' },
      /#\/components\/schemas\/Thing: `\$ref` must be a local `#\/components\/schemas\/<name>`/,
    ],
  ])('refuses %s, naming the schema and the keyword', (_name, thing, problem) => {
    const spec = specWith({ $ref: '#/components/schemas/Thing' }, { Thing: thing });
    expect(() => generateChecks(spec, options)).toThrow(problem);
  });

  it('refuses a $ref to a schema the spec lacks, and two exports of one name', () => {
    expect(() => generateChecks(specWith({ $ref: '#/components/schemas/Gone' }), options)).toThrow(
      /spec\.yaml#\/paths\/~1things\/get\/responses\/200\/content\/application~1json\/schema: `\$ref` to an unknown schema Gone/,
    );
    const clash = specWith(
      { $ref: '#/components/schemas/A-b' },
      { 'A-b': { $ref: '#/components/schemas/A_b' }, A_b: { type: 'string' } },
    );
    expect(() => generateChecks(clash, options)).toThrow(/two exports would be named checkA_b/);
  });

  it('checks only what operations answer: an unreachable schema is neither checked nor refused', () => {
    const spec = specWith(
      { $ref: '#/components/schemas/Used' },
      { Used: { type: 'string' }, Unused: { nullable: true } },
    );
    const { checks } = generateChecks(spec, options);
    expect(checks).toContain('export const checkUsed');
    expect(checks).not.toContain('Unused');
  });
});
