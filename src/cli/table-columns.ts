/**
 * The columns a table of checkpoints can have, with the names `--columns` takes, their headers
 * (full and abbreviated) and how each cell is written. (What a column is: table-layout.ts.)
 */
import { METRIC_NAMES, type MetricName } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../types.js';
import { printable } from './safe-text.js';
import { dateColumn, textColumn, type Column as AnyColumn } from './table-layout.js';
import { formatNumber, isoDate } from './text.js';

/** One column of a checkpoints table. */
export type Column = AnyColumn<Checkpoint>;

/**
 * The abbreviation of a metric name in a narrow table: `t_` / `v_` / `fv_` for the training,
 * validation and full-validation sets, `acc` for mean token accuracy (`fv_acc`). A metric the
 * rules do not cover keeps its name.
 */
export function abbreviateMetric(name: string): string {
  return name
    .replace('mean_token_accuracy', 'acc')
    .replace(/^full_valid_/, 'fv_')
    .replace(/^valid_/, 'v_')
    .replace(/^train_/, 't_');
}

function metricCell(value: unknown): string {
  return typeof value === 'number' ? formatNumber(value) : '';
}

// The `step` metric would clash with the step column; as a column it is `metrics.step`.
const metricColumnName = (metric: MetricName): string =>
  metric === 'step' ? 'metrics.step' : metric;

function metricColumn(metric: MetricName): Column {
  const name = metricColumnName(metric);
  return {
    name,
    header: name,
    shortHeader: metric === 'step' ? name : abbreviateMetric(metric),
    align: 'decimal',
    role: 'metric',
    cell: (c) => metricCell(c.metrics[metric]),
  };
}

const text = (name: string, header: string, cell: (c: Checkpoint) => string): Column =>
  textColumn(name, header, (c) => printable(cell(c)));

const STEP: Column = {
  name: 'step',
  header: 'step',
  shortHeader: 'step',
  align: 'right',
  role: 'key',
  cell: (c) => String(c.step_number),
};
const CREATED: Column = dateColumn('created', (c) => isoDate(c.created_at));
const ID = text('id', 'id', (c) => c.id);
const MODEL = text('model', 'model checkpoint', (c) => c.fine_tuned_model_checkpoint);
const JOB = text('job', 'job', (c) => c.fine_tuning_job_id);

/** Every column, in table order: step, created, id, the metrics, model checkpoint, job. */
const ALL_COLUMNS: readonly Column[] = [
  STEP,
  CREATED,
  ID,
  ...METRIC_NAMES.map(metricColumn),
  MODEL,
  JOB,
];

/** The names `--columns` accepts, in table order. */
export const COLUMN_NAMES: readonly string[] = ALL_COLUMNS.map((column) => column.name);

/** The columns named (in the order given); names must be {@link COLUMN_NAMES}. */
export function columnsNamed(names: readonly string[]): Column[] {
  return names.flatMap((name) => ALL_COLUMNS.filter((column) => column.name === name));
}

function hasMetric(checkpoints: readonly Checkpoint[], metric: MetricName): boolean {
  return checkpoints.some((c) => typeof c.metrics[metric] === 'number');
}

/**
 * The metrics worth a column: those some checkpoint has, in {@link METRIC_NAMES} order. The
 * `step` metric is left out when it only repeats `step_number` (as it does in API responses).
 */
export function presentMetrics(checkpoints: readonly Checkpoint[]): MetricName[] {
  const redundantStep = checkpoints.every(
    (c) =>
      c.metrics.step === undefined || c.metrics.step === null || c.metrics.step === c.step_number,
  );
  return METRIC_NAMES.filter(
    (metric) => hasMetric(checkpoints, metric) && !(metric === 'step' && redundantStep),
  );
}

/** The default columns: step, created, the metrics of `metrics`, model checkpoint. */
export function defaultColumns(metrics: readonly MetricName[]): Column[] {
  return [STEP, CREATED, ...metrics.map(metricColumn), MODEL];
}

/** `--wide`: every column, the metrics some checkpoint has included (a blank column is noise). */
export function wideColumns(checkpoints: readonly Checkpoint[]): Column[] {
  return ALL_COLUMNS.filter(
    (column) => column.role !== 'metric' || checkpoints.some((c) => column.cell(c) !== ''),
  );
}
