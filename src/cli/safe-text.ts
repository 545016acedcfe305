/**
 * Terminal safety: which characters in text from the server could act on a terminal instead of
 * printing, and how each output keeps them from doing so. Where each is applied (tables, charts,
 * JSON, CSV, `--field`, messages) is documented in docs/cli.md, "Terminal safety".
 */

/**
 * What must not reach a terminal raw: C0 and C1 controls and DEL (escape sequences such as OSC 52,
 * which writes the clipboard, clear-screen, colours, BEL, NUL, a carriage return that rewrites
 * the line), the BiDi controls U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069 (they
 * reorder what follows, so one model name can display as another), the line and paragraph
 * separators U+2028 and U+2029, and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\p{Cs}]/gu;

/**
 * The same set less what `JSON.stringify` already escapes (C0 controls, lone surrogates): in JSON
 * text these can only stand inside strings, where a `\u` escape means the same character.
 */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** The character shown in place of an unsafe one: visible, and one column wide. */
const REPLACEMENT = '\uFFFD';

/**
 * `text` with every unsafe character (see {@link UNSAFE}) replaced by U+FFFD, for text
 * that people read: tables, charts, `best`, `watch`, messages.
 *
 * @example
 * ```ts
 * printable('ft:\u001b[2Jx\u202e'); // 'ft:\uFFFD[2Jx\uFFFD'
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, REPLACEMENT);
}

/**
 * JSON text from `JSON.stringify`, with the unsafe characters it leaves raw (DEL, C1 controls,
 * BiDi controls, U+2028, U+2029) written as `\u` escapes: the same JSON value, byte for byte
 * safe on a terminal.
 *
 * @example
 * ```ts
 * escapeJsonForTerminal(JSON.stringify('a\u202eb')); // '"a\\u202eb"'
 * ```
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(
    UNSAFE_IN_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
