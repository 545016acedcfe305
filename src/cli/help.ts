/**
 * The `--help` texts. Plain strings, kept under 80 columns, so that they read well in any
 * terminal; every flag `args.ts` accepts is listed here, and docs/cli.md says the same at length.
 */
import { METRIC_NAMES } from '../best.js';
import { DEFAULT_MOCK_PORT, DEFAULT_WATCH_INTERVAL, type CommandName } from './args.js';
import { DEFAULT_CHART_HEIGHT, MAX_CHART_HEIGHT, MIN_CHART_HEIGHT } from './chart.js';
import { DEFAULT_CHART_WIDTH } from './chart-command.js';
import { PROGRAM } from './exit.js';
import { FIELD_NAMES } from './fields.js';
import { JOB_FIELD_NAMES } from './job-fields.js';
import {
  DEFAULT_TICK_MS,
  DEMO_CHECKPOINTS,
  DEMO_JOB_ID,
  DEMO_RUNNING_CHECKPOINTS,
  DEMO_RUNNING_JOB_ID,
} from './mock-command.js';
import { DEMO_MODEL } from '../mock/generate.js';
import { abbreviateMetric, COLUMN_NAMES } from './table-columns.js';

const ENVIRONMENT = `Environment:
  OPENAI_API_KEY     the API key (required by every command but mock). There is
                     deliberately no flag for it: a key on the command line ends
                     up in the shell history and in \`ps\` output.
  OPENAI_BASE_URL    the API base URL (default https://api.openai.com/v1)
  OPENAI_ORG_ID      organization, sent as OpenAI-Organization
  OPENAI_PROJECT_ID  project, sent as OpenAI-Project
  COLUMNS            the width to fit tables and charts to when stdout is not
                     a terminal
  LINES              the height to fit charts to when stdout is not a
                     terminal
  NO_COLOR           set to a non-empty value: no colour in charts`;

const EXIT_CODES = `Exit codes:
  0    success (watch: the job succeeded, or --count checkpoints exist)
  1    API or network error, server data that cannot be shown, no
       checkpoint has the metric (best, chart), or the job failed or was
       cancelled (watch)
  2    usage error: bad flag or value, missing <job-id>, no OPENAI_API_KEY
  130  interrupted (Ctrl+C); the request in flight is aborted
  143  terminated (SIGTERM)`;

const API_OPTIONS = `API options (every command that calls the API):
  --base-url URL       API base URL (overrides OPENAI_BASE_URL)
  --organization ID    sent as OpenAI-Organization (overrides OPENAI_ORG_ID)
  --project ID         sent as OpenAI-Project (overrides OPENAI_PROJECT_ID)
  --timeout MS         limit per attempt in milliseconds, reading the body
                       included (default 60000, at most 2147483647)
  --max-retries N      retries of a failed attempt: network errors, timeouts,
                       408, 409, 429 and 5xx (default 2)`;

const ABBREVIATIONS = METRIC_NAMES.filter((name) => abbreviateMetric(name) !== name).map(
  (name) => `${abbreviateMetric(name)}=${name}`,
);

const TABLE = `Tables:
  Fitted to the width of the terminal (else COLUMNS; else no limit). Default
  columns: step, created, the metrics any listed checkpoint has, and the model
  checkpoint. When they do not fit, in this order: 1. metric headers are
  abbreviated; 2. created loses its seconds; 3. the model checkpoint is
  shortened in the middle (down to 16 characters); 4. it is dropped; 5. created
  loses its year; 6. created is dropped; 7. each checkpoint is printed as a
  block of "name: value" lines. A date shortened on the way gets back what a
  drop leaves room for. The step and the metrics are never dropped.
  Abbreviated headers:
${wrapList(ABBREVIATIONS, 4, 80)}
  --columns A,B,...  exactly these columns, in this order (narrowed as above,
                     never dropped); any of
${wrapList(COLUMN_NAMES, 21, 80)}
  --wide             every column, never narrowed`;

const OVERVIEW = `Usage: ${PROGRAM} <command> [options]

List the checkpoints of an OpenAI fine-tuning job, pick the best one, chart
the metrics, or watch a running job.

Commands:
  list <job-id>   list checkpoints (first page, or every page with --all)
  best <job-id>   find the checkpoint with the best value of a metric
  chart <job-id>  draw the metrics across steps in the terminal
  watch <job-id>  print checkpoints as they appear, until the job ends
  jobs            list recent fine-tuning jobs (to find a job's id)
  mock            serve a local mock of the API for trying the CLI offline
  help [command]  show help for a command

Options:
  -h, --help      show help (also: ${PROGRAM} <command> --help)
  -v, --version   print the version

Examples:
  ${PROGRAM} list ftjob-abc123
  ${PROGRAM} list ftjob-abc123 --all --format csv > checkpoints.csv
  model=$(${PROGRAM} best ftjob-abc123 --field fine_tuned_model_checkpoint)
  ${PROGRAM} chart ftjob-abc123
  ${PROGRAM} watch ftjob-abc123 --interval 60
  ${PROGRAM} jobs

${ENVIRONMENT}

${EXIT_CODES}
`;

