/**
 * Fitting a table (of checkpoints, of jobs) to the terminal, and drawing it. Pure: rows, columns
 * and a width in, text out.
 *
 * When the table is wider than the terminal, it is narrowed one step at a time, in this order,
 * until it fits (the order `--help` and docs/cli.md document):
 *   1. metric headers are abbreviated (`full_valid_loss` → `fv_loss`);
 *   2. dates lose their seconds (`2024-07-23 20:01`);
 *   3. text columns (model names) are shortened in the middle, sharing what is left, each down
 *      to 16 columns;
 *   4. text columns are dropped, the last one first, the others sharing the room it leaves;
 *   5. dates lose their year (`07-23 20:01`);
 *   6. dates are dropped;
 *   7. below that (the key columns and the metrics alone do not fit), one block of
 *      `name: value` lines is printed per row.
 * A date shortened on the way gets back what a later drop leaves room for, but never at the cost
 * of a text column still shown. Key columns (a checkpoint's step, a job's id and status) and
 * metrics are never narrowed or dropped. Columns the user chose with `--columns` are narrowed but
 * never dropped (steps 4 and 6 are skipped).
 */
import { displayWidth, padEndTo, padStartTo, truncateMiddle } from './width.js';
import { narrowDate } from './text.js';

/** One column of a table of `Row`s. */
export interface Column<Row> {
  /** The name `--columns` accepts. */
  readonly name: string;
  /** The header when the table has room for it. */
  readonly header: string;
  /** The header in a narrow table (metrics only are abbreviated; listed in `--help`). */
  readonly shortHeader: string;
  /**
   * `left` for text; `right` for integers; `decimal` for metrics: right-aligned with their
   * decimal points lined up, since "up to 4 decimals" gives values of different lengths.
   */
  readonly align: 'left' | 'right' | 'decimal';
  /**
   * What a narrow table may do with the column: a `date` is shortened, `text` is shortened in
   * the middle or dropped; `key` and `metric` columns are never touched.
   */
  readonly role: 'key' | 'date' | 'metric' | 'text';
  /** The cell's full text, already made safe to print (safe-text.ts). */
  cell(row: Row): string;
}

/**
 * A text column: left-aligned, shortened in the middle or dropped when the table is narrow.
 *
 * @example
 * ```ts
 * const model = textColumn('model', 'model checkpoint', (c) => printable(c.fine_tuned_model_checkpoint));
 * ```
 */
export function textColumn<Row>(
  name: string,
  header: string,
  cell: (row: Row) => string,
): Column<Row> {
  return { name, header, shortHeader: header, align: 'left', role: 'text', cell };
}

/**
 * A date column of ISO 8601 cells (text.ts `isoDate`), shortened when the table is narrow.
 *
 * @example
 * ```ts
 * const created = dateColumn('created', (c) => isoDate(c.created_at));
 * ```
 */
export function dateColumn<Row>(name: string, cell: (row: Row) => string): Column<Row> {
  return { name, header: name, shortHeader: name, align: 'left', role: 'date', cell };
}

/** A text column is never shortened below this: a shorter model name tells nothing. */
export const MIN_TEXT_WIDTH = 16;

const GAP = '  ';

/** How one column is drawn in a fitted table. */
export interface PlacedColumn<Row> {
  readonly column: Column<Row>;
  readonly header: string;
  /** Shortening level of a date column (see `narrowDate`); 0 elsewhere. */
  readonly dateLevel: number;
  /** Maximum width of a text column's cells; `Infinity` when not shortened. */
  readonly maxWidth: number;
}

/** A table that fits, or the fallback of one block per row. */
export type TableLayout<Row> =
  | { readonly kind: 'table'; readonly columns: readonly PlacedColumn<Row>[] }
  | { readonly kind: 'blocks'; readonly columns: readonly Column<Row>[] };

interface Settings {
  short: boolean;
  dateLevel: number;
  /** Width each text column kept is cut to (`Infinity`: whole). */
  textWidth: number;
  /** How many text columns are kept, from the first (the others are dropped). */
  textsKept: number;
  dropDate: boolean;
}

