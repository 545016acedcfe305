/**
 * Turns `argv` into a typed command, validating every flag, so that the commands themselves never
 * see a malformed value and every mistake is a usage error (exit code 2) with a one-line reason.
 */
import { parseArgs } from 'node:util';
import { isMetricName, METRIC_NAMES, type Direction, type MetricName } from '../best.js';
import { MAX_TIMER_DELAY_MS } from '../mock/timers.js';
import { MAX_CHART_HEIGHT, MIN_CHART_HEIGHT } from './chart.js';
import { PROGRAM, UsageError } from './exit.js';
import { FIELD_NAMES } from './fields.js';
import { JOB_FIELD_NAMES } from './job-fields.js';
import { anyOf, closestName, didYouMean, unknownName } from './suggest.js';
import { COLUMN_NAMES } from './table-columns.js';

/** The output formats of `list`. */
export const LIST_FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
/** An output format of `list`. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/** The output formats of `best`: one checkpoint, so no streaming formats. */
export const BEST_FORMATS = ['table', 'json'] as const;
/** An output format of `best`. */
export type BestFormat = (typeof BEST_FORMATS)[number];

/** The output formats of `watch`: rows as they come, so no formats that need every row. */
export const WATCH_FORMATS = ['table', 'jsonl'] as const;
/** An output format of `watch`. */
export type WatchFormat = (typeof WATCH_FORMATS)[number];

/** The keys of `list --sort` (ascending). */
export const SORT_KEYS = ['step', 'created'] as const;
/** A key of `list --sort`. */
export type SortKey = (typeof SORT_KEYS)[number];

/** The subcommands. */
export const COMMANDS = ['list', 'best', 'chart', 'watch', 'jobs', 'mock'] as const;
/** A subcommand name. */
export type CommandName = (typeof COMMANDS)[number];

/** The port `mock` listens on when `--port` is not given. */
export const DEFAULT_MOCK_PORT = 4010;
/** Seconds between two polls of `watch` unless `--interval` says otherwise. */
export const DEFAULT_WATCH_INTERVAL = 30;

/** What every command that calls the API takes. */
export interface ApiSettings {
  baseUrl: string | undefined;
  limit: number | undefined;
  timeoutMs: number | undefined;
  maxRetries: number | undefined;
  organization: string | undefined;
  project: string | undefined;
}

/** What every command about one job takes: the API settings and the job's id. */
export interface JobSettings extends ApiSettings {
  jobId: string;
}

/** How a table is chosen: `--columns`, `--wide`. */
export interface TableChoice {
  columns: string[] | undefined;
  wide: boolean;
}

/** `ft-checkpoints list`. */
export interface ListCommand extends JobSettings, TableChoice {
  kind: 'list';
  /** Walk every page (also implied by `maxItems`). */
  all: boolean;
  maxItems: number | undefined;
  format: ListFormat;
  sort: SortKey | undefined;
  field: string | undefined;
}

/** `ft-checkpoints best`. */
export interface BestCommand extends JobSettings, TableChoice {
  kind: 'best';
  metric: MetricName;
  /** `undefined`: the metric's natural direction. */
  direction: Direction | undefined;
  format: BestFormat;
  field: string | undefined;
}

/** `ft-checkpoints chart`. */
export interface ChartCommand extends JobSettings {
  kind: 'chart';
  /** The metrics to draw, first one marked at its best; empty: every metric present. */
  metrics: MetricName[];
  /** `--height`: lines the chart takes; `undefined`: the terminal's. */
  height: number | undefined;
}

/** `ft-checkpoints watch`. */
export interface WatchCommand extends JobSettings, TableChoice {
  kind: 'watch';
  intervalMs: number;
  /** Stop (exit 0) once this many checkpoints exist. */
  count: number | undefined;
  format: WatchFormat;
}

/** `ft-checkpoints jobs`. */
export interface JobsCommand extends ApiSettings {
  kind: 'jobs';
  /** Walk every page. */
  all: boolean;
  format: ListFormat;
  field: string | undefined;
}

/** `ft-checkpoints mock`. */
export interface MockCommand {
  kind: 'mock';
  port: number;
  jobsFile: string | undefined;
  seed: number | undefined;
  /** `--tick`: milliseconds between two checkpoints of the running demo job. */
  tickMs: number | undefined;
  /** `--cors`: answer browsers on other origins (see the mock's `cors` option). */
  cors: boolean;
}

