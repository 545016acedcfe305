/**
 * CSV for spreadsheets and scripts: RFC 4180 quoting, a fixed header, and text cells that a
 * spreadsheet cannot mistake for formulas.
 */
import { METRIC_NAMES } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { jsonText } from './json-text.js';
import { printable } from './safe-text.js';
import { isoDate } from './text.js';

/** RFC 4180 ends records with CRLF; spreadsheets and CSV readers expect it. */
const CRLF = '\r\n';

// Every metric gets a column whether or not any row has it: the header must be known before the
// first page is written, and a fixed header lets files from different jobs be concatenated.
/** The CSV header: the checkpoint's fields, `created` (ISO 8601) beside `created_at`, metrics. */
export const CSV_COLUMNS: readonly string[] = [
  'id',
  'created_at',
  'created',
  'step_number',
  'fine_tuned_model_checkpoint',
  'fine_tuning_job_id',
  ...METRIC_NAMES.map((name) => `metrics.${name}`),
];

/**
 * Quotes a field as RFC 4180 requires: when it holds a comma, a double quote or a line break,
 * wrap it in double quotes and double the quotes inside.
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A text cell made safe for spreadsheets: one starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'`, so Excel, LibreOffice and Google Sheets show it as text
 * instead of running it as a formula (OWASP's "CSV injection"). Numbers never pass through here.
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function number(value: unknown): string {
  // Full precision here: CSV is for machines, rounding is the table's business.
  return typeof value === 'number' ? String(value) : '';
}

/** The header line. */
export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

/** One record of already-written fields, quoted where needed. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}${CRLF}`;
}

/**
 * One record of values of any JSON type: numbers in full precision, text with the formula guard
 * ({@link csvText}, made safe first on a `terminal`), nothing for `null` or a missing value, an
 * object or a list as compact JSON (guarded as text).
 */
export function csvRecord(values: readonly unknown[], terminal: boolean): string {
  const text = terminal ? (value: string) => csvText(printable(value)) : csvText;
  return csvLine(
    values.map((value) => {
      if (value === undefined || value === null) return '';
      if (typeof value === 'number') return String(value);
      return text(typeof value === 'object' ? jsonText(value, 0) : String(value));
    }),
  );
}

/**
 * CSV rows (no header) with the columns of {@link CSV_COLUMNS}. In a pipe or a file, text is
 * data: written as the server sent it (only the formula guard of {@link csvText} added). On a
 * `terminal`, every character that could act on it (a line break inside a field included) is
 * replaced first ({@link printable}).
 */
export function toCsvRows(checkpoints: readonly Checkpoint[], terminal = false): string {
  const text = terminal ? (value: string) => csvText(printable(value)) : csvText;
  return checkpoints
    .map((c) => {
      const fields = [
        text(c.id),
        number(c.created_at),
        isoDate(c.created_at),
        number(c.step_number),
        text(c.fine_tuned_model_checkpoint),
        text(c.fine_tuning_job_id),
        ...METRIC_NAMES.map((name) => number(c.metrics[name])),
      ];
      return csvLine(fields);
    })
    .join('');
}
