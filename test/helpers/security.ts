// Shared tools for the security tests: every common rendering of an error (and of each link of its
// cause chain), and a recorder of everything written to the console or to stdout/stderr while a
// test runs.
import { inspect } from 'node:util';
import { vi } from 'vitest';
import { KEY } from './client.js';

function attempt(render: () => string | undefined): string {
  try {
    return render() ?? '';
  } catch (error) {
    return `<threw: ${String(error)}>`;
  }
}

/**
 * The ways a value (an error, a client, a page) ends up in logs: `String`, `JSON.stringify`,
 * `util.inspect` with every hidden property at any depth, and for errors `message` and `stack`;
 * then the same for each `cause` down the chain.
 */
export function renderings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<unknown>();
  let current: unknown = value;
  for (let depth = 0; !seen.has(current); depth++) {
    seen.add(current);
    const label = depth === 0 ? 'value' : `cause#${depth}`;
    const item = current;
    out[`${label} String()`] = attempt(() => String(item));
    out[`${label} JSON.stringify`] = attempt(() => JSON.stringify(item));
    out[`${label} inspect`] = inspect(item, { depth: Infinity, showHidden: true });
    if (!(item instanceof Error)) break;
    out[`${label} .message`] = attempt(() => item.message);
    out[`${label} .stack`] = attempt(() => item.stack);
    if (!('cause' in item) || item.cause === undefined) break;
    current = item.cause;
  }
  return out;
}

/** The renderings of `value` that contain `secret` (an empty list when none does). */
export function leaks(value: unknown, secret: string = KEY): string[] {
  return Object.entries(renderings(value))
    .filter(([, text]) => text.includes(secret))
    .map(([label]) => label);
}

const CONSOLE_METHODS = ['log', 'warn', 'error', 'debug', 'info', 'trace'] as const;

function renderArgument(argument: unknown): string {
  if (typeof argument === 'string') return argument;
  if (argument instanceof Uint8Array) return Buffer.from(argument).toString('utf8');
  return inspect(argument, { depth: Infinity, showHidden: true });
}

/**
 * Records console output and stdout/stderr writes until `restore()`, and swallows them: what a
 * test makes the client (or itself) print is asserted on, never left in the test run's output.
 */
export function captureOutput(): { lines(): string[]; restore(): void } {
  const spies = [
    ...CONSOLE_METHODS.map((method) => vi.spyOn(console, method).mockImplementation(() => {})),
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
  ];
  return {
    lines: () =>
      spies.flatMap((spy) =>
        spy.mock.calls.map((args: unknown[]) => args.map(renderArgument).join(' ')),
      ),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
