/**
 * `chart`: metrics across steps as a line chart of Unicode box-drawing characters. Pure: series
 * and a width in, text out. Each series has its own line style (light, heavy, double, dashed),
 * so the chart reads without colour; colour is added on top when the terminal takes it.
 */
import { formatExponential, formatNumber } from './text.js';
import { truncateMiddle } from './width.js';

/** One metric's values, by step. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly { readonly step: number; readonly value: number }[];
}

/** The checkpoint to mark: the best one of the first series. */
export interface ChartMark {
  readonly step: number;
  readonly value: number;
  /** What the legend says about it, e.g. `best full_valid_loss (lowest): 0.1234 at step 140`. */
  readonly label: string;
  /** Lines under the label (the model checkpoint name); all are shortened to fit. */
  readonly details?: readonly string[];
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Total width in columns, axis labels included; at most {@link MAX_CHART_WIDTH}. */
  readonly width: number;
  /** Rows of the plot area (default 12). */
  readonly height?: number;
  /** ANSI colours (only for a terminal that takes them). */
  readonly colour?: boolean;
  readonly mark?: ChartMark | undefined;
}

interface LineStyle {
  readonly flat: string;
  readonly vertical: string;
  /** Turning up: the corner on the old row, and on the new one. */
  readonly upFrom: string;
  readonly upTo: string;
  /** Turning down: the corner on the old row, and on the new one. */
  readonly downFrom: string;
  readonly downTo: string;
}

const STYLES: readonly LineStyle[] = [
  { flat: '─', vertical: '│', upFrom: '╯', upTo: '╭', downFrom: '╮', downTo: '╰' },
  { flat: '━', vertical: '┃', upFrom: '┛', upTo: '┏', downFrom: '┓', downTo: '┗' },
  { flat: '═', vertical: '║', upFrom: '╝', upTo: '╔', downFrom: '╗', downTo: '╚' },
  { flat: '╌', vertical: '╎', upFrom: '┘', upTo: '┌', downFrom: '┐', downTo: '└' },
];
const COLOURS = [36, 33, 35, 32, 34, 31, 37];
const MARK = '◆';
const MIN_PLOT_WIDTH = 10;

/**
 * The widest chart drawn, in columns: wider than any terminal, and a bound on the grid's memory
 * (`COLUMNS=99999999999` would ask for a grid of a hundred billion cells).
 */
export const MAX_CHART_WIDTH = 1000;

/**
 * Where `value` sits from `low` (0) to `high` (1). The span of two doubles far apart (±1e308)
 * is itself too large for a double; half of it never is.
 */
export function fraction(value: number, low: number, high: number): number {
  if (high === low) return 0;
  const span = high - low;
  return Number.isFinite(span)
    ? (value - low) / span
    : (value / 2 - low / 2) / (high / 2 - low / 2);
}

/** The value at `t` (from 0 to 1) from `low` to `high`; never overflows for finite ends. */
export function lerp(low: number, high: number, t: number): number {
  return low * (1 - t) + high * t;
}

