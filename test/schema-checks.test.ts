// The item checker is generic over the reduced schemas the pipeline generates from the spec
// (generated/checkpoints.schemas.ts): type, enum, anyOf, required, items and $ref, so what it
// checks is always the spec's shape, never a hand-written copy.
import { describe, expect, it } from 'vitest';
import { idProblem, shapeChecker } from '../src/shape.js';
import { checkpoint, pageBody } from './helpers/http.js';

describe('shapeChecker over the spec schemas', () => {
  const page = shapeChecker('ListFineTuningJobCheckpointsResponse');
  const error = shapeChecker('ErrorResponse');
  const item = shapeChecker('FineTuningJobCheckpoint');

  it('accepts what the spec allows, extra fields included; optional fields are not checked', () => {
    expect(page({ ...pageBody([], false), last_id: 5 })).toBeUndefined();
    expect(item({ ...checkpoint('ftckpt_1', 1), extra: true })).toBeUndefined();
    expect(page(pageBody([checkpoint('ftckpt_1', 1)], false))).toBeUndefined();
    expect(page({ ...pageBody([], false), first_id: null, last_id: null })).toBeUndefined();
    expect(error({ error: { message: 'm', type: 't', param: null, code: 'c' } })).toBeUndefined();
  });

  it.each<[string, (value: unknown) => string | undefined, unknown, string]>([
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

  it('idProblem: an object with a non-empty string id', () => {
    expect(idProblem({ id: 'x' })).toBeUndefined();
    for (const bad of [null, 'x', [], {}, { id: '' }, { id: 1 }, { id: {} }, [{ id: 'x' }]])
      expect(idProblem(bad)).toMatch(/non-empty string/);
  });
});