/** A parsed command line. */
export type ParsedCommand =
  | { kind: 'help'; topic: CommandName | undefined }
  | { kind: 'version' }
  /** No command at all: print the usage to stderr and exit 2. */
  | { kind: 'usage' }
  | ListCommand
  | BestCommand
  | ChartCommand
  | WatchCommand
  | JobsCommand
  | MockCommand;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'base-url': { type: 'string' },
  limit: { type: 'string' },
  timeout: { type: 'string' },
  'max-retries': { type: 'string' },
  organization: { type: 'string' },
  project: { type: 'string' },
  all: { type: 'boolean' },
  'max-items': { type: 'string' },
  format: { type: 'string' },
  sort: { type: 'string' },
  field: { type: 'string' },
  columns: { type: 'string' },
  wide: { type: 'boolean' },
  metric: { type: 'string', multiple: true },
  max: { type: 'boolean' },
  min: { type: 'boolean' },
  interval: { type: 'string' },
  count: { type: 'string' },
  height: { type: 'string' },
  tick: { type: 'string' },
  port: { type: 'string' },
  jobs: { type: 'string' },
  seed: { type: 'string' },
  cors: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'version'];
const API_OPTIONS: readonly OptionName[] = [
  'base-url',
  'limit',
  'timeout',
  'max-retries',
  'organization',
  'project',
];
const TABLE_OPTIONS: readonly OptionName[] = ['columns', 'wide'];

// Which options each command accepts; `node:util` parses the union, this rejects the rest, so
// `mock --all` is an error rather than silently ignored.
const COMMAND_OPTIONS: Record<CommandName, readonly OptionName[]> = {
  list: [...API_OPTIONS, 'all', 'max-items', 'format', 'sort', 'field', ...TABLE_OPTIONS],
  best: [...API_OPTIONS, 'metric', 'max', 'min', 'format', 'field', ...TABLE_OPTIONS],
  chart: [...API_OPTIONS, 'metric', 'height'],
  watch: [...API_OPTIONS, 'interval', 'count', 'format', ...TABLE_OPTIONS],
  jobs: [...API_OPTIONS, 'all', 'format', 'field'],
  mock: ['port', 'jobs', 'seed', 'tick', 'cors'],
};

/** The flags `command` takes (without `--`), `--help` and `--version` included. */
export function commandOptions(command: CommandName): readonly string[] {
  return [...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command]];
}

function isCommandName(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

const flagOf = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

/**
 * Refuses a flag no command knows, or that the command does not take, before node:util sees it:
 * its message spans lines and gives advice about `--`. Ours names the flag and the closest one
 * the command takes ("did you mean --limit?").
 */
function rejectUnknownOptions(argv: readonly string[]): void {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const firstPositional = tokens.find((token) => token.kind === 'positional');
  const command =
    firstPositional?.kind === 'positional' && isCommandName(firstPositional.value)
      ? firstPositional.value
      : undefined;
  const accepted = [...GLOBAL_OPTIONS, ...(command === undefined ? [] : COMMAND_OPTIONS[command])];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const { name } = token;
    if ((accepted as readonly string[]).includes(name)) continue;
    const where = command === undefined ? '' : ` for '${command}'`;
    const known = name in OPTIONS;
    // `list --port`: a real flag of another command.
    const reason =
      known && command !== undefined
        ? `option ${flagOf(name)} does not apply to '${command}'`
        : `unknown option ${token.rawName}${where}`;
    throw new UsageError(`${reason}${didYouMean(name, accepted, '--')}`, command);
  }
}

