/**
 * Contract tests: the mock against the spec, with the spec read from openapi/checkpoints.yaml at
 * test time, and the spec against the upstream OpenAI extract vendored in openapi/upstream/.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../generated/checkpoints.js';
import {
  createMockServer,
  generateCheckpoints,
  parseJobs,
  type Fault,
  type RecordedRequest,
} from '../src/mock/index.js';
import { AUTH, checkpointsUrl, getJson, walkPages } from './helpers/mock-http.js';
import {
  compileSpecValidators,
  differences,
  fidelityView,
  readSpec,
  validateRequestAgainstSpec,
  type JsonObject,
  type SpecValidators,
} from './helpers/spec.js';

type FineTuningJobCheckpoint = components['schemas']['FineTuningJobCheckpoint'];

/** The upstream extract, as `npm run sync:upstream` vendored it. */
const UPSTREAM_PATH = fileURLToPath(
  new URL('../openapi/upstream/checkpoints.yaml', import.meta.url),
);
const FRAGMENT_PATH = fileURLToPath(new URL('../openapi/checkpoints.yaml', import.meta.url));
const SYNC_CONFIG_PATH = fileURLToPath(new URL('../openapi/upstream/sync.json', import.meta.url));

/** `[path, method]` of each operation sync.json configures, found in the vendored extract. */
function configuredOperations(): [string, string][] {
  const { operations } = JSON.parse(readFileSync(SYNC_CONFIG_PATH, 'utf8')) as {
    operations: string[];
  };
  const extract = readSpec(UPSTREAM_PATH);
  const found = Object.entries(extract.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => operations.includes(operation.operationId as string))
      .map(([method]): [string, string] => [path, method]),
  );
  expect(found).toHaveLength(operations.length);
  return found;
}

/**
 * The project's additions: the only places where the fragment may differ from upstream, and only
 * by adding (JSON pointers into {@link fidelityView}; `*` is one segment, `**` any number). They are made by
 * openapi/checkpoints.overlay.yaml; this list is what a reviewer of the fidelity checks reads.
 */
const PROJECT_ADDITIONS = [
  // Error responses in the API's error envelope, and the request id header.
  '/responses/4XX',
  '/responses/5XX',
  '/responses/200/headers',
  // Examples from the API reference, checked against the schemas below.
  '/responses/200/content/application~1json/examples',
  // Descriptions: each operation's (lint requires one; `sync:upstream --add` writes a stub where
  // upstream has none), and one per metric.
  '/operation/description',
  // (wherever the dereferenced checkpoint schema appears)
  '/**/metrics/properties/*/description',
];

const additionPattern = (pointer: string) =>
  new RegExp(
    `^${pointer
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*/g, '.+')
      .replace(/\*/g, '[^/]+')}$`,
  );

const JOB = 'ftjob-contract';

let spec: SpecValidators;
beforeAll(() => {
  spec = compileSpecValidators();
});

/** Asserts `value` passes `validate`, showing ajv's errors when it does not. */
function expectValid(validate: ValidateFunction, value: unknown, label: string) {
  const ok = validate(value);
  expect(ok ? null : validate.errors, label).toBeNull();
}

