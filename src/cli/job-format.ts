/**
 * How `ft-checkpoints jobs` writes jobs in each format: a table fitted to the terminal, CSV with
 * a column per field, one field per line; JSON and JSONL are the same as for checkpoints.
 */
import type { FineTuningJob } from '../types.js';
import { csvLine, csvRecord } from './csv.js';
import type { RowFormat } from './format.js';
import { jobColumns } from './job-columns.js';
import { JOB_FIELD_NAMES, jobField, jobFieldValue } from './job-fields.js';
import { layoutTable, renderLayout } from './table-layout.js';
import { isoDate } from './text.js';

/** The CSV columns: the job's fields in the spec's order, `created` (ISO 8601) beside `created_at`. */
const JOB_CSV_COLUMNS: readonly string[] = JOB_FIELD_NAMES.flatMap((name) =>
  name === 'created_at' ? [name, 'created'] : [name],
);

/** How jobs are written. */
export const JOB_FORMAT: RowFormat<FineTuningJob> = {
  table: (jobs, { width }) =>
    jobs.length === 0 ? '' : renderLayout(layoutTable(jobs, jobColumns(jobs), width), jobs),
  csvHeader: () => csvLine(JOB_CSV_COLUMNS),
  csvRows: (jobs, terminal) =>
    jobs
      .map((job) =>
        csvRecord(
          JOB_CSV_COLUMNS.map((name) =>
            name === 'created' ? isoDate(job.created_at) : jobField(job, name),
          ),
          terminal,
        ),
      )
      .join(''),
  fieldLines: (jobs, field, terminal) =>
    jobs.map((job) => `${jobFieldValue(job, field, terminal)}\n`).join(''),
  // `jobs` takes no --sort: the server's order, newest first.
  sort: (jobs) => [...jobs],
};
