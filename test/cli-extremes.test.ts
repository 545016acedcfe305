// Class 9: extremes and write errors. Any width (COLUMNS=99999999999), any finite metric value
// or step (±1e308), any depth of value in an item (20,000), any number of rows, and an output
// that cannot be written (a full disk): the CLI prints what it can or one line, never "internal
// error" with a stack.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CHART_WIDTH, renderChart } from '../src/cli/chart.js';
import { renderTable } from '../src/cli/format.js';
import { jsonText, stringifyWithoutRecursion } from '../src/cli/json-text.js';
import { formatNumber } from '../src/cli/text.js';
import { CLI, cliEnv, runCli } from './helpers/cli.js';
import { checkpoint, checkpoints, pageBody, servePages, serverPool } from './helpers/http.js';

const JOB = 'ftjob-abc123';
const serve = serverPool();
const lengths = (text: string) => text.split('\n').map((line) => [...line].length);

/** A value nested `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** How deep `value` is nested, by a loop. */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; Array.isArray(v); v = v[0]) depth++;
  return depth;
}

/** Serves one page whose body is `body` verbatim: JSON.stringify itself cannot write it. */
const rawPage = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
};

describe('class 9: charts of any numbers at any width (property)', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const step = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(-1e308, 1e308, -Number.MAX_VALUE, Number.MAX_VALUE, 2 ** 53, -(2 ** 53)),
  );
  const points = fc.array(fc.record({ step, value: finite }), { minLength: 1, maxLength: 30 });

  it('never draws NaN or ∞, fits the width, and ticks both ends of the x axis', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 40, max: 99_999_999_999 }), (data, width) => {
        const sorted = [...data].sort((a, b) => a.step - b.step);
        const text = renderChart([{ name: 'valid_loss', points: sorted }], { width });
        expect(text).not.toMatch(/NaN|Infinity|∞/);
        expect(Math.max(...lengths(text))).toBeLessThanOrEqual(Math.min(width, MAX_CHART_WIDTH));
        const lines = text.split('\n');
        const axis = lines.findIndex((line) => line.includes('└'));
        const [first, last] = [sorted[0]!.step, sorted.at(-1)!.step];
        expect(lines[axis]?.trim()).toMatch(first === last ? /^└┬─*$/ : /^└┬.*┬$/);
        // Both ends are labelled, however crowded the axis.
        const labels = lines[axis + 1]?.trim() ?? '';
        expect(labels.startsWith(formatNumber(first))).toBe(true);
        expect(labels.endsWith(formatNumber(last))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('draws 250,000 points (more than a spread argument list holds)', () => {
    const many = Array.from({ length: 250_000 }, (_, i) => ({ step: i, value: Math.sin(i) }));
    const text = renderChart([{ name: 'train_loss', points: many }], { width: 80 });
    expect(Math.max(...lengths(text))).toBeLessThanOrEqual(80);
  });
});

