/**
 * The output formats of `list`, `best` and `jobs`: pure functions from rows (checkpoints, jobs)
 * to text, so they are tested without a server. A {@link Renderer} hides whether a format streams
 * (jsonl, csv) or needs every row first (json, table: column widths depend on all rows; `--sort`).
 */
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import type { ListFormat, SortKey } from './args.js';
import { csvHeader, toCsvRows } from './csv.js';
import { fieldValue } from './fields.js';
import { jsonText } from './json-text.js';
import { columnsNamed, defaultColumns, presentMetrics, wideColumns } from './table-columns.js';
import { layoutTable, renderLayout, type TableLayout } from './table-layout.js';

/** Turns pages of rows into output text, page by page. */
export interface Renderer<Row> {
  /** Text to write now for this page (empty for formats that wait for every row). */
  push(rows: readonly Row[]): string;
  /** Text to write once the last page is in. */
  finish(): string;
}

/** How a table is laid out: the terminal's width and the user's choice of columns. */
export interface TableOptions {
  /** Characters available (`Infinity`: no limit, e.g. a pipe without `COLUMNS`). */
  width: number;
  /** `--columns`: exactly these, in this order. */
  columns?: readonly string[] | undefined;
  /** `--wide`: every column, never narrowed. */
  wide?: boolean | undefined;
}

/** What `list` prints: a format, or one field per line. */
export interface OutputOptions {
  format: ListFormat;
  /**
   * stdout is a terminal: CSV and `--field` text is then made safe to display; in a pipe or a
   * file it stays byte for byte what the server sent (safe-text.ts; docs/cli.md).
   */
  terminal: boolean;
  /** `--field`: one value per line instead of the format. */
  field?: string | undefined;
  /** `--sort`: ascending by this key (rows are then held until the last page). */
  sort?: SortKey | undefined;
  table: TableOptions;
}

/** How one kind of row is written in the formats that depend on its fields. */
export interface RowFormat<Row> {
  /** A table fitted to `options` (empty for no rows). */
  table(rows: readonly Row[], options: TableOptions): string;
  /** The CSV header line. */
  csvHeader(): string;
  /** CSV records, made safe for a `terminal`. */
  csvRows(rows: readonly Row[], terminal: boolean): string;
  /** `--field`: one line per row. */
  fieldLines(rows: readonly Row[], field: string, terminal: boolean): string;
  /** `--sort`: ascending by `key`. */
  sort(rows: readonly Row[], key: SortKey): Row[];
}

/** The table layout for `rows` under `options`. */
export function tableLayout(
  rows: readonly Checkpoint[],
  options: TableOptions,
): TableLayout<Checkpoint> {
  if (options.wide) return layoutTable(rows, wideColumns(rows), Number.POSITIVE_INFINITY);
  if (options.columns !== undefined) {
    return layoutTable(rows, columnsNamed(options.columns), options.width, false);
  }
  return layoutTable(rows, defaultColumns(presentMetrics(rows)), options.width);
}

/** A table of `rows` (empty for no rows: the footer says "0 checkpoints" instead). */
export function renderTable(rows: readonly Checkpoint[], options: TableOptions): string {
  return rows.length === 0 ? '' : renderLayout(tableLayout(rows, options), rows);
}

/** `--field`: one line per checkpoint. */
export function toFieldLines(
  rows: readonly Checkpoint[],
  field: string,
  terminal: boolean,
): string {
  return rows.map((row) => `${fieldValue(row, field, terminal)}\n`).join('');
}

/** Ascending by `key`, ties kept in server order (`Array#sort` is stable). */
export function sortCheckpoints(rows: readonly Checkpoint[], key: SortKey): Checkpoint[] {
  const value = (c: Checkpoint): number => (key === 'step' ? c.step_number : c.created_at);
  return [...rows].sort((a, b) => value(a) - value(b));
}

/** How checkpoints are written. */
export const CHECKPOINT_FORMAT: RowFormat<Checkpoint> = {
  table: renderTable,
  csvHeader,
  csvRows: toCsvRows,
  fieldLines: toFieldLines,
  sort: sortCheckpoints,
};

function streaming<Row>(
  options: OutputOptions,
  format: RowFormat<Row>,
): ((rows: readonly Row[]) => string) | undefined {
  const { field, terminal } = options;
  if (field !== undefined) return (rows) => format.fieldLines(rows, field, terminal);
  if (options.format === 'jsonl') return toJsonl;
  if (options.format === 'csv') return (rows) => format.csvRows(rows, terminal);
  return undefined;
}

/** A {@link Renderer} of rows written as `format` says, for `options`. */
export function createRenderer<Row>(options: OutputOptions, format: RowFormat<Row>): Renderer<Row> {
  const stream = streaming(options, format);
  const all: Row[] = [];
  // The CSV header goes out with the first page, or alone when there are no checkpoints, so an
  // error before the first page leaves stdout empty instead of a lone header.
  let headerWritten = options.format !== 'csv' || options.field !== undefined;
  const header = (): string => {
    if (headerWritten) return '';
    headerWritten = true;
    return format.csvHeader();
  };
  if (stream !== undefined && options.sort === undefined) {
    return { push: (page) => header() + stream(page), finish: header };
  }
  return {
    push: (page) => {
      all.push(...page);
      return '';
    },
    finish: () => {
      const rows = options.sort === undefined ? all : format.sort(all, options.sort);
      if (stream !== undefined) return header() + stream(rows);
      return options.format === 'json' ? toJson(rows) : format.table(rows, options.table);
    },
  };
}

/** Pretty-printed JSON (2-space indent) with a final newline, at any depth ({@link jsonText}). */
export function toJson(value: unknown): string {
  return `${jsonText(value, 2)}\n`;
}

/** One compact JSON object per line, at any depth ({@link jsonText}). */
export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((row) => `${jsonText(row, 0)}\n`).join('');
}
