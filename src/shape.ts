// Checks a value against a schema of `generated/checkpoints.schemas.ts`: the spec's component
// schemas reduced to the keywords a runtime check needs. Generic over those keywords, so the
// shape checked is always the spec's, never a hand-written copy.
import { schemas } from '../generated/checkpoints.schemas.js';

/** A reduced schema: what the pipeline keeps of a JSON Schema. */
interface Schema {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly Schema[];
  readonly $ref?: string;
}

/** The name of a component schema of the spec. */
export type SchemaName = keyof typeof schemas;

function hasType(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function describeSchema(schema: Schema): string {
  if (schema.$ref) return `a ${schema.$ref}`;
  if (schema.anyOf) return schema.anyOf.map(describeSchema).join(' or ');
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' or ');
  return schema.type === 'integer' || schema.type === 'object' || schema.type === 'array'
    ? `an ${schema.type}`
    : `a ${schema.type}`;
}

/**
 * What is wrong with `value` under `schema`, as `` `field` problem `` (the field as a dotted path
 * below `at`), or `undefined` when it conforms: the type, enum and `anyOf` of the value and of
 * every required field, to any depth. Fields the schema does not require are not checked, and
 * fields it does not name are allowed: the API may add fields.
 */
export function shapeProblem(value: unknown, schema: Schema, at = ''): string | undefined {
  if (schema.$ref) return shapeProblem(value, schemas[schema.$ref as SchemaName], at);
  const field = at === '' ? 'the value' : `\`${at}\``;
  if (schema.anyOf) {
    return schema.anyOf.some((option) => shapeProblem(value, option, at) === undefined)
      ? undefined
      : `${field} is not ${describeSchema(schema)}`;
  }
  if (!hasType(value, schema.type)) return `${field} is not ${describeSchema(schema)}`;
  if (schema.enum && !schema.enum.includes(value)) {
    return `${field} is not ${describeSchema({ enum: schema.enum })}`;
  }
  const prefix = at === '' ? '' : `${at}.`;
  // Required fields only: an optional one (a metric the API left null, say) must not cost the
  // caller a whole listing, and nothing in this package relies on its type.
  for (const name of schema.required ?? []) {
    const child = (value as Record<string, unknown>)[name];
    if (child === undefined) return `\`${prefix}${name}\` is missing`;
    const problem = shapeProblem(child, schema.properties?.[name] ?? {}, `${prefix}${name}`);
    if (problem) return problem;
  }
  if (schema.items) {
    const list = value as unknown[];
    for (let index = 0; index < list.length; index++) {
      const problem = shapeProblem(list[index], schema.items, `${prefix}${index}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The checkpoint schema, for item checks. */
export const CHECKPOINT_SCHEMA: Schema = schemas.FineTuningJobCheckpoint;

/** The least every paginated item must be: an object with a non-empty string `id`. */
export function idProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'the item is not an object';
  const { id } = item as { id?: unknown };
  return typeof id === 'string' && id !== '' ? undefined : '`id` is not a non-empty string';
}
