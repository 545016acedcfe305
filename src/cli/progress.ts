/**
 * The "page 12 · 120 checkpoints" line on stderr while paging. Drawn only when stderr is a
 * terminal: in a log file or a CI transcript the carriage returns would be noise.
 */
import type { TextSink } from './io.js';

/** A progress line that redraws itself in place. */
export interface Progress {
  /** Redraws the line with the current counts. */
  update(pages: number, checkpoints: number): void;
  /** Erases the line (before other output, and at the end). */
  clear(): void;
}

// Carriage return, then "erase to end of line": the line is redrawn in place, and a shorter text
// never leaves the tail of a longer one behind. Not a colour, so NO_COLOR does not apply.
const ERASE_LINE = '\r\x1b[K';

/** A {@link Progress} on `stderr`, or one that does nothing when `stderr` is not a terminal. */
export function createProgress(stderr: TextSink): Progress {
  if (stderr.isTTY !== true) return { update: () => {}, clear: () => {} };
  let shown = false;
  return {
    update(pages, checkpoints) {
      const noun = checkpoints === 1 ? 'checkpoint' : 'checkpoints';
      stderr.write(`${ERASE_LINE}  page ${pages} · ${checkpoints} ${noun}`);
      shown = true;
    },
    clear() {
      if (shown) stderr.write(ERASE_LINE);
      shown = false;
    },
  };
}
