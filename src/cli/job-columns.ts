/**
 * The columns of `ft-checkpoints jobs`: id, model, status, created, and the fine-tuned model once
 * there is one; fitted to the terminal like the checkpoints table (table-layout.ts).
 */
import type { FineTuningJob } from '../types.js';
import { printable } from './safe-text.js';
import { dateColumn, textColumn, type Column } from './table-layout.js';
import { isoDate } from './text.js';

/** A column that is never narrowed or dropped. */
const key = (name: string, cell: (job: FineTuningJob) => string): Column<FineTuningJob> => ({
  name,
  header: name,
  shortHeader: name,
  align: 'left',
  role: 'key',
  cell: (job) => printable(cell(job)),
});

/** The columns of a jobs table, in order; the fine-tuned model only when a job has one. */
export function jobColumns(jobs: readonly FineTuningJob[]): Column<FineTuningJob>[] {
  const columns = [
    key('id', (job) => job.id),
    textColumn<FineTuningJob>('model', 'model', (job) => printable(job.model)),
    key('status', (job) => job.status),
    dateColumn<FineTuningJob>('created', (job) => isoDate(job.created_at)),
  ];
  if (jobs.some((job) => typeof job.fine_tuned_model === 'string')) {
    columns.push(
      textColumn('fine-tuned model', 'fine-tuned model', (job) =>
        printable(job.fine_tuned_model ?? ''),
      ),
    );
  }
  return columns;
}
