/**
 * Terminal columns: how many a text takes, and shortening it without splitting a character.
 * Counted per grapheme (what a reader sees as one character, by `Intl.Segmenter`): an emoji is
 * two columns, an East Asian wide or fullwidth character two (Unicode's East Asian Width, via
 * `get-east-asian-width`, bundled into the CLI), one of zero-width characters only (a lone
 * zero-width joiner or space, a variation selector) none, anything else one. Where terminals
 * disagree, the larger count is taken: a line a column short is harmless, one too long wraps.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Text of characters that are each one column and one UTF-16 unit, and never join a neighbour
 * into one grapheme (printable ASCII, Latin-1 and Latin letters without the soft hyphen, most
 * punctuation, `…`, U+FFFD): its width is its length, with no segmentation (which costs far
 * more, and almost every cell of a table is like this).
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\ufffd]*$/;
/** A grapheme that terminals draw as an emoji: two columns. */
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
/**
 * A grapheme made only of characters that every terminal draws in no column: zero-width space,
 * (non-)joiners, word joiner and invisible operators, variation selectors, BOM, tags. (Not every
 * default-ignorable character: a Hangul filler, say, takes two columns on many terminals.)
 */
const INVISIBLE = /^[\u200b-\u200d\u2060-\u2064\ufe00-\ufe0f\ufeff\u{e0000}-\u{e0fff}]+$/u;

/** Grapheme boundaries (immutable, like text.ts's number format: made once, shared). */
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The graphemes of `text`, in order. */
function graphemesOf(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (part) => part.segment);
}

/** The columns one grapheme takes. */
function graphemeWidth(grapheme: string): number {
  if (NARROW.test(grapheme)) return grapheme.length;
  if (EMOJI.test(grapheme)) return 2;
  if (INVISIBLE.test(grapheme)) return 0;
  return eastAsianWidth(grapheme.codePointAt(0) ?? 0, { ambiguousAsWide: false });
}

/**
 * The terminal columns `text` takes (text already made printable by safe-text.ts: a control
 * character has no width of its own to count).
 *
 * @example
 * ```ts
 * displayWidth('ft:模型'); // 7
 * ```
 */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const grapheme of graphemesOf(text)) width += graphemeWidth(grapheme);
  return width;
}

/**
 * `text` padded with spaces on the right to `width` columns.
 *
 * @example
 * ```ts
 * padEndTo('模', 4); // '模  '
 * ```
 */
export function padEndTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * `text` padded with spaces on the left to `width` columns.
 *
 * @example
 * ```ts
 * padStartTo('0.5', 6); // '   0.5'
 * ```
 */
export function padStartTo(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** The longest run of graphemes taken from `parts` (in their order) that fits `width` columns. */
function fitting(parts: readonly string[], width: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const part of parts) {
    const w = graphemeWidth(part);
    if (used + w > width) break;
    kept.push(part);
    used += w;
  }
  return kept;
}

/**
 * Shortens `text` to at most `width` columns by replacing its middle with `…`, keeping more of
 * the end: a model checkpoint name differs from its siblings in its tail (`…:ckpt-step-140`).
 * Cuts fall between graphemes only, so an emoji or an accented letter is never split (a wide
 * character that does not fit leaves its column blank instead).
 *
 * @example
 * ```ts
 * truncateMiddle('ft:gpt-4o-mini:org:ckpt-step-140', 16); // 'ft:gp…-step-140'
 * ```
 */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return '';
  const parts = NARROW.test(text) ? [...text] : graphemesOf(text);
  const headWidth = Math.floor((width - 1) / 3);
  const head = fitting(parts, headWidth);
  const tail = fitting([...parts].reverse(), width - 1 - headWidth).reverse();
  return `${head.join('')}…${tail.join('')}`;
}
