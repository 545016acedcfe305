import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../src/cli/app.js';
import { COMMANDS, commandOptions } from '../src/cli/args.js';
import { csvField } from '../src/cli/csv.js';
import { formatNumber, isoDate } from '../src/cli/text.js';
import { findPackageVersion } from '../src/cli/version.js';
import type { FineTuningJobCheckpoint } from '../src/index.js';
import { createMockServer, generateCheckpoints, type MockServer } from '../src/mock/index.js';
import { parseCsv } from './helpers/csv.js';
import { closedPortUrl, serverPool } from './helpers/http.js';
import { tempFolders } from './helpers/temp.js';

const tempFolder = tempFolders();

// Distinctive, so a leak anywhere in the output is caught by `run` below.
const API_KEY = 'sk-test-cli-9f8e7d6c5b4a-never-print-me';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  stderrIsTTY?: boolean;
}

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (text: string) => chunks.push(text) };
}

let mock: MockServer;

/** Runs the CLI in-process against the mock by default, and checks the key never shows. */
async function run(argv: string[], options: RunOptions = {}): Promise<Result> {
  const stdout = sink();
  const stderr = sink(options.stderrIsTTY);
  const io: CliIO = {
    stdout,
    stderr,
    env: options.env ?? { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: mock.url },
    signal: options.signal,
  };
  const code = await main(argv, io);
  const result = { code, stdout: stdout.chunks.join(''), stderr: stderr.chunks.join('') };
  expect(result.stdout).not.toContain(API_KEY);
  expect(result.stderr).not.toContain(API_KEY);
  return result;
}

