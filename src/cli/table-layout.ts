/**
 * Fitting a checkpoints table to the terminal, and drawing it. Pure: checkpoints, columns and a
 * width in, text out.
 *
 * When the table is wider than the terminal, it is narrowed one step at a time, in this order,
 * until it fits (the order `--help` and docs/cli.md document):
 *   1. metric headers are abbreviated (`full_valid_loss` → `fv_loss`);
 *   2. `created` loses its seconds (`2024-07-23 20:01`);
 *   3. text columns (model checkpoint) are shortened in the middle, down to 16 columns;
 *   4. text columns are dropped;
 *   5. `created` loses its year (`07-23 20:01`);
 *   6. `created` is dropped;
 *   7. below that (step and the metrics alone do not fit), one block of `name: value` lines is
 *      printed per checkpoint.
 * A date shortened on the way gets back what a later drop leaves room for. The step and the
 * metrics are never narrowed or dropped. Columns the user chose with
 * `--columns` are narrowed but never dropped (steps 4 and 6 are skipped).
 */
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import type { Column } from './table-columns.js';
import { narrowDate } from './text.js';
import { displayWidth, padEndTo, padStartTo, truncateMiddle } from './width.js';

/** A text column is never shortened below this: a shorter model name tells nothing. */
export const MIN_TEXT_WIDTH = 16;

const GAP = '  ';

/** How one column is drawn in a fitted table. */
export interface PlacedColumn {
  readonly column: Column;
  readonly header: string;
  /** Shortening level of a date column (see `narrowDate`); 0 elsewhere. */
  readonly dateLevel: number;
  /** Maximum width of a text column's cells; `Infinity` when not shortened. */
  readonly maxWidth: number;
}

/** A table that fits, or the fallback of one block per checkpoint. */
export type TableLayout =
  | { readonly kind: 'table'; readonly columns: readonly PlacedColumn[] }
  | { readonly kind: 'blocks'; readonly columns: readonly Column[] };

interface Settings {
  short: boolean;
  dateLevel: number;
  /** Width each text column is cut to (`Infinity`: whole); 0 drops them. */
  textWidth: number;
  dropDate: boolean;
}

function place(columns: readonly Column[], settings: Settings): PlacedColumn[] {
  return columns
    .filter((c) => !(c.role === 'text' && settings.textWidth === 0))
    .filter((c) => !(c.role === 'date' && settings.dropDate))
    .map((column) => ({
      column,
      header: settings.short ? column.shortHeader : column.header,
      dateLevel: column.role === 'date' ? settings.dateLevel : 0,
      maxWidth: column.role === 'text' ? settings.textWidth : Number.POSITIVE_INFINITY,
    }));
}

/** The cells of a placed column for `rows`, header first, aligned as the column says. */
function cellsOf(placed: PlacedColumn, rows: readonly Checkpoint[]): string[] {
  const { column } = placed;
  let cells = rows.map((row) => column.cell(row));
  if (column.role === 'date') cells = cells.map((cell) => narrowDate(cell, placed.dateLevel));
  if (column.role === 'text') cells = cells.map((cell) => truncateMiddle(cell, placed.maxWidth));
  if (column.align === 'decimal') cells = alignDecimalPoints(cells);
  return [placed.header, ...cells];
}

/** The widest cell, in terminal columns (a loop: spreading 200,000 cells would overflow). */
function widthOf(cells: readonly string[]): number {
  let widest = 0;
  for (const cell of cells) widest = Math.max(widest, displayWidth(cell));
  return widest;
}

/** The width of a placed column, header included. */
type Measure = (placed: PlacedColumn) => number;

/**
 * Measures placed columns of `rows`, each variant once: narrowing tries many settings, but a
 * column's cells depend only on its date level and text width, so a 100,000-row table is not
 * formatted a dozen times over.
 */
function measureOf(rows: readonly Checkpoint[]): Measure {
  const bodies = new Map<string, number>();
  return (placed) => {
    const key = `${placed.column.name}\0${placed.dateLevel}\0${placed.maxWidth}`;
    let body = bodies.get(key);
    if (body === undefined) {
      body = widthOf(cellsOf({ ...placed, header: '' }, rows));
      bodies.set(key, body);
    }
    return Math.max(body, displayWidth(placed.header));
  };
}

function totalWidth(placed: readonly PlacedColumn[], measure: Measure): number {
  const widths = placed.map(measure);
  return widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, placed.length - 1);
}

/**
 * Lays out `columns` for `rows` within `width` characters (`Infinity`: no limit), narrowing in
 * the documented order. `droppable`: whether columns may be dropped (not when the user chose
 * them).
 */