describe('the spec fragment', () => {
  it('is each upstream operation, dereferenced, plus the listed additions only', async () => {
    const patterns = PROJECT_ADDITIONS.map(additionPattern);
    const found: ReturnType<typeof differences> = [];
    for (const [path, method] of configuredOperations()) {
      const [upstream, ours] = await Promise.all([
        fidelityView(UPSTREAM_PATH, path, method),
        fidelityView(FRAGMENT_PATH, path, method),
      ]);
      // The whole operation is compared: every part of the view is there on both sides.
      for (const part of ['parameters', 'responses', 'security', 'servers', 'schemas']) {
        expect(upstream[part], `${method} ${path}: ${part}`).toBeDefined();
      }
      const differs = differences(upstream, ours);
      const unexpected = differs.filter(
        ({ pointer, kind }) => kind !== 'added' || !patterns.some((p) => p.test(pointer)),
      );
      expect(unexpected, `${method} ${path}`).toEqual([]);
      found.push(...differs);
    }
    // Each listed addition is really there (the list is not stale).
    for (const [i, pattern] of patterns.entries()) {
      expect(
        found.some(({ pointer }) => pattern.test(pointer)),
        PROJECT_ADDITIONS[i],
      ).toBe(true);
    }
  });

  it('would notice an upstream value changed by the additions', () => {
    const upstream = { schemas: { A: { type: 'string', description: 'x' } } };
    const ours = { schemas: { A: { type: 'integer', description: 'x', title: 'y' } } };
    expect(differences(upstream, ours)).toEqual([
      { pointer: '/schemas/A/type', kind: 'changed' },
      { pointer: '/schemas/A/title', kind: 'added' },
    ]);
  });

  it('validates its own examples against their schemas', () => {
    const doc = spec.spec;
    const responses = (doc.components.responses ?? {}) as Record<string, JsonObject>;
    let checked = 0;
    for (const item of Object.values(doc.paths)) {
      for (const operation of Object.values(item)) {
        for (const [status, declared] of Object.entries(
          (operation.responses ?? {}) as Record<string, JsonObject>,
        )) {
          const ref = declared.$ref;
          const response =
            typeof ref === 'string' ? responses[ref.split('/').pop() ?? ''] : declared;
          const media = (response?.content as Record<string, JsonObject> | undefined)?.[
            'application/json'
          ];
          if (media === undefined) continue;
          const validate = spec.compile(media.schema as JsonObject);
          for (const [name, example] of Object.entries(
            (media.examples ?? {}) as Record<string, { value: unknown }>,
          )) {
            expect(
              validate(example.value) ? null : validate.errors,
              `${status} ${name}`,
            ).toBeNull();
            checked++;
          }
        }
        for (const param of operation.parameters ?? []) {
          if (param.schema.example === undefined) continue;
          expect(spec.compile(param.schema)(param.schema.example), param.name).toBe(true);
          checked++;
        }
      }
    }
    // The checkpoint object's own example, a JSON string under x-oaiMeta.
    const meta = doc.components.schemas.FineTuningJobCheckpoint?.['x-oaiMeta'] as {
      example: string;
    };
    expect(spec.checkpoint(JSON.parse(meta.example)) ? null : spec.checkpoint.errors).toBeNull();
    checked++;
    expect(checked).toBeGreaterThanOrEqual(5); // page, allMetrics, notFound, path param, object
  });

  it('rejects what it should (the validators are not vacuous)', () => {
    expect(spec.listResponse({ object: 'list', data: {}, has_more: false })).toBe(false);
    expect(spec.listResponse({ object: 'list', data: [] })).toBe(false);
    const [good] = generateCheckpoints({ jobId: JOB, count: 1 });
    expect(spec.checkpoint({ ...good, created_at: 1.5 })).toBe(false);
    expect(spec.errorResponse({ error: { message: 'x', type: 'y', param: null } })).toBe(false);
  });
});

