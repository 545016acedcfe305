/**
 * Small text helpers shared by the table, the chart and CSV: number and date formatting. (Making
 * server text safe to print is safe-text.ts; terminal columns are width.ts.)
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

/** Magnitudes from here on are written with an exponent: 1e308 in full is 309 digits. */
const EXPONENT_FROM = 1e15;

/** 4 significant digits and an exponent, no trailing zeros: `1.797e+308`, `1e-7`. */
export function formatExponential(value: number): string {
  return value.toExponential(3).replace(/\.?0+e/, 'e');
}

/**
 * A number with at most 4 decimals and no trailing zeros: `0.1234`, `10.112`, `2000`; from
 * 1e15 on, with an exponent (`1.797e+308`).
 */
export function formatNumber(value: number): string {
  return Math.abs(value) >= EXPONENT_FROM ? formatExponential(value) : NUMBER.format(value);
}
