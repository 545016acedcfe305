/**
 * The CLI's last check on what the server sent, before anything is printed: every checkpoint
 * must have the fields and types of the spec's `FineTuningJobCheckpoint` schema (read from the
 * generated runtime schemas, never restated here), with finite numbers. What fails is one line
 * and exit 1 ("cannot be shown"), never a crash in a formatter halfway through a table.
 */
import { schemas } from '../../generated/checkpoints.schemas.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { CliFailure } from './exit.js';

interface Schema {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly $ref?: string;
}

function typeProblem(value: unknown, type: string): string | undefined {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'is not an object';
    case 'array':
      return Array.isArray(value) ? undefined : 'is not an array';
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'is not an integer';
    case 'number':
      // JSON.parse turns 1e400 into Infinity, which JSON output would turn into null.
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : 'is not a finite number';
    case 'null':
      return value === null ? undefined : 'is not null';
    default:
      return typeof value === type ? undefined : `is not a ${type}`;
  }
}

/**
 * The first way `value` breaks `schema`, as "`path` is not …", or `undefined`. `enum` is not
 * checked: an unexpected `object` tag does not stop a checkpoint from being shown. A `null`
 * optional property counts as absent, as the formatters treat it.
 */
export function schemaProblem(value: unknown, schema: Schema, path: string): string | undefined {
  if (schema.$ref !== undefined) {
    return schemaProblem(value, (schemas as Record<string, Schema>)[schema.$ref] ?? {}, path);
  }
  if (schema.anyOf !== undefined) {
    const problems = schema.anyOf.map((option) => schemaProblem(value, option, path));
    return problems.includes(undefined) ? undefined : problems[0];
  }
  const problem = schema.type === undefined ? undefined : typeProblem(value, schema.type);
  if (problem !== undefined) return `${path} ${problem}`;
  if (schema.type === 'array' && schema.items !== undefined) {
    for (const [i, item] of (value as unknown[]).entries()) {
      const itemProblem = schemaProblem(item, schema.items, `${path}[${i}]`);
      if (itemProblem !== undefined) return itemProblem;
    }
  }
  if (schema.type !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const name of schema.required ?? []) {
    if (!(name in record)) return `${path}.${name} is missing`;
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = record[name];
    const required = schema.required?.includes(name) === true;
    if (field === undefined || (field === null && !required)) continue;
    const fieldProblem = schemaProblem(field, property, `${path}.${name}`);
    if (fieldProblem !== undefined) return fieldProblem;
  }
  return undefined;
}

/**
 * Checks one page of items before they are printed.
 *
 * @param page - 1-based page number, for the message; `undefined` when the items are not one
 * page (`toArray`), and then the position counts from the first item.
 * @throws {@link CliFailure} naming the page, the item and the field.
 */
export function checkDisplayable(items: readonly unknown[], page?: number): Checkpoint[] {
  for (const [i, item] of items.entries()) {
    const problem = schemaProblem(item, schemas.FineTuningJobCheckpoint, 'checkpoint');
    if (problem !== undefined) {
      const where = page === undefined ? `item ${i + 1}` : `page ${page}, item ${i + 1}`;
      throw new CliFailure(
        `the server sent a checkpoint that cannot be shown (${where}): ${problem}`,
      );
    }
  }
  return items as Checkpoint[];
}