/** An expected error: exactly one line on stderr, the CLI's prefix, no stack, nothing on stdout. */
function expectOneLineError(result: Result, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^ft-checkpoints: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const demo = generateCheckpoints({ jobId: 'ftjob-demo', count: 25, seed: 42 });
// The order the API serves: newest first.
const served = [...demo].sort((x, y) => y.created_at - x.created_at);

const tricky: FineTuningJobCheckpoint = {
  object: 'fine_tuning.job.checkpoint',
  id: 'ftckpt_tricky',
  created_at: 1_721_764_867,
  fine_tuned_model_checkpoint: 'ft:gpt-4o-mini:org,with "comma":x:ckpt-step-7',
  fine_tuning_job_id: 'ftjob-tricky',
  metrics: { step: 7, train_loss: 0.123456789, full_valid_loss: 0.5 },
  step_number: 7,
};

const noFullValid = generateCheckpoints({ jobId: 'ftjob-partial', count: 4, seed: 1 }).map((c) => ({
  ...c,
  metrics: { train_loss: c.metrics.train_loss as number },
}));

beforeAll(async () => {
  mock = await createMockServer({
    jobs: {
      'ftjob-demo': demo,
      'ftjob-tricky': [tricky],
      'ftjob-partial': noFullValid,
      'ftjob-empty': [],
    },
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.requests.length = 0;
});

describe('help and version', () => {
  it('prints the overview with --help, -h and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^Usage: ft-checkpoints <command>/);
      expect(result.stdout).toContain('Exit codes:');
      expect(result.stdout).toMatch(/130 +interrupted/);
      expect(result.stdout).toMatch(/OPENAI_API_KEY[\s\S]*no flag for it/);
    }
  });

  it('prints per-command help, even without a job id', async () => {
    for (const [argv, heading] of [
      [['list', '--help'], 'Usage: ft-checkpoints list <job-id>'],
      [['best', '-h'], 'Usage: ft-checkpoints best <job-id>'],
      [['help', 'mock'], 'Usage: ft-checkpoints mock'],
    ] as const) {
      const result = await run([...argv]);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(heading)).toBe(true);
    }
    const list = await run(['list', '--help']);
    expect(list.stdout).toContain('jsonl');
    expect(list.stdout).toContain('Exit codes:');
    const best = await run(['best', '--help']);
    expect(best.stdout).toContain('full_valid_mean_token_accuracy');
    // Both forms of a jobs file: checkpoints as listed, and a recipe with its keys.
    const mockHelp = await run(['mock', '--help']);
    expect(mockHelp.stdout).toContain('[checkpoint, ...]');
    expect(mockHelp.stdout).toContain('{ "count": 500, "seed": 7 }');
    expect(mockHelp.stdout).toMatch(
      /keys: count, seed, stepsPerCheckpoint, model,\s+startTime, or checkpoints; and status, error, tickMs/,
    );
    for (const topic of [[], ...COMMANDS.map((command) => [command])]) {
      const { stdout } = await run(['help', ...topic]);
      expect(stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
    }
  });

  it("shows every flag of a command in that command's help", async () => {
    for (const command of COMMANDS) {
      const { stdout } = await run([command, '--help']);
      // --help and --version are the overview's.
      for (const option of commandOptions(command).filter((o) => o !== 'help' && o !== 'version')) {
        expect(stdout, `${command} --${option}`).toMatch(new RegExp(`--${option}\\b`));
      }
    }
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const result = await run([flag]);
      expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('finds the package.json by name, walking up from a nested directory', async () => {
    const dir = await tempFolder('ft-cli-version-');
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'fine-tuning-checkpoints', version: '9.8.7' }),
    );
    const nested = join(dir, 'dist', 'cli');
    await import('node:fs/promises').then((fs) => fs.mkdir(nested, { recursive: true }));
    // A nested package.json of another name (e.g. dist/package.json) is skipped.
    await writeFile(join(dir, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(findPackageVersion(nested)).toBe('9.8.7');
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: ft-checkpoints/);
  });

  it('has a shebang on the bin entry', async () => {
    const text = await readFile(new URL('../src/cli/main.ts', import.meta.url), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('list', () => {
  it('prints the first page as an aligned table by default', async () => {
    const result = await run(['list', 'ftjob-demo']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(mock.requests).toHaveLength(1);

    const lines = result.stdout.trimEnd().split('\n');
    const [header = '', ...rest] = lines;
    const rows = rest.slice(0, -1);
    expect(rows).toHaveLength(10);
    expect(lines.at(-1)).toBe('10 checkpoints (first page; more with --all)');
    // Default columns: step, created, the metrics present, the model checkpoint; no width limit
    // here (stdout is not a terminal and COLUMNS is unset), so the headers are whole.
    expect(header).toMatch(/^ *step {2}created +train_loss +.*full_valid_\w+ +model checkpoint$/);
    // The step metric only repeats step_number, so it gets no column of its own.
    expect(header).not.toContain('metrics.step');

    const createdAt = header.indexOf('created');
    const modelAt = header.indexOf('model checkpoint');
    const lossEnd = header.indexOf('train_loss') + 'train_loss'.length;
    rows.forEach((row, i) => {
      const expected = served[i] as FineTuningJobCheckpoint;
      expect(row.slice(createdAt, createdAt + 20)).toBe(isoDate(expected.created_at));
      expect(row.slice(createdAt, createdAt + 20)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(row.indexOf('ft:')).toBe(modelAt);
      expect(row.slice(modelAt)).toBe(expected.fine_tuned_model_checkpoint);
      // Numbers are right-aligned: they end where their header ends.
      const loss = row.slice(0, lossEnd).split('  ').at(-1)?.trim();
      expect(loss).toBe(formatNumber(expected.metrics.train_loss as number));
      expect([' ', undefined]).toContain(row[lossEnd]);
      expect(row).toBe(row.trimEnd());
    });
    // Decimal points line up within a metric column, whatever the number of decimals.
    const lossStart = lossEnd - 'train_loss'.length;
    const dots = new Set(rows.map((row) => row.indexOf('.', lossStart)));
    expect(dots.size).toBe(1);
    // Every row's step ends under the header's "step".
    const stepEnd = header.indexOf('step') + 4;
    for (const [i, row] of rows.entries()) {
      expect(row.slice(0, stepEnd).trim()).toBe(String(served[i]?.step_number));
    }
  });

  it('leaves a metric cell empty when the checkpoint lacks it', async () => {
    const result = await run(['list', 'ftjob-demo', '--all']);
    const lines = result.stdout.trimEnd().split('\n');
    const header = lines[0] ?? '';
    const end = header.indexOf('full_valid_loss') + 'full_valid_loss'.length;
    const missing = served.findIndex((c) => c.metrics.full_valid_loss === undefined);
    expect(missing).toBeGreaterThanOrEqual(0);
    const cell = (lines[missing + 1] ?? '').padEnd(end).slice(end - 'full_valid_loss'.length, end);
    expect(cell.trim()).toBe('');
    expect(lines.at(-1)).toBe('25 checkpoints');
  });

  it('shows up to 4 decimals', () => {
    expect(formatNumber(0.123456789)).toBe('0.1235');
    expect(formatNumber(10.112)).toBe('10.112');
    expect(formatNumber(2000)).toBe('2000');
    expect(isoDate(1_721_764_867)).toBe('2024-07-23T20:01:07Z');
  });

  it('prints one JSON array: the first page, or every page with --all', async () => {
    const first = await run(['list', 'ftjob-demo', '--format', 'json', '--limit', '4']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual(served.slice(0, 4));
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.query.limit).toBe('4');

    mock.requests.length = 0;
    const all = await run(['list', 'ftjob-demo', '--all', '--format=json']);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    expect(JSON.parse(all.stdout)).toEqual(served);
    // --all asks for 100 per page: 25 checkpoints are one request.
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.query.limit).toBe('100');
  });

  it('streams jsonl, one checkpoint per line', async () => {
    const result = await run(['list', 'ftjob-demo', '--all', '--limit', '5', '--format', 'jsonl']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual(served);
    expect(mock.requests).toHaveLength(5);
  });

  it('stops at --max-items (which implies --all)', async () => {
    const result = await run([
      'list',
      'ftjob-demo',
      '--max-items',
      '7',
      '--limit',
      '5',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(served.slice(0, 7));
    // Two pages are needed; the client may have prefetched a third before the CLI stopped.
    expect(mock.requests.length).toBeGreaterThanOrEqual(2);
    expect(mock.requests.length).toBeLessThanOrEqual(3);

    const table = await run(['list', 'ftjob-demo', '--all', '--max-items', '12']);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(1 + 12 + 1);
    expect(table.stdout).toMatch(/\n12 checkpoints \(stopped at --max-items 12\)\n$/);
  });

  it('writes CSV with a header, flattened metrics and RFC 4180 quoting', async () => {
    const result = await run(['list', 'ftjob-tricky', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"ft:gpt-4o-mini:org,with ""comma"":x:ckpt-step-7"');
    const [header, row, ...rest] = parseCsv(result.stdout);
    expect(rest).toEqual([]);
    expect(header).toEqual([
      'id',
      'created_at',
      'created',
      'step_number',
      'fine_tuned_model_checkpoint',
      'fine_tuning_job_id',
      'metrics.step',
      'metrics.train_loss',
      'metrics.train_mean_token_accuracy',
      'metrics.valid_loss',
      'metrics.valid_mean_token_accuracy',
      'metrics.full_valid_loss',
      'metrics.full_valid_mean_token_accuracy',
    ]);
    expect(row).toEqual([
      'ftckpt_tricky',
      '1721764867',
      '2024-07-23T20:01:07Z',
      '7',
      tricky.fine_tuned_model_checkpoint,
      'ftjob-tricky',
      '7',
      '0.123456789',
      '',
      '',
      '',
      '0.5',
      '',
    ]);
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes every page as CSV rows under one header', async () => {
    const result = await run(['list', 'ftjob-demo', '--all', '--format', 'csv']);
    const records = parseCsv(result.stdout);
    expect(records).toHaveLength(26);
    expect(records.slice(1).map((r) => r[0])).toEqual(served.map((c) => c.id));
  });

  it('handles a job without checkpoints', async () => {
    expect((await run(['list', 'ftjob-empty'])).stdout).toBe('0 checkpoints\n');
    expect((await run(['list', 'ftjob-empty', '--format', 'json'])).stdout).toBe('[]\n');
    expect((await run(['list', 'ftjob-empty', '--format', 'jsonl'])).stdout).toBe('');
    expect((await run(['list', 'ftjob-empty', '--format', 'csv'])).stdout).toMatch(
      /^id,[^\r\n]*\r\n$/,
    );
  });

  it('draws progress on stderr only when it is a terminal', async () => {
    const tty = await run(['list', 'ftjob-demo', '--all', '--limit', '10', '--format', 'json'], {
      stderrIsTTY: true,
    });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/^\r\x1b\[K {2}waiting for 127\.0\.0\.1:\d+… 0s/);
    expect(tty.stderr).toContain('\r\x1b[K  page 2 · 20 checkpoints');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(tty.stdout)).toHaveLength(25);

    const pipe = await run(['list', 'ftjob-demo', '--all', '--format', 'json']);
    expect(pipe.stderr).toBe('');
  });

  it('trims whitespace around the key', async () => {
    const env = { OPENAI_API_KEY: ` ${API_KEY}\n`, OPENAI_BASE_URL: mock.url };
    expect((await run(['list', 'ftjob-demo'], { env })).code).toBe(0);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('prefers --base-url over OPENAI_BASE_URL', async () => {
    const env = { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const result = await run(['list', 'ftjob-demo', '--base-url', mock.url, '--format', 'json'], {
      env,
    });
    expect(result.code).toBe(0);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});

describe('best', () => {
  const withLoss = demo.filter((c) => c.metrics.full_valid_loss !== undefined);
  const by = (metric: 'full_valid_loss' | 'full_valid_mean_token_accuracy', sign: 1 | -1) =>
    withLoss.reduce((best, c) =>
      sign * (c.metrics[metric] as number) < sign * (best.metrics[metric] as number) ? c : best,
    );

  it('prints the lowest full_valid_loss by default, after reading every page', async () => {
    const result = await run(['best', 'ftjob-demo']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(by('full_valid_loss', 1).fine_tuned_model_checkpoint);
    expect(result.stdout).toMatch(/\nlowest full_valid_loss of 25 checkpoints\n$/);
    // 100 per page: 25 checkpoints are one request.
    expect(mock.requests).toHaveLength(1);
  });

  it('follows --max / --min and the metric default', async () => {
    const max = await run(['best', 'ftjob-demo', '--max', '--format', 'json']);
    expect(JSON.parse(max.stdout).id).toBe(by('full_valid_loss', -1).id);

    const metric = 'full_valid_mean_token_accuracy';
    const acc = await run(['best', 'ftjob-demo', '--metric', metric, '--format', 'json']);
    expect(JSON.parse(acc.stdout).id).toBe(by(metric, -1).id);
    const accMin = await run(['best', 'ftjob-demo', '--metric', metric, '--min']);
    expect(accMin.stdout).toContain(by(metric, 1).fine_tuned_model_checkpoint);
    expect(accMin.stdout).toMatch(/lowest full_valid_mean_token_accuracy of 25 checkpoints\n$/);
  });

  it('exits 1 when no checkpoint has the metric', async () => {
    const none = await run(['best', 'ftjob-partial']);
    expectOneLineError(
      none,
      1,
      /none of the 4 checkpoints of ftjob-partial has the metric full_valid_loss/,
    );
    const empty = await run(['best', 'ftjob-empty', '--metric', 'train_loss']);
    expectOneLineError(empty, 1, /ftjob-empty has no checkpoints/);
    const ok = await run(['best', 'ftjob-partial', '--metric', 'train_loss']);
    expect(ok.code).toBe(0);
  });

  it('rejects an unknown metric with exit 2, listing the valid ones', async () => {
    const result = await run(['best', 'ftjob-demo', '--metric', 'accuracy']);
    expectOneLineError(result, 2, /unknown metric "accuracy"; expected step, train_loss/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('usage errors exit 2 with one line', () => {
  const cases: [string[], RegExp][] = [
    [['list'], /missing <job-id>/],
    [['list', 'a', 'b'], /unexpected argument "b"/],
    [['list', 'ftjob-demo', '--limit', '0'], /--limit must be a positive integer, got "0"/],
    [['list', 'ftjob-demo', '--limit', 'abc'], /--limit must be a positive integer/],
    [['list', 'ftjob-demo', '--limit=1.5'], /--limit must be a positive integer/],
    [['list', 'ftjob-demo', '--limit'], /--limit/],
    [['list', 'ftjob-demo', '--max-items', '-3'], /--max-items/],
    [
      ['list', 'ftjob-demo', '--format', 'xml'],
      /--format must be table, json, jsonl or csv, got "xml" \(see/,
    ],
    [['best', 'ftjob-demo', '--format', 'csv'], /--format must be table or json, got "csv"/],
    [['best', 'ftjob-demo', '--max', '--min'], /exclude each other/],
    [['list', 'ftjob-demo', '--bogus'], /unknown option --bogus for 'list'/],
    [['list', 'ftjob-demo', '--port', '1'], /--port does not apply to 'list'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['list', 'ftjob-demo', '--base-url', 'not a url'], /not a valid URL/],
    [['list', 'ftjob-demo', '--base-url', 'ftp://x/v1'], /must be http\(s\)/],
    [['mock', '--port', '70000'], /--port must be an integer/],
    [['mock', '--jobs', 'x.json', '--seed', '3'], /--seed applies to the demo jobs only/],
  ];
  for (const [argv, pattern] of cases) {
    it(argv.join(' '), async () => {
      expectOneLineError(await run(argv), 2, pattern);
    });
  }

  it('refuses the API key as a flag, without echoing it', async () => {
    for (const flag of [`--api-key=${API_KEY}`, '--api-key', '--openai-api-key']) {
      const result = await run(['list', 'ftjob-demo', flag, API_KEY]);
      expectOneLineError(result, 2, /is not accepted: set the OPENAI_API_KEY environment variable/);
    }
  });

  it('explains how to set a missing key, before any request', async () => {
    for (const key of [undefined, '', '  ']) {
      const result = await run(['list', 'ftjob-demo'], {
        env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: mock.url },
      });
      expectOneLineError(result, 2, /OPENAI_API_KEY is not set; export it first/);
    }
    expect(mock.requests).toHaveLength(0);
  });
});

describe('runtime errors exit 1 with one line', () => {
  const serve = serverPool();

  it('reports a 404 with its request id and no stack', async () => {
    const result = await run(['list', 'ftjob-nope']);
    expectOneLineError(result, 1, /404 Could not find fine-tuning job: ftjob-nope/);
    expect(result.stderr).toMatch(/req_\d+/);
    const best = await run(['best', 'ftjob-nope']);
    expectOneLineError(best, 1, /404/);
  });

  it('reports a rejected key without printing it', async () => {
    const strict = await createMockServer({ jobs: { j: [] }, apiKey: 'sk-the-right-one' });
    try {
      const result = await run(['list', 'j'], {
        env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: strict.url },
      });
      expectOneLineError(result, 1, /401 Incorrect API key provided/);
    } finally {
      await strict.close();
    }
  });

  it('redacts the key even when a server echoes it back', async () => {
    const echo = await serve((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const message = `bad key ${req.headers.authorization ?? ''}`;
      res.end(JSON.stringify({ error: { message, type: 'x', param: null, code: null } }));
    });
    const result = await run(['list', 'j'], {
      env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: echo.url },
    });
    expectOneLineError(result, 1, /400 bad key Bearer \[redacted\]/);
  });

  it('neutralises control characters in server messages', async () => {
    const evil = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': 'req_evil' });
      const message = 'boom\x1b[2J\x1b]0;pwned\x07\nsecond line';
      res.end(JSON.stringify({ error: { message, type: 'x', param: null, code: null } }));
    });
    const result = await run(['list', 'j'], {
      env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: evil.url },
    });
    expectOneLineError(result, 1, /500 boom\uFFFD\[2J.* second line.*req_evil/);
    expect(result.stderr).not.toContain('\x1b');
  });

  it('reports a refused connection', async () => {
    const result = await run(['list', 'j'], {
      env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: await closedPortUrl() },
    });
    expectOneLineError(result, 1, /.+/);
  });
});

describe('interruption', () => {
  it('aborts the request in flight and exits 130 (143 for SIGTERM)', async () => {
    const slow = await createMockServer({ jobs: { j: demo }, latencyMs: 10_000 });
    try {
      for (const [reason, code] of [
        ['SIGINT', 130],
        ['SIGTERM', 143],
      ] as const) {
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(reason), 100);
        const result = await run(['list', 'j', '--all'], {
          env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: slow.url },
          signal: controller.signal,
        });
        expect(result.code).toBe(code);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe('');
        expect(Date.now() - started).toBeLessThan(5_000);
      }
    } finally {
      await slow.close();
    }
  });
});

describe('mock', () => {
  async function serve(argv: string[]) {
    const controller = new AbortController();
    const stdout = sink();
    const stderr = sink();
    const done = main(argv, { stdout, stderr, env: {}, signal: controller.signal });
    // Wait for the banner, which carries the URL.
    let url: string | undefined;
    for (let i = 0; i < 200 && url === undefined; i++) {
      url = /listening on (\S+)/.exec(stdout.chunks.join(''))?.[1];
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (url === undefined) throw new Error(`no banner: ${stderr.chunks.join('')}`);
    return { url, stdout, stderr, done, stop: () => controller.abort('SIGINT') };
  }

  it('serves the 300-checkpoint demo job until stopped', async () => {
    const server = await serve(['mock', '--port', '0', '--seed', '5']);
    const banner = server.stdout.chunks.join('');
    expect(banner).toMatch(/^ {2}ftjob-demo {10}succeeded, 300 checkpoints$/m);
    expect(banner).toMatch(
      /^ {2}ftjob-demo-running {2}running: 1 checkpoint every 2s, then succeeded at 10$/m,
    );
    expect(banner).toContain(`  export OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=sk-mock\n`);
    expect(banner).toMatch(/^ {2}\S.* list ftjob-demo$/m);
    const result = await run(
      ['list', 'ftjob-demo', '--all', '--limit', '100', '--format', 'json'],
      {
        env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.url },
      },
    );
    expect(JSON.parse(result.stdout)).toHaveLength(300);
    server.stop();
    // Stopped by Ctrl+C, as the help says: 130.
    expect(await server.done).toBe(130);
    expect(server.stderr.chunks.join('')).toBe('mock server stopped\n');
    await expect(fetch(`${server.url}/fine_tuning/jobs/ftjob-demo/checkpoints`)).rejects.toThrow();
  });

  it('serves the jobs of a --jobs file', async () => {
    const dir = await tempFolder('ft-cli-mock-');
    const file = join(dir, 'jobs.json');
    await writeFile(file, JSON.stringify({ 'ftjob-file': { count: 3, seed: 1 } }));
    const server = await serve(['mock', '--port', '0', '--jobs', file]);
    const result = await run(['list', 'ftjob-file', '--format', 'jsonl'], {
      env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.url },
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
    server.stop();
    expect(await server.done).toBe(130);

    await writeFile(file, '{"ftjob-bad": 3}');
    const bad = await run(['mock', '--port', '0', '--jobs', file]);
    expectOneLineError(bad, 1, /ftjob-bad/);
  });

  it('says so when the port is taken', async () => {
    const port = Number(new URL(mock.url).port);
    const result = await run(['mock', '--port', String(port)]);
    expectOneLineError(result, 1, new RegExp(`port ${port} is already in use`));
  });
});
