/**
 * `main()`: the whole CLI as a function of its arguments and its {@link CliIO}, returning the
 * exit code. The bin (main.ts) wires it to `process`; tests call it directly.
 */
import { parseCommandLine } from './args.js';
import { runBest } from './best-command.js';
import { runChart } from './chart-command.js';
import { ExitCode, exitCodeForAbort, reportError } from './exit.js';
import { helpText } from './help.js';
import { writeText, type CliIO } from './io.js';
import { runJobs } from './jobs-command.js';
import { runList } from './list-command.js';
import { runMock } from './mock-command.js';
import { redactedIO } from './redacted-io.js';
import { messageWidth } from './terminal.js';
import { runWatch } from './watch-command.js';
import { packageVersion } from './version.js';

export type { CliIO, TextSink } from './io.js';
export { ExitCode } from './exit.js';

/**
 * Runs `ft-checkpoints` with `argv` (the arguments after the program name) and resolves with the
 * exit code. It never rejects and never calls `process.exit`: expected errors become one line on
 * `io.stderr`, and an abort of `io.signal` becomes 130 (143 for a `'SIGTERM'` reason). Nothing
 * written to `io.stdout` or `io.stderr` holds `OPENAI_API_KEY`, in any JSON spelling.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env,
 * });
 * ```
 */
export async function main(argv: readonly string[], given: CliIO): Promise<number> {
  // Everything printed from here on, by any command, passes the library's key scrubber.
  const io = redactedIO(given);
  try {
    const command = parseCommandLine(argv, io.env);
    switch (command.kind) {
      case 'help':
        await writeText(io.stdout, helpText(command.topic));
        return ExitCode.ok;
      case 'usage':
        // No command at all: the overview, on stderr since it is not the output asked for.
        await writeText(io.stderr, helpText());
        return ExitCode.usage;
      case 'version':
        await writeText(io.stdout, `${packageVersion()}\n`);
        return ExitCode.ok;
      case 'list':
        await runList(command, io);
        return ExitCode.ok;
      case 'best':
        await runBest(command, io);
        return ExitCode.ok;
      case 'chart':
        await runChart(command, io);
        return ExitCode.ok;
      case 'watch':
        // Returns when the job ends or at --count; a signal ends it through the catch below.
        return await runWatch(command, io);
      case 'jobs':
        await runJobs(command, io);
        return ExitCode.ok;
      case 'mock':
        await runMock(command, io);
        // Being stopped is how the mock ends: with the signal's code, as the help promises.
        return io.signal?.aborted ? exitCodeForAbort(io.signal) : ExitCode.ok;
    }
  } catch (err) {
    // Whatever the abort surfaced as (AbortError, a reset connection), Ctrl+C is not an error.
    if (io.signal?.aborted) return exitCodeForAbort(io.signal);
    return reportError(err, io.stderr, messageWidth(io));
  }
}
