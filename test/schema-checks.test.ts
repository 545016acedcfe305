// The checks of the spec's schemas, with the messages the package gives: the generated checks
// (generated/checkpoints.checks.ts, written from the spec by scripts/checks/), case by case.
// Their agreement with ajv over instances of every schema is test/generated-checks.property.
import { describe, expect, it } from 'vitest';
import {
  checkErrorResponse,
  checkFineTuningJobCheckpoint,
  checkListFineTuningJobCheckpointsResponse,
  listFineTuningJobCheckpoints,
} from '../generated/checkpoints.checks.js';
import { checkpoint, pageBody } from './helpers/http.js';

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

describe('the page check of a listing', () => {
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
