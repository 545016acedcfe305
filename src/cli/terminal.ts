/**
 * What the output may assume about where it goes: how wide it is and whether it takes colour.
 * Decided once per command from the {@link CliIO}, so the formatters stay pure.
 */
import type { CliIO } from './io.js';

/**
 * The width to fit output to: stdout's own width when it is a terminal, else `COLUMNS` when it
 * is a positive integer, else `fallback` (no limit for tables: a pipe or file gets every
 * column).
 */
export function outputWidth(io: CliIO, fallback = Number.POSITIVE_INFINITY): number {
  const { isTTY, columns } = io.stdout;
  if (isTTY === true && typeof columns === 'number' && columns > 0) return columns;
  const fromEnv = io.env.COLUMNS?.trim() ?? '';
  if (/^\d+$/.test(fromEnv) && Number(fromEnv) > 0) return Number(fromEnv);
  return fallback;
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
