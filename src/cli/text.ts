/**
 * Small text helpers shared by the table, the chart and CSV: number and date formatting, and
 * making server text safe to print.
 */

/** The seconds since the epoch of `created_at` as ISO 8601 UTC, to the second. */
export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  // An out-of-range timestamp would make toISOString() throw; show it raw instead.
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace('.000Z', 'Z');
}

/**
 * A shorter form of an {@link isoDate} for a narrow table: level 1 drops the seconds
 * (`2024-07-23 20:01`), level 2 the year too (`07-23 20:01`). Anything else is kept whole.
 */
export function narrowDate(iso: string, level: number): string {
  const match = /^(\d{4})-(\d\d-\d\d)T(\d\d:\d\d):\d\dZ$/.exec(iso);
  if (match === null || level <= 0) return iso;
  return level === 1 ? `${match[1]}-${match[2]} ${match[3]}` : `${match[2]} ${match[3]}`;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false });

/** A number with at most 4 decimals and no trailing zeros: `0.1234`, `10.112`, `2000`. */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

/**
 * Replaces control characters (ESC included) in text from the server: printed raw to a terminal
 * they could move the cursor, recolour or retitle it.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/**
 * Shortens `text` to `width` characters by replacing its middle with `…`, keeping more of the
 * end: a model checkpoint name differs from its siblings in its tail (`…:ckpt-step-140`).
 */
export function truncateMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.floor((width - 1) / 3);
  const tail = width - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}
