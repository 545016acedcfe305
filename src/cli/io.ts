/**
 * The CLI's view of the outside world. `main()` receives it as a parameter instead of reaching
 * for `process`, so tests can run the whole CLI in-process with captured output.
 */
import { once, type EventEmitter } from 'node:events';
import { CliFailure } from './exit.js';
import { messageText } from './messages.js';
import { messageWidth } from './terminal.js';

/** Somewhere text is written: `process.stdout`, `process.stderr`, or a test's buffer. */
export interface TextSink {
  /** Writes text; a `false` return means "buffer full, wait for `drain`" (as for a stream). */
  write(chunk: string): unknown;
  /** True when the sink is a terminal: enables the progress line on stderr, colour on stdout. */
  isTTY?: boolean | undefined;
  /** The terminal's width in characters, when it is one (as `process.stdout.columns`). */
  columns?: number | undefined;
  /** The terminal's height in lines, when it is one (as `process.stdout.rows`). */
  rows?: number | undefined;
}

/** Everything `main()` may touch. */
export interface CliIO {
  /** Results: tables, JSON, CSV. Nothing else goes here, so pipes stay clean. */
  stdout: TextSink;
  /** Errors, usage messages and the progress line. */
  stderr: TextSink;
  /**
   * The environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`,
   * `COLUMNS`, `LINES`, `NO_COLOR`, and `PATH` (where the mock's banner looks for the command).
   */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Fires on Ctrl+C: aborts the request in flight (and stops `mock`). Its `reason` may be the
   * signal name, `'SIGINT'` or `'SIGTERM'`, which picks the exit code.
   */
  signal?: AbortSignal | undefined;
}

function isEmitter(sink: TextSink): sink is TextSink & EventEmitter {
  return typeof (sink as Partial<EventEmitter>).once === 'function';
}

/**
 * Writes `text` and, when the sink is a stream whose buffer is full, waits for it to drain:
 * `list --all` on a large job piped into a slow reader then holds one page in memory, not all.
 *
 * @throws {@link CliFailure} when the write fails (a full disk): one line, not a stack. (The bin
 * also catches the stream's own 'error' event, which reports most failures first.)
 */
export async function writeText(sink: TextSink, text: string): Promise<void> {
  if (text === '') return;
  try {
    if (sink.write(text) === false && isEmitter(sink)) await once(sink, 'drain');
  } catch (err) {
    throw new CliFailure(
      `cannot write the output: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Writes one message (an error, a warning) to `io.stderr`, wrapped when stderr is a terminal. */
export async function writeMessage(io: CliIO, line: string): Promise<void> {
  await writeText(io.stderr, messageText(line, messageWidth(io)));
}