/**
 * Parses the arguments after the program name.
 *
 * @param env - read for `OPENAI_BASE_URL` only; the key, organization and project are read by
 * the commands.
 * @throws {@link UsageError} for anything malformed.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommand {
  rejectKeyFlags(argv);
  rejectUnknownOptions(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // node:util's messages are good but span lines and suggest `--` tricks; keep the first line.
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : '';
    throw new UsageError(message || 'invalid arguments');
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;

  if (first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommandName(topic)) {
      throw new UsageError(unknownName('command', topic, COMMANDS));
    }
    return { kind: 'help', topic };
  }
  if (first === undefined) {
    if (values.help) return { kind: 'help', topic: undefined };
    if (values.version) return { kind: 'version' };
    const stray = Object.keys(values)[0];
    if (stray !== undefined) throw new UsageError(`--${stray} needs a command before it`);
    return { kind: 'usage' };
  }
  if (!isCommandName(first)) throw new UsageError(unknownName('command', first, COMMANDS));
  // `list --help` shows the help even when the rest of the line is incomplete.
  if (values.help) return { kind: 'help', topic: first };
  if (values.version) return { kind: 'version' };

  if (first === 'mock') {
    if (rest.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`, first);
    return {
      kind: 'mock',
      port: values.port === undefined ? DEFAULT_MOCK_PORT : parsePort(values.port),
      jobsFile: values.jobs,
      seed: values.seed === undefined ? undefined : parseInteger('--seed', values.seed, first),
      tickMs:
        values.tick === undefined ? undefined : parseMilliseconds('--tick', values.tick, first),
      cors: values.cors === true,
    };
  }

  if (first === 'jobs') {
    if (rest.length > 0) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(rest[0])} (jobs lists every job; it takes no id)`,
        first,
      );
    }
    const field = parseField(values.field, first, JOB_FIELD_NAMES);
    if (field !== undefined && values.format !== undefined) {
      throw new UsageError('--field and --format exclude each other', first);
    }
    return {
      kind: 'jobs',
      ...parseApiSettings(first, values, env),
      all: values.all === true,
      format: parseChoice('--format', values.format ?? 'table', LIST_FORMATS, first),
      field,
    };
  }

  const api = { ...parseApiSettings(first, values, env), jobId: parseJobId(first, rest) };
  const table: TableChoice = {
    columns: parseColumns(values.columns, first),
    wide: values.wide === true,
  };
  if (table.wide && table.columns !== undefined) {
    throw new UsageError('--wide and --columns exclude each other', first);
  }
  const field = parseField(values.field, first, FIELD_NAMES);
  if (field !== undefined && values.format !== undefined) {
    throw new UsageError('--field and --format exclude each other', first);
  }

  if (first === 'list') {
    const maxItems =
      values['max-items'] === undefined
        ? undefined
        : parsePositive('--max-items', values['max-items'], first);
    return {
      kind: 'list',
      ...api,
      ...table,
      all: values.all === true || maxItems !== undefined,
      maxItems,
      format: parseChoice('--format', values.format ?? 'table', LIST_FORMATS, first),
      sort:
        values.sort === undefined
          ? undefined
          : parseChoice('--sort', values.sort, SORT_KEYS, first),
      field,
    };
  }
  if (first === 'watch') {
    const interval =
      values.interval === undefined ? DEFAULT_WATCH_INTERVAL : parseSeconds(values.interval);
    return {
      kind: 'watch',
      ...api,
      ...table,
      intervalMs: Math.round(interval * 1000),
      count: values.count === undefined ? undefined : parsePositive('--count', values.count, first),
      format: parseChoice('--format', values.format ?? 'table', WATCH_FORMATS, first),
    };
  }
  const metrics = (values.metric ?? []).map((name) => parseMetric(name, first));
  if (first === 'chart') {
    const repeated = metrics.find((name, i) => metrics.indexOf(name) !== i);
    if (repeated !== undefined) throw new UsageError(`--metric ${repeated} is given twice`, first);
    const height =
      values.height === undefined
        ? undefined
        : parseRange('--height', values.height, MIN_CHART_HEIGHT, MAX_CHART_HEIGHT, first);
    return { kind: 'chart', ...api, metrics, height };
  }

  if (metrics.length > 1) throw new UsageError('best ranks by one --metric', first);
  if (values.max && values.min) throw new UsageError('--max and --min exclude each other', first);
  return {
    kind: 'best',
    ...api,
    ...table,
    metric: metrics[0] ?? 'full_valid_loss',
    direction: values.max ? 'max' : values.min ? 'min' : undefined,
    format: parseChoice('--format', values.format ?? 'table', BEST_FORMATS, first),
    field,
  };
}

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** The one `<job-id>` of a command about a job. */
function parseJobId(command: CommandName, rest: readonly string[]): string {
  const jobId = rest[0];
  if (jobId === undefined || jobId === '') {
    throw new UsageError(
      `missing <job-id> (e.g. ${command} ftjob-abc123; '${PROGRAM} jobs' lists them)`,
      command,
    );
  }
  if (rest.length > 1)
    throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}`, command);
  return jobId;
}

function parseApiSettings(
  command: CommandName,
  values: Values,
  env: Readonly<Record<string, string | undefined>>,
): ApiSettings {
  const optional = <T>(value: string | undefined, parse: (text: string) => T): T | undefined =>
    value === undefined ? undefined : parse(value);
  return {
    baseUrl: parseBaseUrl(values['base-url'] ?? nonEmpty(env.OPENAI_BASE_URL), command),
    limit: optional(values.limit, (v) => parsePositive('--limit', v, command)),
    timeoutMs: optional(values.timeout, (v) => parseMilliseconds('--timeout', v, command)),
    maxRetries: optional(values['max-retries'], (v) =>
      parseNonNegative('--max-retries', v, command),
    ),
    organization: optional(values.organization, (v) =>
      parseHeaderText('--organization', v, command),
    ),
    project: optional(values.project, (v) => parseHeaderText('--project', v, command)),
  };
}

function parseMetric(name: string, command: CommandName): MetricName {
  if (isMetricName(name)) return name;
  throw new UsageError(unknownName('metric', name, METRIC_NAMES), command);
}

function parseField(
  value: string | undefined,
  command: CommandName,
  names: readonly string[],
): string | undefined {
  if (value === undefined || names.includes(value)) return value;
  // `--field full_valid_loss`: the metric without its `metrics.` prefix; `message`: `error.`'s.
  const dotted = names.map((name) => name.slice(name.indexOf('.') + 1));
  const near = closestName(value, names) ?? names[dotted.indexOf(closestName(value, dotted) ?? '')];
  const hint = near === undefined ? '' : `. Did you mean ${near}?`;
  throw new UsageError(
    `unknown field ${JSON.stringify(value)}; expected ${anyOf(names)}${hint}`,
    command,
  );
}

function parseColumns(value: string | undefined, command: CommandName): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!COLUMN_NAMES.includes(name)) {
      throw new UsageError(
        `unknown column ${JSON.stringify(name)}; expected some of ${COLUMN_NAMES.join(', ')}${didYouMean(name, COLUMN_NAMES)}`,
        command,
      );
    }
  }
  return names;
}

/**
 * Refuses any flag that looks like it carries the API key: a key typed on the command line lands
 * in the shell history and in `ps` output for every user of the machine.
 */
function rejectKeyFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (/^--(openai-)?(api-)?key(=|$)/i.test(arg) || /^--token(=|$)/i.test(arg)) {
      const flag = arg.split('=')[0] ?? arg;
      throw new UsageError(
        `${flag} is not accepted: set the OPENAI_API_KEY environment variable instead ` +
          '(a key on the command line ends up in shell history and `ps` output)',
      );
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseBaseUrl(value: string | undefined, command: CommandName): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`base URL ${JSON.stringify(value)} is not a valid URL`, command);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`base URL must be http(s), got ${url.protocol}`, command);
  }
  // Credentials in a URL would be as exposed as a key flag; a query or fragment would be lost.
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError('base URL must not contain credentials, a query or a fragment', command);
  }
  return value;
}

/** An organization or project id: sent as a header, so printable ASCII without spaces. */
function parseHeaderText(flag: string, value: string, command: CommandName): string {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new UsageError(
      `${flag} must be an id such as org-abc123, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return value;
}

