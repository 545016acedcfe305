// Class 2 for the CLI: a flag that becomes a timer (`--timeout`, watch's `--interval`) is checked
// against what a timer holds (2^31 - 1 ms) when the command line is parsed. Out of range is a
// usage error (exit 2) with one line and no request, never a timer Node fires after 1 ms with
// three lines of TimeoutOverflowWarning.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args.js';
import { UsageError } from '../src/cli/exit.js';
import { cliEnv, runCli } from './helpers/cli.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';

const MAX_TIMER = 2 ** 31 - 1;
const JOB = 'ftjob-timers';
const serve = serverPool();

/** Digit strings of every length a user might type, around the bound and far past it. */
const digits = fc.oneof(
  fc.integer({ min: 0, max: MAX_TIMER }).map(String),
  fc.integer({ min: MAX_TIMER - 5, max: MAX_TIMER + 5 }).map(String),
  fc.stringMatching(/^[0-9]{1,30}$/),
);

describe('class 2: CLI flags that become timers', () => {
  it('--timeout is accepted from 1 to 2^31 - 1 ms, and is a usage error otherwise', () => {
    fc.assert(
      fc.property(digits, (value) => {
        const n = Number(value);
        const parse = () => parseCommandLine(['list', JOB, '--timeout', value], {});
        if (n >= 1 && n <= MAX_TIMER) {
          expect(parse()).toMatchObject({ timeoutMs: n });
        } else {
          expect(parse).toThrow(UsageError);
          expect(parse).toThrow(
            /--timeout must be a whole number of milliseconds from 1 to 2147483647/,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('--interval (seconds) stays within a day, far below what a timer holds', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 86_400, noNaN: true }), (seconds) => {
        const command = parseCommandLine(['watch', JOB, '--interval', seconds.toFixed(3)], {});
        expect(command).toMatchObject({ kind: 'watch' });
        const { intervalMs } = command as { intervalMs: number };
        expect(intervalMs).toBeLessThanOrEqual(MAX_TIMER);
      }),
    );
    expect(() => parseCommandLine(['watch', JOB, '--interval', '99999999999'], {})).toThrow(
      /--interval must be a number of seconds from 1 to 86400/,
    );
  });

  it('the built CLI: --timeout 99999999999 is exit 2, one line, no warning, no request', async () => {
    const server = await serve(servePages(checkpoints(3)));
    for (const command of ['list', 'best', 'chart', 'watch']) {
      const result = await runCli([command, JOB, '--timeout', '99999999999'], cliEnv(server.url));
      expect(result.code, command).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `ft-checkpoints: error: --timeout must be a whole number of milliseconds from 1 to 2147483647, got "99999999999" (see 'ft-checkpoints ${command} --help')\n`,
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('the built CLI: --timeout 2147483647 (the largest) works, without a warning', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const result = await runCli(
      ['list', JOB, '--timeout', String(MAX_TIMER), '--format', 'jsonl'],
      cliEnv(server.url),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')).toHaveLength(4);
  });
});
