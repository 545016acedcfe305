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

/** A predicate for a JSON Schema `type` (any value passes when there is none). */
function typeCheck(type: string | undefined): (value: unknown) => boolean {
  switch (type) {
    case undefined:
      return () => true;
    case 'integer':
      return Number.isInteger;
    case 'number':
      return Number.isFinite; // false for anything but a finite number: it does not coerce
    case 'array':
      return Array.isArray;
    case 'object':
      return (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return (value) => value === null;
    default:
      return (value) => typeof value === type;
  }
}

/** What a schema expects, for messages: `integer`, `string or null`, `"list"`. */
function expected(schema: Schema): string {
  return schema.anyOf
    ? schema.anyOf.map(expected).join(' or ')
    : (schema.enum?.map((value) => JSON.stringify(value)).join(' or ') ?? `${schema.type}`);
}

/** The first problem: the path to it (built only when there is one) and what was expected. */
type Problem = [path: string[], problem: string];
type Check = (value: unknown) => Problem | undefined;

/**
 * Whether no option of an `anyOf` accepts `value`. A function of its own: a closure over `value`
 * inside a check would make every check allocate, for every field of every item.
 */
function fitsNone(options: readonly Check[], value: unknown): boolean {
  return options.every((check) => check(value) !== undefined);
}

/**
 * `schema` turned into a function that finds the first problem of a value: the type, enum and
 * `anyOf` of the value and of every required field, to any depth. Fields the schema does not
 * require are not checked (an optional one, such as a metric the API left null, must not cost
 * the caller a whole listing) unless `optional` asks for them, and then only when present and
 * not null; fields it does not name are allowed: the API may add fields.
 * Compiled once, so that checking every item of a listing walks no schema.
 */
function compile(schema: Schema, optional?: boolean): Check {
  if (schema.$ref) {
    const name = schema.$ref as SchemaName;
    let target: Check | undefined; // compiled on first use: schemas may refer to each other
    return (value) => (target ??= compile(schemas[name], optional))(value);
  }
  const options = schema.anyOf?.map((option) => compile(option, optional));
  const isType = typeCheck(schema.type);
  const allowed = schema.enum;
  const wanted = `expected ${expected(schema)}`;
  const required = schema.required ?? [];
  // With `optional`, a required field comes twice: checked twice, with the same outcome.
  const fields = (optional ? [...required, ...Object.keys(schema.properties ?? {})] : required).map(
    (name) => [name, compile(schema.properties?.[name] ?? {}, optional)] as const,
  );
  const items = schema.items && compile(schema.items, optional);
  return (value) => {
    const wrong = options
      ? fitsNone(options, value)
      : !isType(value) || (allowed !== undefined && !allowed.includes(value));
    if (wrong) return [[], wanted];
    for (const [name, check] of fields) {
      const child = (value as Record<string, unknown>)[name];
      if (child == null && !required.includes(name)) continue;
      const problem = child === undefined ? ([[], 'missing'] as Problem) : check(child);
      if (problem) return [[name, ...problem[0]], problem[1]];
    }
    // Runs for every field of every item: allocates nothing unless there is a problem.
    if (items) {
      const list = value as unknown[];
      for (let index = 0; index < list.length; index++) {
        const problem = items(list[index]);
        if (problem) return [[String(index), ...problem[0]], problem[1]];
      }
    }
    return undefined;
  };
}

/**
 * A checker for the spec's schema `name`: what is wrong with a value, as
 * `` `field`: expected integer `` (the field as a dotted path), or `undefined` when it conforms.
 * With `optional: true`, the fields a schema does not require are checked too when present and
 * not null: for data shown or served whole (the CLI's output, the mock's jobs files).
 */
export function shapeChecker(
  name: SchemaName,
  optional?: boolean,
): (value: unknown) => string | undefined {
  const check = compile(schemas[name], optional);
  return (value) => {
    const problem = check(value);
    if (!problem) return undefined;
    const [path, what] = problem;
    return `${path.length ? `\`${path.join('.')}\`` : 'the value'}: ${what}`;
  };
}

/** The least every paginated item must be: an object with a non-empty string `id`. */
export function idProblem(item: unknown): string | undefined {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' && typeof item === 'object' && !Array.isArray(item)
    ? undefined
    : '`id`: expected a non-empty string (in an object)';
}