const LIST = `Usage: ${PROGRAM} list <job-id> [options]

List the checkpoints of a fine-tuning job, newest first (the server's order).
Without --all, only the first page is fetched: one request.

Options:
  --all              fetch every page, 100 checkpoints per page unless --limit:
                     ceil(N / 100) requests for N checkpoints (3 for 300)
  --max-items N      stop after N checkpoints (implies --all): only the pages N
                     needs are requested, the last one sized to what is left
                     (--max-items 15: one request, for 15)
  --limit N          checkpoints per page (without --all: API default, 10)
  --sort KEY         step or created, ascending (default: newest first)
  --format FORMAT    table (default), json, jsonl or csv
  --field NAME       print only this field, one line per checkpoint (empty
                     when it lacks the metric); one of
${wrapList(FIELD_NAMES, 21, 80)}

Formats:
  table   for people, see Tables below; followed by a count line
  json    one JSON array of checkpoint objects, as the API returns them
  jsonl   one checkpoint object per line, written page by page
  csv     a header, then one row per checkpoint: created_at (Unix seconds)
          and created (ISO 8601), metrics.* columns; RFC 4180 (CRLF line ends,
          quotes where needed); text starting with = + - @ tab or CR gets a '
          prefix, so that a spreadsheet does not run it as a formula

  Text from the server cannot drive the terminal: control and BiDi characters
  show as U+FFFD in tables and are escaped in JSON; csv and --field do the
  same on a terminal and stay exact in a pipe or a file.

${TABLE}

${API_OPTIONS}

Examples:
  ${PROGRAM} list ftjob-abc123 --limit 5
  ${PROGRAM} list ftjob-abc123 --all --format csv > checkpoints.csv
  ${PROGRAM} list ftjob-abc123 --all --sort step --columns step,valid_loss
  ${PROGRAM} list ftjob-abc123 --all --field metrics.full_valid_loss

${ENVIRONMENT}

${EXIT_CODES}
`;

const BEST = `Usage: ${PROGRAM} best <job-id> [options]

Read every page and print the checkpoint with the best value of a metric.
Pages hold 100 checkpoints unless --limit says otherwise: ceil(N / 100)
requests for N checkpoints (3 for 300). Checkpoints without the metric are
ignored; on a tie the first one listed (the newest) wins.

Options:
  --metric NAME      the metric to rank by (default: full_valid_loss); one of
${wrapList(METRIC_NAMES, 21, 80)}
  --min              smaller is better (default for losses)
  --max              larger is better (default for *accuracy metrics)
  --limit N          checkpoints per page while reading (default 100)
  --format FORMAT    table (default) or json
  --field NAME       print only this field of the best checkpoint, e.g.
                     fine_tuned_model_checkpoint or metrics.full_valid_loss

${TABLE}

${API_OPTIONS}

Examples:
  ${PROGRAM} best ftjob-abc123
  ${PROGRAM} best ftjob-abc123 --metric valid_mean_token_accuracy --max
  # The winner's model name, for the next command:
  model=$(${PROGRAM} best ftjob-abc123 --field fine_tuned_model_checkpoint)
  echo "deploying $model"

${ENVIRONMENT}

${EXIT_CODES}
`;

const CHART = `Usage: ${PROGRAM} chart <job-id> [--metric NAME]... [options]

Draw metrics across steps in the terminal: a panel per kind (losses,
accuracies), each with its own value axis, over one axis of steps. Each metric
of a panel has its own glyph (● + · × ○), named in the panel's legend, so the
chart reads without colour; the first one is drawn on top, and its best
checkpoint is marked ◆. Fitted to the terminal (else COLUMNS and LINES; else
${DEFAULT_CHART_WIDTH} by ${DEFAULT_CHART_HEIGHT}). Colour only when stdout is a terminal and NO_COLOR is
not set. Reads every page, like best (100 per page).

Options:
  --metric NAME      a metric to draw; repeat for more (default: every metric
                     a checkpoint has, full_valid_loss first, the metric best
                     ranks by); one of
${wrapList(METRIC_NAMES, 21, 80)}
  --height N         lines the chart takes, title and legend included (${MIN_CHART_HEIGHT} to
                     ${MAX_CHART_HEIGHT}; default: the terminal's height less 2)
  --limit N          checkpoints per page while reading (default 100)

${API_OPTIONS}

Examples:
  ${PROGRAM} chart ftjob-abc123
  ${PROGRAM} chart ftjob-abc123 --metric valid_loss --metric train_loss
  ${PROGRAM} chart ftjob-abc123 --height 40

${ENVIRONMENT}

${EXIT_CODES}
`;