function parseInteger(flag: string, value: string, command: CommandName): number {
  // Digits only: `Number()` would also accept '', '1e3', '0x10' and ' 7 '.
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be an integer, got ${JSON.stringify(value)}`, command);
  }
  return n;
}

function parseNonNegative(flag: string, value: string, command: CommandName): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(
      `${flag} must be a whole number (0 or more), got ${JSON.stringify(value)}`,
      command,
    );
  }
  return n;
}

function parsePositive(flag: string, value: string, command: CommandName): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(
      `${flag} must be a positive integer, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return n;
}

/**
 * A duration that becomes a timer (`--timeout`): whole milliseconds from 1 to 2^31 - 1, the
 * longest a timer holds. Checked here, so a larger value is a usage error rather than a timer
 * that Node fires after 1 ms with a warning.
 */
function parseMilliseconds(flag: string, value: string, command: CommandName): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_TIMER_DELAY_MS)) {
    throw new UsageError(
      `${flag} must be a whole number of milliseconds from 1 to ${MAX_TIMER_DELAY_MS}, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return n;
}

/** `--interval`: seconds, at least 1, decimals allowed (`1.5`); at most a day. */
function parseSeconds(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 86_400)) {
    throw new UsageError(
      `--interval must be a number of seconds from 1 to 86400, got ${JSON.stringify(value)}`,
      'watch',
    );
  }
  return n;
}

function parsePort(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 65_535) {
    throw new UsageError(
      `--port must be an integer from 0 (any free port) to 65535, got ${JSON.stringify(value)}`,
      'mock',
    );
  }
  return n;
}

function parseChoice<T extends string>(
  flag: string,
  value: string,
  choices: readonly T[],
  command: CommandName,
): T {
  const choice = choices.find((c) => c === value);
  if (choice === undefined) {
    throw new UsageError(
      `${flag} must be ${anyOf(choices)}, got ${JSON.stringify(value)}${didYouMean(value, choices)}`,
      command,
    );
  }
  return choice;
}

/** A whole number from `min` to `max` (`--height`). */
function parseRange(
  flag: string,
  value: string,
  min: number,
  max: number,
  command: CommandName,
): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return n;
}
