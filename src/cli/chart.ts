/**
 * `chart`: metrics across steps, in the terminal. Pure: series and a size in, text out.
 *
 * Series of one kind (the losses, the accuracies) share a panel and its y axis; panels are
 * stacked, one above the other, over one x axis of steps. Each series of a panel is drawn with a
 * glyph of its own (`●`, `+`, `·`, ...), named in the panel's legend, so the chart reads without
 * colour and a series never turns into another where lines cross; the first series of a panel is
 * drawn last, on top of the others, and named first. Colour is added when the terminal takes it.
 */
import { formatExponential, formatNumber } from './text.js';
import { displayWidth, truncateMiddle } from './width.js';

/** One metric's values, by step. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly { readonly step: number; readonly value: number }[];
  /**
   * The panel it is drawn in (its title, e.g. `losses`): series with the same panel share a y
   * axis. Default: one panel for all.
   */
  readonly panel?: string;
  /** A shorter name for a legend too narrow for the full ones (`fv_loss`). */
  readonly shortName?: string;
}

/** The checkpoint to mark: the best one of the first series. */
export interface ChartMark {
  readonly step: number;
  readonly value: number;
  /** What the legend says about it, e.g. `best full_valid_loss: 0.1234 at step 140`. */
  readonly label: string;
  /** Lines under the label (the model checkpoint name); all are shortened to fit. */
  readonly details?: readonly string[];
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Total width in columns, axis labels included; at most {@link MAX_CHART_WIDTH}. */
  readonly width: number;
  /**
   * Total height in lines, title to legend (default {@link DEFAULT_CHART_HEIGHT}); a chart is
   * never less than {@link MIN_PANEL_ROWS} rows of plot per panel.
   */
  readonly height?: number;
  /** ANSI colours (only for a terminal that takes them). */
  readonly colour?: boolean;
  /** A title line (the job, the count) drawn first, shortened to fit. */
  readonly title?: string;
  readonly mark?: ChartMark | undefined;
}

/** The glyph of each series of a panel, in order: the first (drawn on top) stands out most. */
const GLYPHS = ['●', '+', '·', '×', '○', '▪', '*'];
const COLOURS = [36, 33, 35, 32, 34, 31, 37];
const MARK = '◆';
const MIN_PLOT_WIDTH = 10;

/** The height of a chart when none is given: a classic terminal's 24 lines, less two. */
export const DEFAULT_CHART_HEIGHT = 22;

/** The fewest rows of plot a panel gets, however small the height asked for. */
const MIN_PANEL_ROWS = 3;

/** The smallest height `chart --height` takes. */
export const MIN_CHART_HEIGHT = 10;

/** The largest height drawn, in lines: a bound on the grid's memory, as the width has. */
export const MAX_CHART_HEIGHT = 1000;

/**
 * The widest chart drawn, in columns: wider than any terminal, and a bound on the grid's memory
 * (`COLUMNS=99999999999` would ask for a grid of a hundred billion cells).
 */
export const MAX_CHART_WIDTH = 1000;

/**
 * Where `value` sits from `low` (0) to `high` (1). The span of two doubles far apart (±1e308)
 * is itself too large for a double; half of it never is.
 */
function fraction(value: number, low: number, high: number): number {
  if (high === low) return 0;
  const span = high - low;
  return Number.isFinite(span)
    ? (value - low) / span
    : (value / 2 - low / 2) / (high / 2 - low / 2);
}

/** The value at `t` (from 0 to 1) from `low` to `high`; never overflows for finite ends. */
function lerp(low: number, high: number, t: number): number {
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

/** The series of each panel, panels in the order their first series comes. */
function panelsOf(series: readonly ChartSeries[]): { title: string; series: ChartSeries[] }[] {
  const panels = new Map<string, ChartSeries[]>();
  for (const s of series) {
    const title = s.panel ?? '';
    panels.set(title, [...(panels.get(title) ?? []), s]);
  }
  return [...panels].map(([title, members]) => ({ title, series: members }));
}

/** Legend items laid out on lines of at most `width` columns, after `lead` on the first. */
function legendLines(lead: string, items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const item of items) {
    const joined = line.trim() === '' ? `${line}${item}` : `${line}  ${item}`;
    if (displayWidth(joined) <= width || line.trim() === '') {
      line = joined;
    } else {
      lines.push(line);
      line = `  ${item}`;
    }
  }
  lines.push(line);
  return lines.map((text) => truncateMiddle(text, width));
}

/** The legend with each series' glyph in its colour. */
function paintLegend(lines: readonly string[], series: readonly ChartSeries[]): string[] {
  const painted = [...lines];
  // Each glyph of a panel is its own, and comes once in its legend, before the series' name.
  series.forEach((_, i) => {
    const glyph = GLYPHS[i % GLYPHS.length] as string;
    const at = painted.findIndex((line) => line.includes(`${glyph} `));
    if (at === -1) return;
    const coloured = paint(glyph, COLOURS[i % COLOURS.length], true);
    painted[at] = (painted[at] as string).replace(`${glyph} `, `${coloured} `);
  });
  return painted;
}

/** One cell of the plot: its glyph and the colour of the series that drew it. */
interface Cell {
  glyph: string;
  colour: number | undefined;
}