const WATCH = `Usage: ${PROGRAM} watch <job-id> [options]

At every poll, read the job's status, then the first page of its checkpoints,
and print each checkpoint once, oldest first, as it appears; those already
there are printed first. A poll that finds a whole page of new checkpoints
reads the next page too, so none is missed. Transient failures (network,
timeouts, 408, 409, 429, 5xx) are retried as usual, then reported on stderr
and tried again at the next poll; other errors end it.

It ends with the job, with a line on stderr: exit 0 when it has succeeded,
1 when it has failed or been cancelled (with the job's error). The status is
read before the checkpoints, so every checkpoint made before the end is
printed before that line. Else it runs until Ctrl+C (exit 130), SIGTERM
(exit 143), or until --count checkpoints exist (exit 0).

Options:
  --interval S       seconds between polls (default ${DEFAULT_WATCH_INTERVAL}, at least 1)
  --count N          stop once N checkpoints exist (those there at the start
                     included)
  --format FORMAT    table (default: one header, then rows as they come) or
                     jsonl
  --limit N          checkpoints per page (default 100)

${TABLE}

${API_OPTIONS}

Examples:
  ${PROGRAM} watch ftjob-abc123
  ${PROGRAM} watch ftjob-abc123 --interval 60 --format jsonl >> ckpts.jsonl
  ${PROGRAM} watch ftjob-abc123 && echo "the job succeeded"

${ENVIRONMENT}

${EXIT_CODES}
`;

const JOBS = `Usage: ${PROGRAM} jobs [options]

List the organization's fine-tuning jobs, newest first (the server's order):
id, model, status, created, and the fine-tuned model once there is one.
Without --all, only the first page is fetched: one request, 20 jobs.

Options:
  --all              fetch every page, 100 jobs per page unless --limit
  --limit N          jobs per page (without --all: API default, 20)
  --format FORMAT    table (default), json, jsonl or csv (as for list)
  --field NAME       print only this field, one line per job (empty when
                     the job has none; objects as JSON); one of
${wrapList(JOB_FIELD_NAMES, 21, 80)}

  The table is fitted to the terminal as list's is: the created date is
  shortened, then the model names, then the fine-tuned model is dropped,
  then the model, then the date; id and status are never dropped. Text from
  the server is made safe as for list.

${API_OPTIONS}

Examples:
  ${PROGRAM} jobs
  ${PROGRAM} jobs --all --format csv > jobs.csv
  job=$(${PROGRAM} jobs --limit 1 --field id)
  ${PROGRAM} watch "$job"

${ENVIRONMENT}

${EXIT_CODES}
`;

const MOCK = `Usage: ${PROGRAM} mock [options]

Serve a mock of the fine-tuning API (jobs and their checkpoints) on
127.0.0.1, for trying the CLI without a key or a network. Without --jobs it
serves ${DEMO_JOB_ID} (succeeded, ${DEMO_CHECKPOINTS} checkpoints) and ${DEMO_RUNNING_JOB_ID}, which
gains a checkpoint every --tick from the first request for it and succeeds
at ${DEMO_RUNNING_CHECKPOINTS}. The banner says which command to try where it runs. Runs until
Ctrl+C (exit 130) or SIGTERM (exit 143).

Options:
  --port N           port to listen on (default: ${DEFAULT_MOCK_PORT}; 0 picks a free one)
  --jobs FILE        serve the jobs in FILE, a JSON object whose keys are job
                     ids, each a list of checkpoints, or an object:
                     { "<job-id>": [checkpoint, ...],
                       "<job-id>": { "count": 500, "seed": 7 },
                       "<job-id>": { "checkpoints": [...],
                                     "status": "failed", "error": "..." } }
                     (keys: count, seed, stepsPerCheckpoint, model,
                     startTime, or checkpoints; and status, error, tickMs.
                     Without a status a job has succeeded; without a model
                     its model is ${DEMO_MODEL})
  --seed N           seed of the generated demo jobs (same seed, same data)
  --tick MS          milliseconds between two checkpoints of
                     ${DEMO_RUNNING_JOB_ID} (default ${DEFAULT_TICK_MS})
  --cors             let browser pages on other origins call it (CORS)

Examples:
  ${PROGRAM} mock --port 0
  ${PROGRAM} mock --tick 500
  echo '{ "ftjob-a": { "count": 500, "seed": 7 } }' > jobs.json
  ${PROGRAM} mock --jobs jobs.json
`;

const PAGES: Record<CommandName, string> = {
  list: LIST,
  best: BEST,
  chart: CHART,
  watch: WATCH,
  jobs: JOBS,
  mock: MOCK,
};

/** The help text for `topic`, or the overview when there is none. */
export function helpText(topic?: CommandName): string {
  return topic === undefined ? OVERVIEW : PAGES[topic];
}

/** Lays out `words` comma-separated, indented by `indent`, within `width` columns. */
function wrapList(words: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const item = i < words.length - 1 ? `${word},` : word;
    if (line !== '' && indent + line.length + 1 + item.length > width) {
      lines.push(line);
      line = item;
    } else {
      line = line === '' ? item : `${line} ${item}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}
