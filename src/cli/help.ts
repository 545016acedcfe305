/**
 * The `--help` texts. Plain text, no colour, at most 80 columns, so they read the same in a
 * terminal, a pipe and the README.
 */
import { METRIC_NAMES } from '../best.js';
import { DEFAULT_MOCK_PORT, type CommandName } from './args.js';
import { PROGRAM } from './exit.js';

const ENVIRONMENT = `Environment:
  OPENAI_API_KEY    the API key (required by list and best). There is
                    deliberately no flag for it: a key on the command line ends
                    up in the shell history and in \`ps\` output.
  OPENAI_BASE_URL   the API base URL (default https://api.openai.com/v1);
                    --base-url overrides it.`;

const EXIT_CODES = `Exit codes:
  0    success
  1    API or network error, or no checkpoint has the metric (best)
  2    usage error: bad flag or value, missing <job-id>, no OPENAI_API_KEY
  130  interrupted (Ctrl+C); the request in flight is aborted
  143  terminated (SIGTERM)`;

const OVERVIEW = `Usage: ${PROGRAM} <command> [options]

List the checkpoints of an OpenAI fine-tuning job and pick the best one.

Commands:
  list <job-id>   list checkpoints (first page, or every page with --all)
  best <job-id>   find the checkpoint with the best value of a metric
  mock            serve a local mock of the API for trying the CLI offline
  help [command]  show help for a command

Options:
  -h, --help      show help (also: ${PROGRAM} <command> --help)
  -v, --version   print the version

Examples:
  ${PROGRAM} list ftjob-abc123
  ${PROGRAM} list ftjob-abc123 --all --format csv > checkpoints.csv
  ${PROGRAM} best ftjob-abc123 --metric full_valid_mean_token_accuracy

${ENVIRONMENT}

${EXIT_CODES}
`;

const LIST = `Usage: ${PROGRAM} list <job-id> [options]

List the checkpoints of a fine-tuning job, newest first. Without --all, only the
first page is fetched.

Options:
  --limit N          checkpoints per page (API default: 10)
  --all              fetch every page
  --max-items N      stop after N checkpoints (implies --all)
  --format FORMAT    table (default), json, jsonl or csv
  --base-url URL     API base URL (overrides OPENAI_BASE_URL)

Formats:
  table   aligned columns for people: step, created (UTC), id, model checkpoint
          and the metrics present; followed by a count line
  json    one JSON array of checkpoint objects, as the API returns them
  jsonl   one checkpoint object per line, written page by page
  csv     a header, then one row per checkpoint with metrics.* columns;
          fields quoted as RFC 4180 says

Examples:
  ${PROGRAM} list ftjob-abc123 --limit 5
  ${PROGRAM} list ftjob-abc123 --all --format jsonl | jq .metrics.valid_loss

${ENVIRONMENT}

${EXIT_CODES}
`;

const BEST = `Usage: ${PROGRAM} best <job-id> [options]

Scan every page and print the checkpoint with the best value of a metric.
Checkpoints without the metric are ignored; on a tie the first one listed (the
newest) wins.

Options:
  --metric NAME      the metric to rank by (default: full_valid_loss); one of
${wrapList(METRIC_NAMES, 21, 80)}
  --min              smaller is better (default for losses)
  --max              larger is better (default for *accuracy metrics)
  --limit N          checkpoints per page while scanning
  --format FORMAT    table (default) or json
  --base-url URL     API base URL (overrides OPENAI_BASE_URL)

Examples:
  ${PROGRAM} best ftjob-abc123
  ${PROGRAM} best ftjob-abc123 --metric valid_mean_token_accuracy --max

${ENVIRONMENT}

${EXIT_CODES}
`;

const MOCK = `Usage: ${PROGRAM} mock [options]

Serve a mock of the checkpoints API on 127.0.0.1, for trying the CLI without a
key or a network. Without --jobs it serves the job ftjob-demo with 300
generated checkpoints. Runs until Ctrl+C.

Options:
  --port N           port to listen on (default: ${DEFAULT_MOCK_PORT}; 0 picks a free one)
  --jobs FILE        serve the jobs in FILE, a JSON object
                     { "<job-id>": [checkpoint, ...], ... }
  --seed N           seed of the generated demo job (same seed, same data)
  --cors             let browser pages on other origins call it (CORS)

Example:
  ${PROGRAM} mock --port 0
`;

const PAGES: Record<CommandName, string> = { list: LIST, best: BEST, mock: MOCK };

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
