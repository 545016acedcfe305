/**
 * The output formats of `list` and `best`: pure functions from checkpoints to text, so they are
 * tested without a server. A {@link Renderer} hides whether a format streams (jsonl, csv) or
 * needs every row first (json, table: column widths depend on all rows).
 */
import { METRIC_NAMES, type MetricName } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import type { ListFormat } from './args.js';

/** Turns pages of checkpoints into output text, page by page. */
export interface Renderer {
  /** Text to write now for this page (empty for formats that wait for every row). */
  push(checkpoints: readonly Checkpoint[]): string;
  /** Text to write once the last page is in. */
  finish(): string;
}

/** A {@link Renderer} for `format`. */
export function createRenderer(format: ListFormat): Renderer {
  switch (format) {
    case 'jsonl':
      return { push: toJsonl, finish: () => '' };
    case 'csv': {
      // The header goes out with the first page, or alone when there are no checkpoints, so an
      // error before the first page leaves stdout empty instead of a lone header.
      let headerWritten = false;
      const header = (): string => {
        if (headerWritten) return '';
        headerWritten = true;
        return `${csvRecord(CSV_COLUMNS)}\n`;
      };
      return { push: (page) => header() + toCsvRows(page), finish: header };
    }
    case 'json':
    case 'table': {
      const all: Checkpoint[] = [];
      return {
        push: (page) => {
          all.push(...page);
          return '';
        },
        // An empty table would be a lone header line; the footer says "0 checkpoints" instead.
        finish: () => (format === 'json' ? toJson(all) : all.length > 0 ? renderTable(all) : ''),
      };
    }
  }
}

/** Pretty-printed JSON (2-space indent) with a final newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One compact JSON object per line. */
export function toJsonl(checkpoints: readonly Checkpoint[]): string {
  return checkpoints.map((c) => `${JSON.stringify(c)}\n`).join('');
}

// --- CSV -------------------------------------------------------------------------------------

// Every metric gets a column whether or not any row has it: the header must be known before the
// first page is written, and a fixed header lets files from different jobs be concatenated.
const CSV_COLUMNS = [
  'id',
  'created_at',
  'step_number',
  'fine_tuned_model_checkpoint',
  'fine_tuning_job_id',
  ...METRIC_NAMES.map((name) => `metrics.${name}`),
];

/** CSV rows (no header) with the columns of the header `createRenderer('csv')` writes. */
export function toCsvRows(checkpoints: readonly Checkpoint[]): string {
  return checkpoints
    .map(
      (c) =>
        `${csvRecord([
          c.id,
          String(c.created_at),
          String(c.step_number),
          c.fine_tuned_model_checkpoint,
          c.fine_tuning_job_id,
          // Full precision here: CSV is for machines, rounding is the table's business.
          ...METRIC_NAMES.map((name) => cellValue(c.metrics[name], String)),
        ])}\n`,
    )
    .join('');
}

/**
 * Quotes a field as RFC 4180 requires: when it holds a comma, a double quote or a line break,
 * wrap it in double quotes and double the quotes inside.
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

// --- table -----------------------------------------------------------------------------------

/** The seconds since the epoch of `created_at` as ISO 8601 UTC, to the second. */
export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  // An out-of-range timestamp would make toISOString() throw; show it raw instead.
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace('.000Z', 'Z');
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false });

/** A number with at most 4 decimals and no trailing zeros: `0.1234`, `10.112`, `2000`. */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

function cellValue(value: unknown, format: (n: number) => string): string {
  if (typeof value === 'number') return format(value);
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Replaces control characters (ESC included) in text from the server: printed raw to a terminal
 * they could move the cursor, recolour or retitle it.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

interface Column {
  header: string;
  /**
   * `left` for text; `right` for integers; `decimal` for metrics: right-aligned with their
   * decimal points lined up, since "up to 4 decimals" gives values of different lengths.
   */
  align: 'left' | 'right' | 'decimal';
  cell(c: Checkpoint): string;
}

const FIXED_COLUMNS: readonly Column[] = [
  { header: 'step', align: 'right', cell: (c) => cellValue(c.step_number, String) },
  { header: 'created', align: 'left', cell: (c) => isoDate(c.created_at) },
  { header: 'id', align: 'left', cell: (c) => printable(c.id) },
  {
    header: 'model checkpoint',
    align: 'left',
    cell: (c) => printable(c.fine_tuned_model_checkpoint),
  },
];

/**
 * The metric columns worth showing: those some row has, in {@link METRIC_NAMES} order. The
 * `step` metric is left out when it only repeats `step_number` (as it does in API responses);
 * when it differs it is shown as `metrics.step`, so it is not mistaken for the step column.
 */
function metricColumns(checkpoints: readonly Checkpoint[]): Column[] {
  const present = (name: MetricName): boolean =>
    checkpoints.some((c) => c.metrics[name] !== undefined && c.metrics[name] !== null);
  const redundantStep = checkpoints.every(
    (c) => c.metrics.step === undefined || c.metrics.step === c.step_number,
  );
  return METRIC_NAMES.filter((name) => present(name) && !(name === 'step' && redundantStep)).map(
    (name) => ({
      header: name === 'step' ? 'metrics.step' : name,
      align: 'decimal',
      cell: (c) => cellValue(c.metrics[name], formatNumber),
    }),
  );
}

/** Pads each number on the right so that the decimal points of a column line up. */
function alignDecimalPoints(cells: readonly string[]): string[] {
  const fractionWidth = (text: string): number => {
    const dot = text.indexOf('.');
    return dot === -1 ? 0 : text.length - dot;
  };
  const widest = Math.max(0, ...cells.map(fractionWidth));
  return cells.map((text) =>
    text === '' ? text : text + ' '.repeat(widest - fractionWidth(text)),
  );
}

/**
 * A table for people: a header line, then one line per checkpoint, columns separated by two
 * spaces and padded so every row has the same column offsets. No trailing spaces.
 */
export function renderTable(checkpoints: readonly Checkpoint[]): string {
  const columns = [...FIXED_COLUMNS, ...metricColumns(checkpoints)];
  // Column by column first (decimal alignment looks at a whole column), then rows.
  const cellsByColumn = columns.map((col) => {
    const cells = checkpoints.map((c) => col.cell(c));
    return [col.header, ...(col.align === 'decimal' ? alignDecimalPoints(cells) : cells)];
  });
  const widths = cellsByColumn.map((cells) => Math.max(...cells.map((text) => text.length)));
  const lines: string[] = [];
  for (let row = 0; row <= checkpoints.length; row++) {
    const line = columns.map((col, i) => {
      const text = cellsByColumn[i]?.[row] ?? '';
      const width = widths[i] ?? 0;
      return col.align === 'left' ? text.padEnd(width) : text.padStart(width);
    });
    lines.push(line.join('  ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
