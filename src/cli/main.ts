#!/usr/bin/env node
/**
 * The `ft-checkpoints` executable: wires {@link main} to the real process (argv, streams,
 * environment, signals) and sets the exit code. All behaviour lives in app.ts, where tests reach
 * it.
 */
import { main } from './app.js';
import { ExitCode, outputFailure } from './exit.js';
import { messageText } from './messages.js';

const controller = new AbortController();

// First Ctrl+C (or SIGTERM): abort the request in flight and let main() finish with 130 (143).
// A second one means "now": exit without waiting for cleanup.
function onSignal(signal: NodeJS.Signals): void {
  if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
  controller.abort(signal);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// The output cannot be written: `ft-checkpoints list ... | head` closed the pipe early (stop
// quietly), or the disk is full (one line on stderr, exit 1). Never a stack trace, and no more
// requests either way.
process.stdout.on('error', (err: Error) => {
  controller.abort('output');
  const { line, code } = outputFailure(err);
  const width = process.stderr.isTTY ? process.stderr.columns : undefined;
  if (line !== undefined) process.stderr.write(messageText(line, width));
  process.exit(code);
});
// With stderr gone too, there is nowhere left to say anything.
process.stderr.on('error', () => {
  controller.abort('output');
  process.exit(ExitCode.failure);
});

// No top-level await: the bundler may also emit a CommonJS build of this file.
main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // main() never rejects; if it does, that is a bug worth a stack trace.
    console.error(err);
    process.exitCode = 1;
  },
);