function place<Row>(columns: readonly Column<Row>[], settings: Settings): PlacedColumn<Row>[] {
  let texts = 0;
  return columns
    .filter((c) => c.role !== 'text' || texts++ < settings.textsKept)
    .filter((c) => !(c.role === 'date' && settings.dropDate))
    .map((column) => ({
      column,
      header: settings.short ? column.shortHeader : column.header,
      dateLevel: column.role === 'date' ? settings.dateLevel : 0,
      maxWidth: column.role === 'text' ? settings.textWidth : Number.POSITIVE_INFINITY,
    }));
}

/** The cells of a placed column for `rows`, header first, aligned as the column says. */
function cellsOf<Row>(placed: PlacedColumn<Row>, rows: readonly Row[]): string[] {
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
type Measure<Row> = (placed: PlacedColumn<Row>) => number;

/**
 * Measures placed columns of `rows`, each variant once: narrowing tries many settings, but a
 * column's cells depend only on its date level and text width, so a 100,000-row table is not
 * formatted a dozen times over.
 */
function measureOf<Row>(rows: readonly Row[]): Measure<Row> {
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

function totalWidth<Row>(placed: readonly PlacedColumn<Row>[], measure: Measure<Row>): number {
  const widths = placed.map(measure);
  return widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, placed.length - 1);
}

/**
 * Lays out `columns` for `rows` within `width` characters (`Infinity`: no limit), narrowing in
 * the documented order. `droppable`: whether columns may be dropped (not when the user chose
 * them).
 */
export function layoutTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  width: number,
  droppable = true,
): TableLayout<Row> {
  const texts = columns.filter((c) => c.role === 'text').length;
  const settings: Settings = {
    short: false,
    dateLevel: 0,
    textWidth: Number.POSITIVE_INFINITY,
    textsKept: texts,
    dropDate: false,
  };
  const measure = measureOf(rows);
  const fits = (): boolean => totalWidth(place(columns, settings), measure) <= width;
  /** Shares what the other columns leave among the text columns kept (each at least 16). */
  const shareText = (): void => {
    const kept = settings.textsKept;
    if (kept === 0 || settings.textWidth === Number.POSITIVE_INFINITY) return;
    const others = place(columns, { ...settings, textsKept: 0 });
    const used = others.length === 0 ? 0 : totalWidth(others, measure) + GAP.length;
    const share = Math.floor((width - used - GAP.length * (kept - 1)) / kept);
    settings.textWidth = Math.max(share, MIN_TEXT_WIDTH);
  };
  /** Whether a text column kept is cut shorter than its cells. */
  const textCut = (): boolean =>
    place(columns, settings).some(
      (placed) =>
        placed.column.role === 'text' &&
        measure(placed) < measure({ ...placed, maxWidth: Number.POSITIVE_INFINITY }),
    );
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
    function shortenText() {
      if (texts === 0) return false;
      settings.textWidth = 0;
      shareText();
      return true;
    },
    // One step per text column: the last one kept goes first.
    ...Array.from(
      { length: texts },
      () =>
        function dropText() {
          if (!droppable) return false;
          settings.textsKept--;
          shareText();
          return true;
        },
    ),
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
    // Dropping a text column may leave room for the whole date again: narrow only as needed,
    // and never at the cost of the text columns kept (a model name tells more than seconds).
    while (settings.dateLevel > 0 && settings.textsKept < texts && !settings.dropDate) {
      const before = { ...settings };
      settings.dateLevel--;
      shareText();
      if (!fits() || textCut()) {
        Object.assign(settings, before);
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
export function columnWidths<Row>(layout: TableLayout<Row>, rows: readonly Row[]): number[] {
  return layout.kind === 'table' ? layout.columns.map(measureOf(rows)) : [];
}

/**
 * Draws `rows` in `layout`: a header line, then one line per row, columns separated by two
 * spaces and padded so every row has the same offsets, no trailing spaces. A blocks layout draws
 * `name: value` lines per row (none for an empty cell, such as a metric it lacks), a blank line
 * between them.
 */
export function renderLayout<Row>(
  layout: TableLayout<Row>,
  rows: readonly Row[],
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
