/**
 * The CLI's one line of defence for what it prints: every write to stdout and stderr passes the
 * library's scrubber ({@link redactJsonSpellings}), so the key never appears in an error, a
 * warning, a table or a progress line, whether spelled plainly or as JSON escapes a server may
 * echo (`\u0073k-…`), and whoever wrote the text. Same definition as the library's: same
 * minimum key length, same replacement.
 */
import { redactJsonSpellings } from '../redact.js';
import { apiKeyOf } from './api.js';
import type { CliIO, TextSink } from './io.js';

/**
 * `sink` as it is, but for `write`, which scrubs first. A proxy rather than a copy, so that a
 * stream keeps what `writeText` and the terminal checks read from it: its `drain`
 * events, `isTTY` and a `columns` that follows the terminal's resizes.
 */
function redactedSink(sink: TextSink, secret: string | undefined): TextSink {
  const write = (chunk: string): unknown => sink.write(redactJsonSpellings(chunk, secret));
  return new Proxy(sink, {
    get(target, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** `io` with stdout and stderr scrubbed of the key that `io.env` holds. */
export function redactedIO(io: CliIO): CliIO {
  const secret = apiKeyOf(io);
  return {
    ...io,
    stdout: redactedSink(io.stdout, secret),
    stderr: redactedSink(io.stderr, secret),
  };
}