export function layoutTable(
  rows: readonly Checkpoint[],
  columns: readonly Column[],
  width: number,
  droppable = true,
): TableLayout {
  const settings: Settings = {
    short: false,
    dateLevel: 0,
    textWidth: Number.POSITIVE_INFINITY,
    dropDate: false,
  };
  const measure = measureOf(rows);
  const fits = (): boolean => totalWidth(place(columns, settings), measure) <= width;
  const shortenText = (): boolean => {
    // What is left once every other column is placed, shared by the text columns.
    const texts = columns.filter((c) => c.role === 'text').length;
    if (texts === 0) return false;
    settings.textWidth = 0;
    const others = place(columns, settings);
    const used = others.length === 0 ? 0 : totalWidth(others, measure) + GAP.length;
    const share = Math.floor((width - used - GAP.length * (texts - 1)) / texts);
    settings.textWidth = share >= MIN_TEXT_WIDTH ? share : MIN_TEXT_WIDTH;
    return true;
  };
  // The documented order; a step returns false when it does not apply (nothing changed).
  const steps: (() => boolean)[] = [
    function abbreviateHeaders() {
      settings.short = true;
      return true;
    },
    function dropSeconds() {
      settings.dateLevel = 1;
      return true;
    },
    shortenText,
    function dropText() {
      if (droppable) settings.textWidth = 0;
      return droppable;
    },
    function dropYear() {
      settings.dateLevel = 2;
      return true;
    },
    function dropDate() {
      if (droppable) settings.dropDate = true;
      return droppable;
    },
  ];
  if (fits()) return { kind: 'table', columns: place(columns, settings) };
  for (const step of steps) {
    if (!step() || !fits()) continue;
    // Dropping a text column may leave room for the whole date again: narrow only as needed.
    while (settings.dateLevel > 0 && settings.textWidth === 0) {
      settings.dateLevel--;
      if (!fits()) {
        settings.dateLevel++;
        break;
      }
    }
    return { kind: 'table', columns: place(columns, settings) };
  }
  return { kind: 'blocks', columns };
}

/** Pads each number on the right so that the decimal points of a column line up. */
function alignDecimalPoints(cells: readonly string[]): string[] {
  const fractionWidth = (text: string): number => {
    const dot = text.indexOf('.');
    return dot === -1 ? 0 : text.length - dot;
  };
  let widest = 0;
  for (const cell of cells) widest = Math.max(widest, fractionWidth(cell));
  return cells.map((text) =>
    text === '' ? text : text + ' '.repeat(widest - fractionWidth(text)),
  );
}

/** Options of {@link renderLayout}. */
export interface RenderOptions {
  /** Print the header line (default true; `watch` prints it once). */
  header?: boolean;
  /** Minimum width of each column, e.g. those of the header `watch` printed first. */
  minWidths?: readonly number[];
}

/** The width of each column of `layout` for `rows`, header included. */
export function columnWidths(layout: TableLayout, rows: readonly Checkpoint[]): number[] {
  return layout.kind === 'table' ? layout.columns.map(measureOf(rows)) : [];
}

/**
 * Draws `rows` in `layout`: a header line, then one line per checkpoint, columns separated by two
 * spaces and padded so every row has the same offsets, no trailing spaces. A blocks layout draws
 * `name: value` lines per checkpoint (none for a metric it lacks), a blank line between them.
 */
export function renderLayout(
  layout: TableLayout,
  rows: readonly Checkpoint[],
  options: RenderOptions = {},
): string {
  if (layout.kind === 'blocks') {
    return rows
      .map((row) =>
        layout.columns
          .map((column) => [column.header, column.cell(row)])
          // A metric the checkpoint lacks gets no line, as it gets a blank cell in a table.
          .filter(([, value]) => value !== '')
          .map(([header, value]) => `${header}: ${value}`)
          .join('\n'),
      )
      .map((block) => `${block}\n`)
      .join('\n');
  }
  // Column by column first (decimal alignment looks at a whole column), then rows.
  const cellsByColumn = layout.columns.map((placed) => cellsOf(placed, rows));
  const widths = cellsByColumn.map((cells, i) =>
    Math.max(widthOf(cells), options.minWidths?.[i] ?? 0),
  );
  const lines: string[] = [];
  for (let row = options.header === false ? 1 : 0; row <= rows.length; row++) {
    const line = layout.columns.map((placed, i) => {
      const text = cellsByColumn[i]?.[row] ?? '';
      const width = widths[i] ?? 0;
      return placed.column.align === 'left' ? padEndTo(text, width) : padStartTo(text, width);
    });
    lines.push(line.join(GAP).trimEnd());
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
