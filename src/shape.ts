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

/** What a schema expects, for messages: `integer`, `string or null`, `"list"`. */
function expected(schema: Schema): string {
  return schema.anyOf
    ? schema.anyOf.map(expected).join(' or ')
    : (schema.enum?.map((value) => JSON.stringify(value)).join(' or ') ?? `${schema.type}`);
}

/**
 * What is wrong with `value` under `schema`, as `` `field`: expected integer `` (the field as a
 * dotted path below `at`), or `undefined` when it conforms: the type, enum and `anyOf` of the value and of
 * every required field, to any depth. Fields the schema does not require are not checked, and
 * fields it does not name are allowed: the API may add fields.
 */
export function shapeProblem(value: unknown, schema: Schema, at = ''): string | undefined {
  if (schema.$ref) return shapeProblem(value, schemas[schema.$ref as SchemaName], at);
  const wrong = schema.anyOf
    ? schema.anyOf.every((option) => shapeProblem(value, option, at) !== undefined)
    : !hasType(value, schema.type) || (schema.enum !== undefined && !schema.enum.includes(value));
  if (wrong) return `${at === '' ? 'the value' : `\`${at}\``}: expected ${expected(schema)}`;
  const prefix = at === '' ? '' : `${at}.`;
  // Required fields only: an optional one (a metric the API left null, say) must not cost the
  // caller a whole listing, and nothing in this package relies on its type.
  for (const name of schema.required ?? []) {
    const child = (value as Record<string, unknown>)[name];
    if (child === undefined) return `\`${prefix}${name}\`: missing`;
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
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' && typeof item === 'object' && !Array.isArray(item)
    ? undefined
    : '`id`: expected a non-empty string (in an object)';
}
