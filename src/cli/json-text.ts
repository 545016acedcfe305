/**
 * JSON text of what the API sent, at any depth. `JSON.stringify` recurses, so a value nested
 * some thousands of levels deep (valid JSON, and well within the response size limit) overflows
 * its stack; and indenting such a value would take space quadratic in its depth. Such a value is
 * written by a loop instead, indented down to {@link MAX_INDENTED_DEPTH} and compact below.
 */
import { escapeJsonForTerminal } from './safe-text.js';

/**
 * How deep a value that `JSON.stringify` could not write is still indented: below, it is written
 * compact (the same JSON value; indenting a 20,000-deep value would take 800 MB of spaces).
 */
const MAX_INDENTED_DEPTH = 100;

/** A container being written: its entries, the next one to write, and how to close it. */
interface Frame {
  readonly entries: readonly (readonly [key: string | undefined, value: unknown])[];
  next: number;
  readonly close: string;
  readonly depth: number;
}

/** What `JSON.stringify` leaves out of an object (and writes as `null` in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * `JSON.stringify(value, null, indent)` without recursion, for data from `JSON.parse` (no
 * `toJSON`, no cycles): the same text (key order, spacing, escapes), except that the entries of
 * containers deeper than `maxIndentedDepth` are written compact.
 */
export function stringifyWithoutRecursion(
  value: unknown,
  indent: number,
  maxIndentedDepth = Number.POSITIVE_INFINITY,
): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  const pad = ' '.repeat(indent);
  const indented = (depth: number): boolean => indent > 0 && depth <= maxIndentedDepth;
  const newline = (depth: number): string => (indented(depth) ? `\n${pad.repeat(depth)}` : '');

  const begin = (item: unknown, depth: number): void => {
    if (typeof item !== 'object' || item === null) {
      parts.push(JSON.stringify(isOmitted(item) ? null : item));
      return;
    }
    const isArray = Array.isArray(item);
    const entries = isArray
      ? item.map((element: unknown) => [undefined, isOmitted(element) ? null : element] as const)
      : Object.entries(item).filter(([, field]) => !isOmitted(field));
    if (entries.length === 0) {
      parts.push(isArray ? '[]' : '{}');
      return;
    }
    parts.push(isArray ? '[' : '{');
    stack.push({ entries, next: 0, close: isArray ? ']' : '}', depth });
  };

  begin(value, 0);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const { depth } = frame;
    const entry = frame.entries[frame.next];
    // The entries of a container are indented when their depth is; its closing bracket follows.
    const inner = indented(depth + 1);
    if (entry === undefined) {
      parts.push(`${inner ? newline(depth) : ''}${frame.close}`);
      stack.pop();
      continue;
    }
    const [key, item] = entry;
    const separator = frame.next > 0 ? ',' : '';
    const label = key === undefined ? '' : `${JSON.stringify(key)}${inner ? ': ' : ':'}`;
    parts.push(`${separator}${newline(depth + 1)}${label}`);
    frame.next++;
    begin(item, depth + 1);
  }
  return parts.join('');
}

/** `JSON.stringify`, or the loop when that overflows its stack. */
function stringify(value: unknown, indent: number): string {
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    // Only a stack overflow takes the loop: it is slower, and deep values are rare.
    if (!(error instanceof RangeError)) throw error;
    return stringifyWithoutRecursion(value, indent, MAX_INDENTED_DEPTH);
  }
}

/**
 * The JSON text of `value` (indented by `indent` spaces, or compact for 0), at any depth, and
 * safe on a terminal ({@link escapeJsonForTerminal}): the same JSON value as the API sent. An
 * array is written item by item, so one deep item does not slow down the others.
 *
 * @example
 * ```ts
 * jsonText({ id: 'ckpt_1' }, 2); // '{\n  "id": "ckpt_1"\n}'
 * ```
 */
export function jsonText(value: unknown, indent: number): string {
  if (!Array.isArray(value) || value.length === 0) {
    return escapeJsonForTerminal(stringify(value, indent));
  }
  const newline = indent > 0 ? `\n${' '.repeat(indent)}` : '';
  // An item's own line breaks get one more level: JSON text has no raw line break elsewhere.
  const items = value.map((item: unknown) =>
    stringify(isOmitted(item) ? null : item, indent).replaceAll('\n', newline),
  );
  const close = indent > 0 ? '\n' : '';
  return escapeJsonForTerminal(`[${newline}${items.join(`,${newline}`)}${close}]`);
}
