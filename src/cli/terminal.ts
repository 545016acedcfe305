/**
 * What the output may assume about where it goes: how wide and high it is and whether it takes
 * colour.
 * Decided once per command from the {@link CliIO}, so the formatters stay pure.
 */
import type { CliIO } from './io.js';

/**
 * The width to fit output to: stdout's own width when it is a terminal, else `COLUMNS` when it
 * is a positive integer, else `fallback` (no limit for tables: a pipe or file gets every
 * column).
 */
export function outputWidth(io: CliIO, fallback = Number.POSITIVE_INFINITY): number {
  return (
    terminalSize(io.stdout.isTTY === true ? io.stdout.columns : undefined, io.env.COLUMNS) ??
    fallback
  );
}

/**
 * The height to fit output to: stdout's own height when it is a terminal, else `LINES` when it is
 * a positive integer, else `fallback`.
 */
export function outputHeight(io: CliIO, fallback: number): number {
  return (
    terminalSize(io.stdout.isTTY === true ? io.stdout.rows : undefined, io.env.LINES) ?? fallback
  );
}

/** The terminal's own size when it gives one, else the variable's when it is a positive integer. */
function terminalSize(own: number | undefined, variable: string | undefined): number | undefined {
  if (typeof own === 'number' && own > 0) return own;
  const fromEnv = variable?.trim() ?? '';
  return /^\d+$/.test(fromEnv) && Number(fromEnv) > 0 ? Number(fromEnv) : undefined;
}

/**
 * The width to wrap messages on stderr to: the terminal's, when stderr is one; `undefined` (do not
 * wrap) for a pipe or a file, where a message stays one line for grep.
 */
export function messageWidth(io: CliIO): number | undefined {
  const { isTTY, columns } = io.stderr;
  return isTTY === true && typeof columns === 'number' && columns > 0 ? columns : undefined;
}

/**
 * Whether stdout is a terminal: what is written there is read by a person, so text that a pipe or
 * a file gets byte for byte (CSV, `--field`) is made safe to display first (safe-text.ts).
 */
export function writesToTerminal(io: CliIO): boolean {
  return io.stdout.isTTY === true;
}

/** Colour only for a terminal, and never when `NO_COLOR` is set and not empty (no-color.org). */
export function useColour(io: CliIO): boolean {
  return writesToTerminal(io) && (io.env.NO_COLOR ?? '') === '';
}
