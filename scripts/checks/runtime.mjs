// The few helpers every generated checks module shares, written once into each (only those its
// checks call). Tiny on purpose: a consumer's bundle carries them, and they read no schema.

/** The types every checks module starts with. */
export const RUNTIME_TYPES = `
/** What is wrong with a value, as \`\` \`field.path\`: expected integer \`\`; \`undefined\` when it conforms. */
export type Check = (value: unknown) => string | undefined;

/** The checks of a cursor-paginated list operation. */
export interface PageOperationChecks {
  /**
   * The 2xx body as an envelope, whole (its cursors are read): \`data\` is checked to be an
   * array, not its items.
   */
  readonly page: Check;
  /** One item of \`data\`. */
  readonly item: Check;
  /** The error body (\`4XX\`, \`5XX\`, \`default\`), when the operation declares one. */
  readonly error?: Check;
}

/** The checks of an operation that answers one body. */
export interface BodyOperationChecks {
  /** The 2xx body, when the operation declares one. */
  readonly body?: Check;
  /** The error body (\`4XX\`, \`5XX\`, \`default\`), when the operation declares one. */
  readonly error?: Check;
}

/** What is wrong: what was expected, then the path to it, innermost key first (made only on failure). */
type Problem = string[] | undefined;
/** Finds the first problem of a value. */
type Finder = (v: unknown) => Problem;
`;

/** Each helper's source, by name; `message` is always written (every export calls it). */
export const RUNTIME_HELPERS = {
  isObject: `
/** A JSON object: not null, not an array. */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);`,
  at: `
/** \`problem\`, one level down: under \`key\`. */
const at = (key: string, problem: Problem): Problem => {
  problem?.push(key);
  return problem;
};`,
  required: `
/** A field its schema requires: missing, or what its finder says. */
const required = (object: Record<string, unknown>, key: string, find: Finder): Problem => {
  const value = object[key];
  return at(key, value === undefined ? ['missing'] : find(value));
};`,
  optional: `
/** A field its schema does not require (whole checks only): checked when present and not null. */
const optional = (object: Record<string, unknown>, key: string, find: Finder): Problem => {
  const value = object[key];
  return value === undefined || value === null ? undefined : at(key, find(value));
};`,
  items: `
/** Every item of an array, up to the first problem. */
const items = (list: unknown[], find: Finder): Problem => {
  for (let index = 0; index < list.length; index++) {
    const problem = find(list[index]);
    if (problem) return at(String(index), problem);
  }
  return undefined;
};`,
  entries: `
/** Every entry of a map (\`additionalProperties\`) but the \`named\` fields, up to the first problem. */
const entries = (object: Record<string, unknown>, named: readonly string[], find: Finder): Problem => {
  for (const key in object) {
    if (named.includes(key)) continue;
    const problem = find(object[key]);
    if (problem) return at(key, problem);
  }
  return undefined;
};`,
  codePoints: `
/** The length of a string in code points, as JSON Schema counts it. */
const codePoints = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};`,
  message: `
/** A problem as a message: \`\` \`a.b\`: expected integer \`\`, or \`the value: …\` at the top. */
const message = (problem: Problem): string | undefined =>
  problem && \`\${problem.length > 1 ? \`\\\`\${problem.slice(1).reverse().join('.')}\\\`\` : 'the value'}: \${problem[0]}\`;`,
};

/** Which helpers each helper calls. */
const CALLS = { required: ['at'], optional: ['at'], items: ['at'], entries: ['at'] };

/** The source of the helpers `used` need (and `message`), in a fixed order. */
export function runtimeSource(used) {
  const wanted = new Set(['message', ...used]);
  for (const name of used) for (const callee of CALLS[name] ?? []) wanted.add(callee);
  return Object.entries(RUNTIME_HELPERS)
    .filter(([name]) => wanted.has(name))
    .map(([, source]) => source)
    .join('\n');
}
