// Shared tools for the security tests: a distinctive key, every common rendering of an error (and
// of each link of its cause chain), and a recorder of everything written to the console or to
// stdout/stderr while a test runs.
import { inspect } from 'node:util';
import { vi } from 'vitest';
import { createCheckpointsClient, type CheckpointsClientOptions } from '../../src/index.js';
import type { IncomingMessage } from 'node:http';

/** A key that cannot appear by accident in any message. */
export const KEY = 'sk-test-SECRET-7f3a9c';

/** The path template of the endpoint. */
/**
 * The client every security test uses: the distinctive key, no retries and a short timeout, so a
 * failing case fails fast and leaves exactly the requests it made.
 */
export function clientWithKey(baseUrl: string, extra: CheckpointsClientOptions = {}) {
  return createCheckpointsClient({
    apiKey: KEY,
    baseUrl,
    maxRetries: 0,
    timeoutMs: 2_000,
    backoff: () => 0,
    ...extra,
  });
}

export const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

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

/** The rejection of `promise` (fails the test when it resolves); shared with the reliability tests. */
export { rejectionOf } from './reliability.js';

/** The error thrown while iterating `iterable` with `for await` (fails when none is). */
export async function iterationError(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const item of iterable) void item;
  } catch (error) {
    return error;
  }
  throw new Error('expected the iteration to throw, but it completed');
}

/** The error thrown by `run` synchronously (fails when none is). */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a synchronous throw');
}

const CONSOLE_METHODS = ['log', 'warn', 'error', 'debug', 'info', 'trace'] as const;

function renderArgument(argument: unknown): string {
  if (typeof argument === 'string') return argument;
  if (argument instanceof Uint8Array) return Buffer.from(argument).toString('utf8');
  return inspect(argument, { depth: Infinity, showHidden: true });
}

/** Records (and still passes through) console output and stdout/stderr writes. */
export function captureOutput(): { lines(): string[]; restore(): void } {
  const spies = [
    ...CONSOLE_METHODS.map((method) => vi.spyOn(console, method)),
    vi.spyOn(process.stdout, 'write'),
    vi.spyOn(process.stderr, 'write'),
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

/** The raw request target (`req.url`) as the server received it, before any normalisation. */
export function rawTarget(req: IncomingMessage): string {
  return req.url ?? '';
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
