/**
 * `chart`: metrics across steps as a line chart of Unicode box-drawing characters. Pure: series
 * and a width in, text out. Each series has its own line style (light, heavy, double, dashed),
 * so the chart reads without colour; colour is added on top when the terminal takes it.
 */
import { formatNumber, truncateMiddle } from './text.js';

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
  /** Total width in characters, axis labels included. */
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
  const sums = new Array<number>(columns).fill(0);
  const counts = new Array<number>(columns).fill(0);
  for (const { step, value } of points) {
    const column = columnOf(step);
    sums[column] = (sums[column] ?? 0) + value;
    counts[column] = (counts[column] ?? 0) + 1;
  }
  const known = counts.flatMap((n, column) => (n > 0 ? [column] : []));
  const values = new Array<number | undefined>(columns).fill(undefined);
  for (const [k, column] of known.entries()) {
    const value = (sums[column] ?? 0) / (counts[column] ?? 1);
    values[column] = value;
    const next = known[k + 1];
    if (next === undefined) continue;
    const nextValue = (sums[next] ?? 0) / (counts[next] ?? 1);
    for (let c = column + 1; c < next; c++) {
      values[c] = value + ((nextValue - value) * (c - column)) / (next - column);
    }
  }
  return values;
}

/** Tick values of the y axis, top first, and the widest label. */
function yLabels(min: number, max: number, height: number): (string | undefined)[] {
  const every = Math.max(1, Math.round((height - 1) / 4));
  return Array.from({ length: height }, (_, row) => {
    const labelled = row % every === 0 || row === height - 1;
    if (!labelled) return undefined;
    const value = height === 1 ? max : max - ((max - min) * row) / (height - 1);
    return formatNumber(value);
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
  const colour = options.colour === true;
  const all = series.flatMap((s) => s.points);
  const steps = all.map((p) => p.step);
  const values = all.map((p) => p.value);
  const minStep = Math.min(...steps);
  const maxStep = Math.max(...steps);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    // A flat line still needs a scale: centre it.
    min -= 1;
    max += 1;
  }

  const labels = yLabels(min, max, height);
  const labelWidth = Math.max(...labels.map((label) => label?.length ?? 0));
  const plotWidth = Math.max(MIN_PLOT_WIDTH, options.width - labelWidth - 2);
  const columnOf = (step: number): number =>
    maxStep === minStep
      ? 0
      : Math.round(((step - minStep) / (maxStep - minStep)) * (plotWidth - 1));
  const rowOf = (value: number): number =>
    height - 1 - Math.round(((value - min) / (max - min)) * (height - 1));

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
    const room = Math.max(MIN_PLOT_WIDTH, options.width - 5);
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
  const ticks = [...new Set([minStep, Math.round((minStep + maxStep) / 2), maxStep])];
  const axis = ['└', ...new Array<string>(plotWidth).fill('─')];
  const labels = new Array<string>(offset + plotWidth + 8).fill(' ');
  let free = 0;
  for (const step of ticks) {
    const column = columnOf(step);
    axis[column + 1] = '┬';
    const text = String(step);
    // Centred on its tick, kept inside the line, and never over the previous label.
    const start = Math.max(
      free,
      Math.min(offset + column - Math.floor(text.length / 2), offset + plotWidth - text.length),
    );
    if (start + text.length > labels.length) continue;
    [...text].forEach((ch, i) => (labels[start + i] = ch));
    free = start + text.length + 1;
  }
  const title = 'step';
  const titleAt = offset + Math.floor((plotWidth - title.length) / 2);
  return [
    `${' '.repeat(labelWidth + 1)}${axis.join('')}`,
    labels.join('').trimEnd(),
    `${' '.repeat(Math.max(0, titleAt))}${title}`,
  ];
}