/**
 * Draws the chart: an optional title, then a panel per kind of series (a legend line naming each
 * glyph, a y axis with value labels, the plot), an x axis of steps labelled at both ends and the
 * middle, and the mark's label.
 *
 * @example
 * ```ts
 * renderChart([{ name: 'valid_loss', points: [{ step: 1, value: 2 }, { step: 2, value: 1 }] }], { width: 60 });
 * ```
 */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = Math.min(options.width, MAX_CHART_WIDTH);
  const colour = options.colour === true;
  const { mark } = options;
  const panels = panelsOf(series);
  const all = series.flatMap((s) => s.points);
  const [minStep, maxStep] = extent(all.map((p) => p.step));

  const legends = panels.map((panel) => {
    const lead = panel.title === '' ? '' : `${panel.title}:`;
    const item = (s: ChartSeries, i: number, short: boolean) =>
      `${GLYPHS[i % GLYPHS.length]} ${short ? (s.shortName ?? s.name) : s.name}`;
    const full = legendLines(
      lead,
      panel.series.map((s, i) => item(s, i, false)),
      width,
    );
    // A legend that does not fit one line uses the short names, as a narrow table does.
    return full.length === 1
      ? full
      : legendLines(
          lead,
          panel.series.map((s, i) => item(s, i, true)),
          width,
        );
  });
  const markLines =
    mark === undefined ? [] : ['', ...Array.from({ length: 1 + (mark.details?.length ?? 0) })];
  const titleLines = options.title === undefined ? 0 : 2;
  const fixed =
    titleLines + legends.reduce((sum, lines) => sum + lines.length, 0) + 3 + markLines.length;
  const height = options.height ?? DEFAULT_CHART_HEIGHT;
  const rows = Math.max(MIN_PANEL_ROWS, Math.floor((height - fixed) / panels.length));

  const scales = panels.map((panel) => {
    // A flat line still needs a scale: centre it.
    const [min, max] = drawableRange(
      ...extent(panel.series.flatMap((s) => s.points.map((p) => p.value))),
    );
    return { min, max, labels: yLabels(min, max, rows) };
  });
  const labelWidth = scales.reduce(
    (widest, { labels }) => labels.reduce((w, label) => Math.max(w, label?.length ?? 0), widest),
    0,
  );
  const plotWidth = Math.max(MIN_PLOT_WIDTH, width - labelWidth - 2);
  const columnOf = (step: number): number =>
    Math.round(fraction(step, minStep, maxStep) * (plotWidth - 1));

  const lines: string[] = [];
  if (options.title !== undefined) lines.push(truncateMiddle(options.title, width), '');
  panels.forEach((panel, p) => {
    const { min, max, labels } = scales[p] as (typeof scales)[number];
    const rowOf = (value: number): number =>
      rows - 1 - Math.round(fraction(value, min, max) * (rows - 1));
    const grid = Array.from({ length: rows }, () =>
      new Array<Cell>(plotWidth).fill({ glyph: ' ', colour: undefined }),
    );
    const put = (row: number, column: number, cell: Cell) => {
      const line = grid[row];
      if (line !== undefined && column >= 0 && column < plotWidth) line[column] = cell;
    };
    // The last series first: the first one is drawn over the others.
    for (let index = panel.series.length - 1; index >= 0; index--) {
      const cell = {
        glyph: GLYPHS[index % GLYPHS.length] as string,
        colour: COLOURS[index % COLOURS.length],
      };
      const line = resample((panel.series[index] as ChartSeries).points, columnOf, plotWidth);
      for (let column = 0; column < plotWidth; column++) {
        const value = line[column];
        if (value === undefined) continue;
        const row = rowOf(value);
        const nextValue = line[column + 1];
        const next = nextValue === undefined ? row : rowOf(nextValue);
        // A steep stretch is drawn down (or up) the column, up to the row before the next
        // column's, so that a series stays one connected trail.
        const [top, bottom] = next > row ? [row, next - 1] : [Math.min(next + 1, row), row];
        for (let r = top; r <= bottom; r++) put(r, column, cell);
      }
    }
    if (p === 0 && mark !== undefined) {
      put(rowOf(mark.value), columnOf(mark.step), { glyph: MARK, colour: 1 });
    }
    const legend = legends[p] as string[];
    lines.push(...(colour ? paintLegend(legend, panel.series) : legend));
    grid.forEach((cells, row) => {
      const label = labels[row];
      const axis = label === undefined ? '│' : '┤';
      const plot = cells.map((cell) => paint(cell.glyph, cell.colour, colour)).join('');
      lines.push(`${(label ?? '').padStart(labelWidth)} ${axis}${plot}`.trimEnd());
    });
  });
  lines.push(...xAxis(minStep, maxStep, labelWidth, plotWidth, columnOf));
  if (mark !== undefined) {
    const room = Math.max(MIN_PLOT_WIDTH, width - 4);
    lines.push('', `  ${paint(MARK, 1, colour)} ${truncateMiddle(mark.label, room)}`);
    for (const detail of mark.details ?? []) lines.push(`    ${truncateMiddle(detail, room)}`);
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