describe('class 9: JSON of any depth', () => {
  it('is JSON.stringify where it can be, the same text without recursion', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        expect(stringifyWithoutRecursion(value, indent)).toBe(JSON.stringify(value, null, indent));
        expect(JSON.parse(jsonText([value, value], indent))).toEqual(
          JSON.parse(JSON.stringify([value, value])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a 20,000-deep value: written whole, compact below level 100', () => {
    const deep = nested(20_000);
    for (const indent of [0, 2]) {
      const text = jsonText([{ id: 'ckpt_0', extra: deep }], indent);
      expect(depthOf((JSON.parse(text) as { extra: unknown }[])[0]?.extra)).toBe(20_000);
      expect(text.length).toBeLessThan(100_000);
    }
  });

  it('the built CLI: list --format json and jsonl, best --format json', async () => {
    const item = { ...checkpoint('ckpt_0', 1), extra: '@deep@' };
    const body = JSON.stringify(pageBody([item], false)).replace(
      '"@deep@"',
      `${'['.repeat(20_000)}0${']'.repeat(20_000)}`,
    );
    const server = await serve(rawPage(body));
    for (const args of [
      ['list', JOB, '--format', 'json'],
      ['list', JOB, '--format', 'jsonl'],
      ['best', JOB, '--format', 'json'],
    ]) {
      const result = await runCli(args, cliEnv(server.url));
      expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      const parsed = JSON.parse(result.stdout.trim()) as unknown;
      const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { extra: unknown };
      expect(depthOf(first.extra)).toBe(20_000);
    }
  });
});

describe('class 9: widths and values at their extremes, from the built CLI', () => {
  it('COLUMNS=99999999999: a chart at most 1000 columns wide, and a table', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const env = cliEnv(server.url, { COLUMNS: '99999999999' });
    const chart = await runCli(['chart', JOB], env);
    expect(chart).toMatchObject({ code: 0, stderr: '' });
    expect(Math.max(...lengths(chart.stdout))).toBe(MAX_CHART_WIDTH);
    const table = await runCli(['list', JOB], env);
    expect(table).toMatchObject({ code: 0, stderr: '' });
  });

  it('metric values of ±1e308 and steps of ±1e308: labelled axes, no NaN or ∞', async () => {
    const values = [1e308, -1e308, 0].map((v, i) => ({
      ...checkpoint(`ckpt_${i}`, 3 - i),
      metrics: { full_valid_loss: v },
    }));
    const steps = [1e308, 0, -1e308].map((s, i) => ({
      ...checkpoint(`ckpt_${i}`, 3 - i),
      step_number: s,
      metrics: { full_valid_loss: i + 1 },
    }));
    const server = await serve(servePages(values));
    const byValue = await runCli(['chart', JOB], cliEnv(server.url));
    expect(byValue).toMatchObject({ code: 0, stderr: '' });
    expect(byValue.stdout).not.toMatch(/NaN|Infinity|∞/);
    expect(byValue.stdout).toMatch(/^ +1e\+308 ┤/m);
    expect(byValue.stdout).toMatch(/^ *-1e\+308 ┤/m);

    const stepServer = await serve(servePages(steps));
    const byStep = await runCli(['chart', JOB], cliEnv(stepServer.url));
    expect(byStep).toMatchObject({ code: 0, stderr: '' });
    const lines = byStep.stdout.split('\n');
    const axis = lines.findIndex((line) => line.includes('└'));
    expect(lines[axis]?.trim()).toMatch(/^└┬─+┬─+┬$/);
    expect(lines[axis + 1]?.trim()).toMatch(/^-1e\+308 +0 +1e\+308$/);
  });

  it('a table of 250,000 rows (more than a spread argument list holds)', () => {
    const rows = Array.from({ length: 250_000 }, (_, i) => ({
      ...checkpoint(`ckpt_${i}`, i + 1),
      metrics: {},
    }));
    const text = renderTable(rows, { width: 80, columns: ['step'] });
    expect(text.split('\n')).toHaveLength(250_002);
  });
});

describe('class 9: write errors', () => {
  /** Runs the built CLI with stdout on /dev/full, where every write fails with ENOSPC. */
  async function toFullDisk(args: readonly string[], env: Record<string, string>) {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [CLI, ...args], {
        env,
        stdio: ['ignore', full, 'pipe'],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, stderr };
    } finally {
      closeSync(full);
    }
  }

  it('a full disk (ENOSPC) is one line and exit 1, whatever is being written', async () => {
    const server = await serve(servePages(checkpoints(30)));
    const env = cliEnv(server.url);
    for (const args of [
      ['list', JOB, '--all', '--format', 'csv'],
      ['list', JOB],
      ['chart', JOB],
      ['--help'],
    ]) {
      const result = await toFullDisk(args, env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(
        /^ft-checkpoints: error: cannot write the output: ENOSPC: no space left on device, write\n$/,
      );
    }
  });
});
