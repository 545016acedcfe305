/**
 * The lines on stderr that say the CLI is working: "waiting for api.openai.com… 3s" until the
 * first page arrives, then "page 12 · 120 checkpoints" (or jobs) while paging. Drawn only when stderr is a
 * terminal: in a log file or a CI transcript the carriage returns would be noise.
 */
import { writeText, type TextSink } from './io.js';
import { plural } from './scan.js';

/** A progress line that redraws itself in place. */
export interface Progress {
  /** Shows the waiting line and redraws its elapsed time every second, until the next call. */
  waiting(host: string): void;
  /** Redraws the line with the current counts (of checkpoints, or of the progress's `noun`). */
  update(pages: number, items: number): void;
  /** Erases the line (before other output, and at the end). */
  clear(): void;
}

// Carriage return, then "erase to end of line": the line is redrawn in place, and a shorter text
// never leaves the tail of a longer one behind. Not a colour, so NO_COLOR does not apply.
const ERASE_LINE = '\r\x1b[K';

/** `12s`, `1m 05s`: the elapsed time of the waiting line. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** The waiting line's text. */
export function waitingLine(host: string, elapsedMs: number): string {
  return `  waiting for ${host}… ${formatElapsed(elapsedMs)}`;
}

/**
 * A {@link Progress} on `stderr` counting `noun`s, or one that does nothing when `stderr` is not a
 * terminal.
 */
export function createProgress(stderr: TextSink, noun = 'checkpoint'): Progress {
  if (stderr.isTTY !== true) return { waiting: () => {}, update: () => {}, clear: () => {} };
  let shown = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (text: string): void => {
    stderr.write(`${ERASE_LINE}${text}`);
    shown = true;
  };
  const stopWaiting = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  return {
    waiting(host) {
      stopWaiting();
      const started = Date.now();
      draw(waitingLine(host, 0));
      timer = setInterval(() => draw(waitingLine(host, Date.now() - started)), 1000);
      // The line must never keep the process alive on its own.
      timer.unref?.();
    },
    update(pages, items) {
      stopWaiting();
      draw(`  page ${pages} · ${plural(items, noun)}`);
    },
    clear() {
      stopWaiting();
      if (shown) stderr.write(ERASE_LINE);
      shown = false;
    },
  };
}

/**
 * Writes `text` to `stdout` after erasing the progress line, so that output and progress never
 * share a line; nothing for an empty text (the line stays).
 */
export function outputAfter(progress: Progress, stdout: TextSink): (text: string) => Promise<void> {
  return async (text) => {
    if (text === '') return;
    progress.clear();
    await writeText(stdout, text);
  };
}
