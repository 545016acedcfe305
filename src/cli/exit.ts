/**
 * Exit codes and the one-line error report. Scripts branch on the code, people read the line;
 * neither should ever see a stack trace for an error the CLI expected.
 */
import { CheckpointsError, InvalidArgumentError, ApiError } from '../errors.js';
import type { TextSink } from './io.js';
import { messageText } from './messages.js';
import { printable } from './safe-text.js';

/** The process exit codes of `ft-checkpoints`. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The API or the network failed, or no checkpoint has the requested metric. */
  failure: 1,
  /** The command line (or the environment, e.g. no `OPENAI_API_KEY`) is wrong. */
  usage: 2,
  /** Interrupted by Ctrl+C (128 + SIGINT). */
  interrupted: 130,
  /** Terminated by SIGTERM (128 + SIGTERM). */
  terminated: 143,
} as const;

/** The program name, as errors and help print it. */
export const PROGRAM = 'ft-checkpoints';

/** A bad command line. `command` names the help page that explains the right usage. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose `--help` to suggest, when the error is specific to one. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** An expected runtime failure the CLI detected itself (e.g. no checkpoint has the metric). */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/**
 * Squeezes a message onto one line (a multi-line error would break `2>errors.log` grepping) and
 * neutralises what could act on a terminal ({@link printable}): API error messages come from the
 * server, and an escape sequence or a BiDi control in one could rewrite what the user reads.
 */
export function oneLine(text: string): string {
  return printable(text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')).trim();
}

/**
 * What to do when writing the output failed: a closed pipe (`| head` has read enough, EPIPE) is
 * a quiet success; anything else (a full disk, ENOSPC; an I/O error) is one line and exit 1,
 * never a stack trace.
 */
export function outputFailure(err: unknown): { line: string | undefined; code: number } {
  if ((err as { code?: unknown } | null)?.code === 'EPIPE') {
    return { line: undefined, code: ExitCode.ok };
  }
  const reason = err instanceof Error ? err.message : String(err);
  return {
    line: `${PROGRAM}: error: cannot write the output: ${oneLine(reason)}`,
    code: ExitCode.failure,
  };
}

/**
 * One line about a library error: its message, control characters neutralised, and the request
 * id (what OpenAI support asks for) unless the message already quotes it. Not redacted here:
 * the CLI's output streams scrub everything written to them (redacted-io.ts).
 */
export function describeError(err: CheckpointsError): string {
  let line = err.message;
  const requestId = err instanceof ApiError ? err.requestId : undefined;
  if (requestId && !line.includes(requestId)) line += ` (request id: ${requestId})`;
  // The request id is the server's too (a header may carry C1 controls): all of it is neutralised.
  return oneLine(line);
}

/**
 * Prints `err` to `stderr` and returns the exit code for it: one line for expected errors (usage
 * errors and every `CheckpointsError`), the stack for anything else, since that is a bug.
 * `stderr` is the scrubbed one of redacted-io.ts: a server may echo the key in a message, and an
 * unexpected error's stack may hold it. With a `width` (stderr is a terminal), the line is wrapped
 * to it at word boundaries (messages.ts).
 */
export function reportError(err: unknown, stderr: TextSink, width?: number): number {
  const print = (text: string): void => {
    stderr.write(messageText(text, width));
  };
  if (err instanceof UsageError) {
    const help = err.command ? `${PROGRAM} ${err.command} --help` : `${PROGRAM} --help`;
    print(`${PROGRAM}: error: ${oneLine(err.message)} (see '${help}')`);
    return ExitCode.usage;
  }
  if (err instanceof CliFailure) {
    print(`${PROGRAM}: error: ${oneLine(err.message)}`);
    return ExitCode.failure;
  }
  if (err instanceof CheckpointsError) {
    print(`${PROGRAM}: error: ${describeError(err)}`);
    // An invalid argument (such as a missing API key) is the caller's to fix, like a bad flag.
    return err instanceof InvalidArgumentError ? ExitCode.usage : ExitCode.failure;
  }
  const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  print(`${PROGRAM}: internal error (please report it): ${stack}`);
  return ExitCode.failure;
}

/** The exit code for an abort, from the signal's reason (`'SIGTERM'` or, by default, SIGINT). */
export function exitCodeForAbort(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}
