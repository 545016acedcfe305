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

/** Colour only for a terminal, and never when `NO_COLOR` is set and not empty (no-color.org). */
export function useColour(io: CliIO): boolean {
  return io.stdout.isTTY === true && (io.env.NO_COLOR ?? '') === '';
}