describe('the mock against the spec', () => {
  const metric = fc.double({ noNaN: true, noDefaultInfinity: true });
  /** Hand-made checkpoints with unicode ids and many created_at/step ties. */
  const arbitraryJob = fc
    .array(
      fc.record({
        suffix: fc.string({ unit: 'grapheme', maxLength: 12 }),
        created_at: fc.integer({ min: 1_700_000_000, max: 1_700_000_020 }),
        step_number: fc.integer({ min: 0, max: 4 }),
        metrics: fc.record(
          {
            step: metric,
            train_loss: metric,
            train_mean_token_accuracy: metric,
            valid_loss: metric,
            valid_mean_token_accuracy: metric,
            full_valid_loss: metric,
            full_valid_mean_token_accuracy: metric,
          },
          { requiredKeys: [] },
        ),
      }),
      { maxLength: 300 },
    )
    .map((items) =>
      items.map(({ suffix, ...rest }, i): FineTuningJobCheckpoint => ({
        object: 'fine_tuning.job.checkpoint',
        id: `ftckpt_${i}${suffix}`, // the index keeps ids unique
        fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:my-org:s:abcdefgh:ckpt-step-${rest.step_number}`,
        fine_tuning_job_id: JOB,
        ...rest,
      })),
    );
  const generatedJob = fc
    .record({ count: fc.integer({ min: 0, max: 300 }), seed: fc.integer() })
    .map(({ count, seed }) => generateCheckpoints({ jobId: JOB, count, seed }));

  it('serves only spec-valid 200 and 4xx bodies, and walks every checkpoint once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(generatedJob, arbitraryJob),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        fc.oneof(fc.string(), fc.constantFrom('0', '-3', '1.5', '101')),
        async (checkpoints, pageSize, viaLimit, badLimit) => {
          const mock = await createMockServer({
            jobs: { [JOB]: checkpoints },
            ...(viaLimit ? {} : { pageSize }),
          });
          try {
            const pages = await walkPages(mock, JOB, viaLimit ? pageSize : undefined);
            for (const page of pages) expectValid(spec.listResponse, page, 'page');
            const expected = [...checkpoints]
              .sort((a, b) => b.created_at - a.created_at || b.step_number - a.step_number)
              .map((c) => c.id);
            expect(pages.flatMap((page) => page.data.map((c) => c.id))).toEqual(expected);

            const errors = [
              await getJson(checkpointsUrl(mock, 'ftjob-missing')),
              await getJson(checkpointsUrl(mock, JOB), { headers: {} }),
              await getJson(checkpointsUrl(mock, JOB, { after: 'ftckpt_not-there' })),
            ];
            if (!/^\d+$/.test(badLimit) || Number(badLimit) < 1 || Number(badLimit) > 100) {
              errors.push(await getJson(checkpointsUrl(mock, JOB, { limit: badLimit })));
            }
            for (const { status, body } of errors) {
              expect(status).toBeGreaterThanOrEqual(400);
              expect(status).toBeLessThan(500);
              expectValid(spec.errorResponse, body, `HTTP ${status}`);
            }

            // The walk's own requests are ones the spec allows.
            const walk = mock.requests.slice(0, pages.length);
            for (const request of walk) expect(validateRequestAgainstSpec(request)).toEqual([]);
          } finally {
            await mock.close();
          }
        },
      ),
      { numRuns: 100 },
    );
    // Up to ~100 servers and thousands of requests: generous, for loaded CI machines.
  }, 120_000);

  it('keeps faulted bodies spec-valid where the fault is in the data, not the shape', async () => {
    const faults: Fault[] = [
      { kind: 'no-cursor' },
      { kind: 'repeat-cursor' },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 400 },
      { kind: 'bad-shape' },
    ];
    const mock = await createMockServer({
      jobs: { [JOB]: generateCheckpoints({ jobId: JOB, count: 40 }) },
      // Request 1 fetches a cursor; each later request gets the next fault, with that cursor.
      faults: faults.map((fault, i) => ({ ...fault, request: i + 2 })),
    });
    try {
      const first = await getJson(checkpointsUrl(mock, JOB, { limit: 5 }));
      const after = (first.body as { last_id: string }).last_id;
      const bodies = [];
      for (let i = 0; i < faults.length; i++) {
        bodies.push(await getJson(checkpointsUrl(mock, JOB, { limit: 5, after })));
      }
      expect(mock.requests.slice(1).map((r) => r.fault)).toEqual(faults.map((f) => f.kind));
      const [noCursor, repeat, ...rest] = bodies;
      expectValid(spec.listResponse, noCursor?.body, 'no-cursor');
      expectValid(spec.listResponse, repeat?.body, 'repeat-cursor');
      const badShape = rest.pop();
      for (const { status, body } of rest) expectValid(spec.errorResponse, body, `HTTP ${status}`);
      expect(spec.listResponse(badShape?.body)).toBe(false); // bad-shape must break the schema
    } finally {
      await mock.close();
    }
  });

  it('generates checkpoints the schema accepts, and parseJobs agrees with the schema', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer(), (count, seed) => {
        const data = generateCheckpoints({ jobId: JOB, count, seed });
        for (const c of data) expect(spec.checkpoint(c) ? null : spec.checkpoint.errors).toBeNull();
        expect(parseJobs({ [JOB]: data })[JOB]).toEqual(data);
      }),
      { numRuns: 30 },
    );
    const [good] = generateCheckpoints({ jobId: JOB, count: 1 });
    const required = spec.spec.components.schemas.FineTuningJobCheckpoint?.required as string[];
    for (const key of required) {
      const broken: Record<string, unknown> = { ...good };
      delete broken[key];
      expect(spec.checkpoint(broken), key).toBe(false);
      expect(() => parseJobs({ [JOB]: [broken] }), key).toThrow(key);
    }
  });
});

describe("the mock's jobs against the spec", () => {
  /** The statuses the spec lists, read from it. */
  const statuses = () =>
    (spec.spec.components.schemas.FineTuningJob?.properties as Record<string, JsonObject>).status
      ?.enum as string[];

  it('serves spec-valid jobs, lists and errors, for any statuses, models, errors and clocks', async () => {
    const job = fc.record({
      count: fc.integer({ min: 0, max: 12 }),
      status: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      model: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), {
        nil: undefined,
      }),
      error: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      tickMs: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(job, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        async (described, limit, elapsed) => {
          let time = 0;
          const jobs = Object.fromEntries(
            described.map((d, i) => {
              const id = `ftjob-${i}`;
              const checkpoints = generateCheckpoints({
                jobId: id,
                count: d.count,
                startTime: 1_700_000_000 + i * 100_000,
              });
              const status = d.status === undefined ? undefined : statuses()[d.status];
              return [
                id,
                {
                  checkpoints,
                  ...(status === undefined ? {} : { status: status as 'failed' }),
                  ...(d.model === undefined ? {} : { model: d.model }),
                  ...(d.error === undefined ? {} : { error: d.error }),
                  ...(d.tickMs === undefined ? {} : { tickMs: d.tickMs }),
                },
              ];
            }),
          );
          const mock = await createMockServer({ jobs, now: () => time });
          try {
            // Every job, at the start and `elapsed` ms after the first request for it.
            for (const id of Object.keys(jobs)) {
              for (const at of [0, elapsed]) {
                time = at;
                const { status, body } = await getJson(`${mock.url}/fine_tuning/jobs/${id}`);
                expect(status).toBe(200);
                expectValid(spec.job, body, `${id} at ${at}`);
                const page = await getJson(checkpointsUrl(mock, id, { limit: 100 }));
                expectValid(spec.listResponse, page.body, `${id} checkpoints at ${at}`);
              }
            }
            // The list, page by page, newest first.
            const listed: { id: string; created_at: number }[] = [];
            let after: string | undefined;
            for (let pages = 0; pages < 100; pages++) {
              const query = new URLSearchParams({ limit: String(limit) });
              if (after !== undefined) query.set('after', after);
              const { status, body } = await getJson(`${mock.url}/fine_tuning/jobs?${query}`);
              expect(status).toBe(200);
              expectValid(spec.jobsResponse, body, 'jobs page');
              const page = body as {
                data: { id: string; created_at: number }[];
                has_more: boolean;
              };
              listed.push(...page.data);
              if (!page.has_more) break;
              after = page.data.at(-1)?.id;
            }
            expect(listed.map((j) => j.id).sort()).toEqual(Object.keys(jobs).sort());
            const created = listed.map((j) => j.created_at);
            expect(created).toEqual([...created].sort((a, b) => b - a));

            const errors = [
              await getJson(`${mock.url}/fine_tuning/jobs/ftjob-missing`),
              await getJson(`${mock.url}/fine_tuning/jobs`, { headers: {} }),
              await getJson(`${mock.url}/fine_tuning/jobs?after=ftjob-missing`),
              await getJson(`${mock.url}/fine_tuning/jobs?limit=0`),
            ];
            for (const { status, body } of errors) {
              expect(status).toBeGreaterThanOrEqual(400);
              expectValid(spec.errorResponse, body, `HTTP ${status}`);
            }
            for (const request of mock.requests.filter((r) => r.headers.authorization)) {
              if (!/after=ftjob-missing|limit=0/.test(request.url)) {
                expect(validateRequestAgainstSpec(request)).toEqual([]);
              }
            }
          } finally {
            await mock.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('lists every status of the spec, and refuses one it does not', async () => {
    expect(statuses()).toEqual(
      expect.arrayContaining(['running', 'succeeded', 'failed', 'cancelled']),
    );
    const checkpoints = generateCheckpoints({ jobId: JOB, count: 1 });
    await expect(
      createMockServer({ jobs: { [JOB]: { checkpoints, status: 'done' as 'failed' } } }),
    ).rejects.toThrow(/`status`: expected "validating_files" or/);
  });
});

describe('validateRequestAgainstSpec', () => {
  const good: RecordedRequest = {
    number: 1,
    method: 'GET',
    path: `/v1/fine_tuning/jobs/${JOB}/checkpoints`,
    url: `/v1/fine_tuning/jobs/${JOB}/checkpoints?limit=20&after=ftckpt_abc`,
    query: { limit: '20', after: 'ftckpt_abc' },
    headers: { authorization: AUTH.authorization },
    jobId: JOB,
  };
  const withUrl = (url: string): RecordedRequest => ({
    ...good,
    url,
    path: url.split('?')[0] ?? url,
  });

  it('accepts a request the spec allows', () => {
    expect(validateRequestAgainstSpec(good)).toEqual([]);
    expect(validateRequestAgainstSpec(withUrl(`/v1/fine_tuning/jobs/ft%3Ax/checkpoints`))).toEqual(
      [],
    );
  });

  it.each<[string, RecordedRequest, RegExp]>([
    ['a wrong method', { ...good, method: 'POST' }, /method POST/],
    ['a wrong path', withUrl('/v1/fine_tuning/jobs/x/checkpoint'), /does not match/],
    ['a missing base path', withUrl(`/fine_tuning/jobs/${JOB}/checkpoints`), /does not match/],
    [
      'an empty job id',
      withUrl('/v1/fine_tuning/jobs//checkpoints'),
      /fine_tuning_job_id is empty/,
    ],
    ['an unknown query key', withUrl(`${good.path}?order=asc`), /order is not defined/],
    ['a non-integer limit', withUrl(`${good.path}?limit=1.5`), /limit="1.5" is not an integer/],
    ['a repeated parameter', withUrl(`${good.path}?limit=1&limit=2`), /limit is repeated/],
    ['an empty after', withUrl(`${good.path}?after=`), /after is empty/],
    ['no bearer token', { ...good, headers: {} }, /authorization/],
  ])('reports %s', (_, request, problem) => {
    const problems = validateRequestAgainstSpec(request);
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('; '),
    ).toBe(true);
  });
});
