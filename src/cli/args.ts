/**
 * Turns `argv` into a typed command, validating every flag, so that the commands themselves never
 * see a malformed value and every mistake is a usage error (exit code 2) with a one-line reason.
 */
import { parseArgs } from 'node:util';
import { isMetricName, METRIC_NAMES, type Direction, type MetricName } from '../best.js';
import { UsageError } from './exit.js';

/** The output formats of `list`. */
export const LIST_FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
/** An output format of `list`. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/** The output formats of `best`: one checkpoint, so no streaming formats. */
export const BEST_FORMATS = ['table', 'json'] as const;
/** An output format of `best`. */
export type BestFormat = (typeof BEST_FORMATS)[number];

/** The subcommands. */
export const COMMANDS = ['list', 'best', 'mock'] as const;
/** A subcommand name. */
export type CommandName = (typeof COMMANDS)[number];

/** The port `mock` listens on when `--port` is not given. */
export const DEFAULT_MOCK_PORT = 4010;

/** `ft-checkpoints list`. */
export interface ListCommand {
  kind: 'list';
  jobId: string;
  baseUrl: string | undefined;
  limit: number | undefined;
  /** Walk every page (also implied by `maxItems`). */
  all: boolean;
  maxItems: number | undefined;
  format: ListFormat;
}

/** `ft-checkpoints best`. */
export interface BestCommand {
  kind: 'best';
  jobId: string;
  baseUrl: string | undefined;
  limit: number | undefined;
  metric: MetricName;
  /** `undefined`: the metric's natural direction. */
  direction: Direction | undefined;
  format: BestFormat;
}

/** `ft-checkpoints mock`. */
export interface MockCommand {
  kind: 'mock';
  port: number;
  jobsFile: string | undefined;
  seed: number | undefined;
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
  | MockCommand;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'base-url': { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  'max-items': { type: 'string' },
  format: { type: 'string' },
  metric: { type: 'string' },
  max: { type: 'boolean' },
  min: { type: 'boolean' },
  port: { type: 'string' },
  jobs: { type: 'string' },
  seed: { type: 'string' },
  cors: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'version'];

// Which options each command accepts; `node:util` parses the union, this rejects the rest, so
// `mock --all` is an error rather than silently ignored.
const COMMAND_OPTIONS: Record<CommandName, readonly OptionName[]> = {
  list: ['base-url', 'limit', 'all', 'max-items', 'format'],
  best: ['base-url', 'limit', 'metric', 'max', 'min', 'format'],
  mock: ['port', 'jobs', 'seed', 'cors'],
};

function isCommandName(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/**
 * Parses the arguments after the program name.
 *
 * @param env - read for `OPENAI_BASE_URL` only; the API key is read by the commands.
 * @throws {@link UsageError} for anything malformed.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommand {
  rejectKeyFlags(argv);
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
      throw new UsageError(`unknown command ${JSON.stringify(topic)}`);
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
  if (!isCommandName(first)) {
    throw new UsageError(
      `unknown command ${JSON.stringify(first)}; expected ${COMMANDS.join(', ')}`,
    );
  }
  // `list --help` shows the help even when the rest of the line is incomplete.
  if (values.help) return { kind: 'help', topic: first };
  if (values.version) return { kind: 'version' };

  for (const name of Object.keys(values) as OptionName[]) {
    if (!GLOBAL_OPTIONS.includes(name) && !COMMAND_OPTIONS[first].includes(name)) {
      throw new UsageError(`option --${name} does not apply to '${first}'`, first);
    }
  }

  if (first === 'mock') {
    if (rest.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`, first);
    return {
      kind: 'mock',
      port: values.port === undefined ? DEFAULT_MOCK_PORT : parsePort(values.port),
      jobsFile: values.jobs,
      seed: values.seed === undefined ? undefined : parseInteger('--seed', values.seed, first),
      cors: values.cors === true,
    };
  }

  const jobId = rest[0];
  if (jobId === undefined || jobId === '') {
    throw new UsageError(`missing <job-id> (e.g. ${first} ftjob-abc123)`, first);
  }
  if (rest.length > 1)
    throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}`, first);
  const baseUrl = parseBaseUrl(values['base-url'] ?? nonEmpty(env.OPENAI_BASE_URL), first);
  const limit =
    values.limit === undefined ? undefined : parsePositive('--limit', values.limit, first);

  if (first === 'list') {
    const maxItems =
      values['max-items'] === undefined
        ? undefined
        : parsePositive('--max-items', values['max-items'], first);
    return {
      kind: 'list',
      jobId,
      baseUrl,
      limit,
      all: values.all === true || maxItems !== undefined,
      maxItems,
      format: parseChoice('--format', values.format ?? 'table', LIST_FORMATS, first),
    };
  }

  if (values.max && values.min) throw new UsageError('--max and --min exclude each other', first);
  const metric = values.metric ?? 'full_valid_loss';
  if (!isMetricName(metric)) {
    throw new UsageError(
      `unknown metric ${JSON.stringify(metric)}; expected one of ${METRIC_NAMES.join(', ')}`,
      first,
    );
  }
  return {
    kind: 'best',
    jobId,
    baseUrl,
    limit,
    metric,
    direction: values.max ? 'max' : values.min ? 'min' : undefined,
    format: parseChoice('--format', values.format ?? 'table', BEST_FORMATS, first),
  };
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

function parseInteger(flag: string, value: string, command: CommandName): number {
  // Digits only: `Number()` would also accept '', '1e3', '0x10' and ' 7 '.
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be an integer, got ${JSON.stringify(value)}`, command);
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
      `${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return choice;
}
