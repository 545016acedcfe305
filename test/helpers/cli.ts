// Runs the built CLI (dist/cli.js) as a child process, as a user's shell would: real argv, real
// environment, real pipes (or a pseudo-terminal), exit codes and signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import type { FineTuningJob } from '../../src/types.js';
import { sendJson, type Handler } from './http.js';

/** The built bin: `npm run build:dist` (part of `npm test`) makes it. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Distinctive, so a leak anywhere in the output is caught by {@link runCli}. */
export const CLI_API_KEY = 'sk-test-child-cli-1a2b3c4d5e6f-never-print-me';

/** What a finished CLI process did. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI run: the key and `baseUrl`, nothing inherited but PATH. */
export function cliEnv(
  baseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    OPENAI_API_KEY: CLI_API_KEY,
    OPENAI_BASE_URL: baseUrl,
    ...extra,
  };
}

function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:dist\` first`);
}

/** A running CLI process: its output so far, a way to wait for output, and its end. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr, with `stream`) matches `pattern`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

let running: ChildProcess[] = [];
// A test that failed half-way must not leave a `watch` or `mock` running. After the file, not
// after each test: tests that run concurrently (describe.concurrent) share this list.
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  running = [];
});

/**
 * Starts `node dist/cli.js ...args`; `command` replaces the argv (a pseudo-terminal run, another
 * copy of the CLI), `cwd` the working directory.
 */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  command: readonly string[] = [process.execPath, CLI, ...args],
  cwd?: string,
): CliProcess {
  requireBuild();
  const [file = process.execPath, ...rest] = command;
  const child = spawn(file, rest, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      expect(stdout).not.toContain(CLI_API_KEY);
      expect(stderr).not.toContain(CLI_API_KEY);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern, stream = 'stdout', timeoutMs = 10_000) {
      const started = Date.now();
      while (!pattern.test(stream === 'stdout' ? stdout : stderr)) {
        if (Date.now() - started > timeoutMs || child.exitCode !== null) {
          throw new Error(`no ${pattern} on ${stream}; stdout: ${stdout} stderr: ${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    done,
  };
}

/** Runs the CLI to its end. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the CLI in a pseudo-terminal `columns` wide (util-linux `script`), so that stdout and
 * stderr are terminals as in a user's shell. Both streams arrive mixed on `stdout`, with the
 * terminal's CRLF line ends turned back into LF.
 */
export async function runCliInTerminal(
  args: readonly string[],
  env: Record<string, string>,
  columns: number,
): Promise<CliResult> {
  const line = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
  const result = await startCli(args, env, [
    'script',
    '-qec',
    `stty cols ${columns} rows 40; ${line}`,
    '/dev/null',
  ]).done;
  return { ...result, stdout: result.stdout.replaceAll('\r\n', '\n') };
}

/** A fine-tuning job as the API returns it (every required field), `running` unless told. */
export function fineTuningJob(
  id: string,
  status: FineTuningJob['status'] = 'running',
  extra: Partial<FineTuningJob> = {},
): FineTuningJob {
  const done = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  return {
    object: 'fine_tuning.job',
    id,
    model: 'gpt-4o-mini-2024-07-18',
    created_at: 1_721_764_000,
    finished_at: done ? 1_721_790_000 : null,
    fine_tuned_model: status === 'succeeded' ? `ft:gpt-4o-mini-2024-07-18:org::${id}` : null,
    organization_id: 'org-test',
    result_files: [],
    status,
    validation_file: null,
    training_file: 'file-test',
    hyperparameters: { n_epochs: 3 },
    trained_tokens: null,
    error: null,
    seed: 1,
    ...extra,
  };
}

/**
 * `handler`, with `GET …/fine_tuning/jobs/{id}` (the job itself, which `watch` reads at every
 * poll) answered with `job()`, read at each request; other requests go to `handler`.
 */
export function withJob(
  handler: Handler,
  job: () => FineTuningJob = () => fineTuningJob('ftjob-abc123'),
): Handler {
  return (req, res, seen, index) => {
    if (/\/fine_tuning\/jobs\/[^/]+$/.test(seen.path)) sendJson(res, 200, job());
    else handler(req, res, seen, index);
  };
}