/** The smallest and largest of `values` (a loop: spreading 200,000 points would overflow). */
function extent(values: readonly number[]): [min: number, max: number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/**
 * A value range that a flat line can be drawn in: an empty range is widened around its value,
 * by 1 or by a sixteenth of the value when that is larger (±1 is nothing next to 1e308), and
 * kept within the doubles.
 */
function drawableRange(min: number, max: number): [min: number, max: number] {
  if (min !== max) return [min, max];
  const pad = Math.max(1, Math.abs(min) / 16);
  return [Math.max(-Number.MAX_VALUE, min - pad), Math.min(Number.MAX_VALUE, max + pad)];
}

/**
 * Axis labels for values up to `magnitude`: at most 4 decimals, or, for a range too large or
 * too small for that to show (1e308 has 309 digits, 1e-7 shows as 0), every label with an
 * exponent, so that the axis reads in one notation.
 */
function axisFormat(magnitude: number): (value: number) => string {
  return magnitude < 1e15 && magnitude >= 1e-3 ? formatNumber : formatExponential;
}

const styleOf = (series: number): LineStyle => STYLES[series % STYLES.length] as LineStyle;

function paint(text: string, code: number | undefined, colour: boolean): string {
  return colour && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/**
 * The value of each plot column for one series: the mean of the points that fall in it, and
 * straight-line values between columns with points, so that a sparse metric (one reported
 * every few steps) still draws a connected line. `undefined` before the first and after the last.
 */
export function resample(
  points: ChartSeries['points'],
  columnOf: (step: number) => number,
  columns: number,
): (number | undefined)[] {
  // Running means, not sums: two values of 1e308 in one column would sum to Infinity.
  const means = new Array<number>(columns).fill(0);
  const counts = new Array<number>(columns).fill(0);
  for (const { step, value } of points) {
    const column = columnOf(step);
    const count = (counts[column] ?? 0) + 1;
    counts[column] = count;
    means[column] = lerp(means[column] ?? 0, value, 1 / count);
  }
  const known = counts.flatMap((n, column) => (n > 0 ? [column] : []));
  const values = new Array<number | undefined>(columns).fill(undefined);
  for (const [k, column] of known.entries()) {
    const value = means[column] ?? 0;
    values[column] = value;
    const next = known[k + 1];
    if (next === undefined) continue;
    const nextValue = means[next] ?? 0;
    for (let c = column + 1; c < next; c++) {
      values[c] = lerp(value, nextValue, (c - column) / (next - column));
    }
  }
  return values;
}

/** Tick labels of the y axis, top first (`undefined` for a row without one). */
function yLabels(min: number, max: number, height: number): (string | undefined)[] {
  const every = Math.max(1, Math.round((height - 1) / 4));
  const format = axisFormat(Math.max(Math.abs(min), Math.abs(max)));
  return Array.from({ length: height }, (_, row) => {
    const labelled = row % every === 0 || row === height - 1;
    if (!labelled) return undefined;
    return format(height === 1 ? max : lerp(max, min, row / (height - 1)));
  });
}

/**
 * Draws the chart: a y axis with value labels, the plot, an x axis of steps labelled at both
 * ends and the middle, axis titles, and a legend naming each line style (and the mark).
 *
 * @example
 * ```ts
 * renderChart([{ name: 'valid_loss', points: [{ step: 1, value: 2 }, { step: 2, value: 1 }] }], { width: 60 });
 * ```
 */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const height = Math.max(2, options.height ?? 12);
  const width = Math.min(options.width, MAX_CHART_WIDTH);
  const colour = options.colour === true;
  const all = series.flatMap((s) => s.points);
  const [minStep, maxStep] = extent(all.map((p) => p.step));
  // A flat line still needs a scale: centre it.
  const [min, max] = drawableRange(...extent(all.map((p) => p.value)));

  const labels = yLabels(min, max, height);
  const labelWidth = labels.reduce((widest, label) => Math.max(widest, label?.length ?? 0), 0);
  const plotWidth = Math.max(MIN_PLOT_WIDTH, width - labelWidth - 2);
  const columnOf = (step: number): number =>
    Math.round(fraction(step, minStep, maxStep) * (plotWidth - 1));
  const rowOf = (value: number): number =>
    height - 1 - Math.round(fraction(value, min, max) * (height - 1));

  // The grid: one glyph and the series that drew it, per cell; later series draw over earlier.
  const grid = Array.from({ length: height }, () =>
    new Array<{ glyph: string; colour: number | undefined }>(plotWidth).fill({
      glyph: ' ',
      colour: undefined,
    }),
  );
  const put = (row: number, column: number, glyph: string, code: number | undefined) => {
    const line = grid[row];
    if (line !== undefined && column >= 0 && column < plotWidth)
      line[column] = { glyph, colour: code };
  };
  series.forEach((s, index) => {
    const style = styleOf(index);
    const code = COLOURS[index % COLOURS.length];
    const line = resample(s.points, columnOf, plotWidth);
    for (let column = 0; column < plotWidth; column++) {
      const value = line[column];
      if (value === undefined) continue;
      const row = rowOf(value);
      const nextValue = line[column + 1];
      const next = nextValue === undefined ? row : rowOf(nextValue);
      if (next === row) {
        put(row, column, style.flat, code);
        continue;
      }
      const up = next < row;
      put(row, column, up ? style.upFrom : style.downFrom, code);
      put(next, column, up ? style.upTo : style.downTo, code);
      for (let r = Math.min(row, next) + 1; r < Math.max(row, next); r++) {
        put(r, column, style.vertical, code);
      }
    }
  });
  const { mark } = options;
  if (mark !== undefined) put(rowOf(mark.value), columnOf(mark.step), MARK, 1);

  const lines: string[] = [`${' '.repeat(labelWidth)}  value`];
  grid.forEach((cells, row) => {
    const label = labels[row];
    const axis = label === undefined ? '│' : '┤';
    const plot = cells.map((cell) => paint(cell.glyph, cell.colour, colour)).join('');
    lines.push(`${(label ?? '').padStart(labelWidth)} ${axis}${plot}`.trimEnd());
  });
  lines.push(...xAxis(minStep, maxStep, labelWidth, plotWidth, columnOf));
  lines.push('');
  series.forEach((s, index) => {
    const sample = paint(styleOf(index).flat.repeat(2), COLOURS[index % COLOURS.length], colour);
    lines.push(`  ${sample} ${s.name}`);
  });
  if (mark !== undefined) {
    const room = Math.max(MIN_PLOT_WIDTH, width - 5);
    lines.push(`  ${paint(MARK, 1, colour)}  ${truncateMiddle(mark.label, room)}`);
    for (const detail of mark.details ?? []) lines.push(`     ${truncateMiddle(detail, room)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The x axis: a line with ticks, step labels at the ends and the middle, and its title. */
function xAxis(
  minStep: number,
  maxStep: number,
  labelWidth: number,
  plotWidth: number,
  columnOf: (step: number) => number,
): string[] {
  const offset = labelWidth + 2;
  const width = offset + plotWidth;
  const ticks = [...new Set([minStep, Math.round(lerp(minStep, maxStep, 0.5)), maxStep])];
  const axis = ['└', ...new Array<string>(plotWidth).fill('─')];
  const labels = new Array<string>(width).fill(' ');
  const taken: { start: number; end: number }[] = [];
  // The ends first: a crowded axis loses its middle label, never the first or the last step.
  const order = ticks.length === 3 ? [ticks[0], ticks[2], ticks[1]] : ticks;
  for (const step of order as number[]) {
    const column = columnOf(step);
    axis[column + 1] = '┬';
    const text = formatNumber(step);
    // Centred on its tick, kept inside the line, a space away from any other label.
    const start = Math.max(
      0,
      Math.min(offset + column - Math.floor(text.length / 2), width - text.length),
    );
    const end = start + text.length;
    if (taken.some((other) => start <= other.end && other.start <= end)) continue;
    [...text].forEach((ch, i) => (labels[start + i] = ch));
    taken.push({ start, end });
  }
  const title = 'step';
  const titleAt = offset + Math.floor((plotWidth - title.length) / 2);
  return [
    `${' '.repeat(labelWidth + 1)}${axis.join('')}`,
    labels.join('').trimEnd(),
    `${' '.repeat(Math.max(0, titleAt))}${title}`,
  ];
}
