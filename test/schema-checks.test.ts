// The checks of the spec's schemas, with the messages the package gives: the generated checks
// (generated/checkpoints.checks.ts, written from the spec by scripts/checks/), and src/shape.ts,
// the checker they replace, which interprets the reduced schemas of
// generated/checkpoints.schemas.ts. Until src/shape.ts goes, both are held to the same messages,
// case by case and as a property over instances of every schema.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkErrorResponse,
  checkFineTuningJobCheckpoint,
  checkFineTuningJobCheckpointWhole,
  checkListFineTuningJobCheckpointsResponse,
  checkListFineTuningJobCheckpointsResponseWhole,
  listFineTuningJobCheckpoints,
} from '../generated/checkpoints.checks.js';
import { idProblem, shapeChecker, type SchemaName } from '../src/shape.js';
import { checkpoint, pageBody } from './helpers/http.js';
import { mutatedInstance, validInstance, vocabulary } from './helpers/schema-instances.js';
import { SPEC_PATH } from './helpers/spec.js';

type Check = (value: unknown) => string | undefined;

describe.each<[string, { page: Check; error: Check; item: Check }]>([
  [
    'the generated checks',
    {
      page: checkListFineTuningJobCheckpointsResponse,
      error: checkErrorResponse,
      item: checkFineTuningJobCheckpoint,
    },
  ],
  [
    'shapeChecker over the spec schemas',
    {
      page: shapeChecker('ListFineTuningJobCheckpointsResponse'),
      error: shapeChecker('ErrorResponse'),
      item: shapeChecker('FineTuningJobCheckpoint'),
    },
  ],
])('%s', (_name, { page, error, item }) => {
  it('accepts what the spec allows, extra fields included; optional fields are not checked', () => {
    expect(page({ ...pageBody([], false), last_id: 5 })).toBeUndefined();
    expect(item({ ...checkpoint('ftckpt_1', 1), extra: true })).toBeUndefined();
    expect(page(pageBody([checkpoint('ftckpt_1', 1)], false))).toBeUndefined();
    expect(page({ ...pageBody([], false), first_id: null, last_id: null })).toBeUndefined();
    expect(error({ error: { message: 'm', type: 't', param: null, code: 'c' } })).toBeUndefined();
  });

  it.each<[string, Check, unknown, string]>([
    ['not an object', item, [], 'the value: expected object'],
    [
      'a missing required field',
      item,
      { ...checkpoint('a', 1), metrics: undefined },
      '`metrics`: missing',
    ],
    [
      'a wrong enum value',
      page,
      { ...pageBody([], false), object: 'lists' },
      '`object`: expected "list"',
    ],
    [
      'anyOf: neither string nor null',
      error,
      { error: { message: 'm', type: 't', param: null, code: 5 } },
      '`error.code`: expected string or null',
    ],
    [
      'items through $ref, with the index',
      page,
      pageBody([checkpoint('a', 1), { id: 'b' }], false),
      '`data.1.created_at`: missing',
    ],
    [
      '$ref to Error, nested',
      error,
      { error: { message: 1, type: 't', param: null, code: null } },
      '`error.message`: expected string',
    ],
    [
      'integer is not any number',
      item,
      { ...checkpoint('a', 1), created_at: 1.5 },
      '`created_at`: expected integer',
    ],
  ])('names %s', (_name, check, value, problem) => {
    expect(check(value)).toBe(problem);
  });
});

describe('idProblem (src/shape.ts)', () => {
  it('an object with a non-empty string id', () => {
    expect(idProblem({ id: 'x' })).toBeUndefined();
    for (const bad of [null, 'x', [], {}, { id: '' }, { id: 1 }, { id: {} }, [{ id: 'x' }]])
      expect(idProblem(bad)).toMatch(/non-empty string/);
  });
});

describe('the generated checks give the messages of src/shape.ts, on any instance', () => {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8'));
  const components = spec.components.schemas;
  const { keys, values } = vocabulary(spec);
  it.each<[SchemaName, Check, Check]>([
    ['FineTuningJobCheckpoint', checkFineTuningJobCheckpoint, checkFineTuningJobCheckpointWhole],
    [
      'ListFineTuningJobCheckpointsResponse',
      checkListFineTuningJobCheckpointsResponse,
      checkListFineTuningJobCheckpointsResponseWhole,
    ],
    ['ErrorResponse', checkErrorResponse, checkErrorResponse],
  ])('%s, delivered and whole', (name, delivered, whole) => {
    const valid = validInstance({ $ref: `#/components/schemas/${name}` }, components);
    const [oldDelivered, oldWhole] = [shapeChecker(name), shapeChecker(name, true)];
    fc.assert(
      fc.property(fc.oneof(valid, mutatedInstance(valid, keys, values)), (value) => {
        expect(delivered(value)).toBe(oldDelivered(value));
        expect(whole(value)).toBe(oldWhole(value));
      }),
      { numRuns: 300 },
    );
  });

  it('the page check is the envelope whole, `data` an array whose items are the item check’s', () => {
    const { page, item, error } = listFineTuningJobCheckpoints;
    expect(item).toBe(checkFineTuningJobCheckpoint);
    expect(error).toBe(checkErrorResponse);
    expect(page(pageBody([{ id: 'b' }], false))).toBeUndefined();
    expect(page({ ...pageBody([], false), data: undefined })).toBe('`data`: missing');
    expect(page({ ...pageBody([], false), data: {} })).toBe('`data`: expected array');
    expect(page({ ...pageBody([], false), has_more: 'no' })).toBe('`has_more`: expected boolean');
    expect(page('x')).toBe('the value: expected object');
    // Whole: its cursors are read by the pagination, so a wrong one is refused, as before.
    expect(page({ ...pageBody([], false), last_id: 5 })).toBe('`last_id`: expected string or null');
    expect(page({ ...pageBody([], false), first_id: null, last_id: null })).toBeUndefined();
  });
});
