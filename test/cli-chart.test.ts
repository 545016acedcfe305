// `chart`: the renderer (pure), and the built CLI drawing a job's metrics fitted to the width,
// with the best checkpoint marked, in colour only on a terminal without NO_COLOR.
import { describe, expect, it } from 'vitest';
import { defaultChartMetrics } from '../src/cli/chart-command.js';
import { renderChart, resample } from '../src/cli/chart.js';
import { generateCheckpoints } from '../src/mock/index.js';
import { cliEnv, runCli, runCliInTerminal } from './helpers/cli.js';
import { servePages, serverPool } from './helpers/http.js';

const serve = serverPool();
const ESC = '\x1b';
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*[mK]/g, '');
const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

const falling = {
  name: 'valid_loss',
  points: [1, 2, 3, 4, 5].map((step) => ({ step: step * 10, value: 3 / step })),
};
const rising = {
  name: 'train_loss',
  points: [1, 3, 5].map((step) => ({ step: step * 10, value: step / 5 })),
};

describe('renderChart (pure)', () => {
  const text = renderChart([falling, rising], {
    width: 50,
    height: 8,
    mark: {
      step: 50,
      value: 0.6,
      label: 'best valid_loss: 0.6 at step 50',
      details: ['x'.repeat(200)],
    },
  });
  const lines = text.split('\n');

  it('fits the width, axis labels and legend included', () => {
    expect(widest(text)).toBeLessThanOrEqual(50);
  });

  it('labels the y axis with the value range and the x axis with the steps', () => {
    expect(lines[0]?.trim()).toBe('value');
    expect(lines[1]).toMatch(/^ *3 ┤/);
    expect(lines[8]).toMatch(/^0\.2 ┤/);
    expect(lines[1]?.indexOf('┤')).toBe(lines[8]?.indexOf('┤'));
    const axis = lines.findIndex((line) => line.includes('└'));
    expect(lines[axis]).toMatch(/^ {4}└┬─+┬─+┬$/);
    expect(lines[axis]?.indexOf('└')).toBe(lines[8]?.indexOf('┤'));
    expect(lines[axis + 1]).toMatch(/^ {4}10 +30 +50$/);
    expect(lines[axis + 2]?.trim()).toBe('step');
  });

  it('draws each series in its own style, named in the legend, and marks the best', () => {
    const plot = lines.slice(1, 9).join('\n');
    expect(plot).toMatch(/[─╮╰]/);
    expect(plot).toMatch(/[━┏┛]/);
    expect(plot.split('◆')).toHaveLength(2);
    expect(text).toContain(
      '  ── valid_loss\n  ━━ train_loss\n  ◆  best valid_loss: 0.6 at step 50\n     xxxxxxxxxxxxxx',
    );
    expect(text).not.toContain(ESC);
  });

  it('adds colour only when asked', () => {
    const coloured = renderChart([falling], { width: 40, colour: true });
    expect(coloured).toContain(`${ESC}[36m`);
    expect(stripAnsi(coloured)).toBe(renderChart([falling], { width: 40 }));
  });

  it('resamples to columns: means in a column, straight lines between', () => {
    const points = [
      { step: 0, value: 0 },
      { step: 0, value: 2 },
      { step: 4, value: 5 },
    ];
    expect(resample(points, (step) => step, 6)).toEqual([1, 2, 3, 4, 5, undefined]);
  });
});

describe('the built CLI draws a chart', () => {
  const job = generateCheckpoints({ jobId: 'ftjob-c', count: 120, seed: 4 });
  const served = [...job].sort((a, b) => b.created_at - a.created_at);
  const best = job
    .filter((c) => c.metrics.full_valid_loss !== undefined)
    .reduce((a, b) =>
      (b.metrics.full_valid_loss as number) < (a.metrics.full_valid_loss as number) ? b : a,
    );

  it('at 80 columns without a terminal or COLUMNS, in plain text, in 2 requests of 100', async () => {
    const server = await serve(servePages(served));
    const result = await runCli(['chart', 'ftjob-c'], cliEnv(server.url));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    expect(widest(result.stdout)).toBeGreaterThan(70);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toMatch(
      /^ftjob-c: full_valid_loss, train_loss, valid_loss by step \(120 checkpoints\)\n/,
    );
    expect(result.stdout).toContain(
      `◆  best full_valid_loss: ${Number(best.metrics.full_valid_loss?.toFixed(4))} at step ${best.step_number}`,
    );
    expect(server.requests.map((r) => r.query.get('limit'))).toEqual(['100', '100']);
  });

  it('at COLUMNS, with the metrics asked for', async () => {
    const server = await serve(servePages(served));
    const args = [
      'chart',
      'ftjob-c',
      '--metric',
      'valid_mean_token_accuracy',
      '--metric',
      'train_loss',
    ];
    const result = await runCli(args, cliEnv(server.url, { COLUMNS: '60' }));
    expect(widest(result.stdout)).toBeLessThanOrEqual(60);
    expect(result.stdout).toContain('  ── valid_mean_token_accuracy\n  ━━ train_loss\n');
    expect(result.stdout).toMatch(/best valid_mean_token_accuracy: 0\.\d+ at step \d+\n/);
  });

  it("at the terminal's width, in colour unless NO_COLOR is set", async () => {
    const server = await serve(servePages(served));
    const coloured = await runCliInTerminal(['chart', 'ftjob-c'], cliEnv(server.url), 100);
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain(`${ESC}[36m`);
    const chart = stripAnsi(coloured.stdout)
      .replace(/\r {2}(waiting for|page) [^\r]*/g, '')
      .replace(/\r/g, '');
    expect(widest(chart)).toBeLessThanOrEqual(100);
    expect(widest(chart)).toBeGreaterThan(90);

    const plain = await runCliInTerminal(
      ['chart', 'ftjob-c'],
      cliEnv(server.url, { NO_COLOR: '1' }),
      100,
    );
    expect(plain.stdout).not.toMatch(/\x1b\[3\dm/);
  });

  it('says which metric is missing, exit 1; refuses an unknown or repeated one, exit 2', async () => {
    const server = await serve(
      servePages(served.map((c) => ({ ...c, metrics: { train_loss: 1 } }))),
    );
    const missing = await runCli(
      ['chart', 'ftjob-c', '--metric', 'valid_loss'],
      cliEnv(server.url),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'ft-checkpoints: error: none of the 120 checkpoints of ftjob-c has the metric valid_loss\n',
    );
    const twice = await runCli(
      ['chart', 'ftjob-c', '--metric', 'train_loss', '--metric', 'train_loss'],
      cliEnv(server.url),
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--metric train_loss is given twice/);
  });

  it('draws the losses present by default, full_valid_loss first', () => {
    expect(defaultChartMetrics(job)).toEqual(['full_valid_loss', 'train_loss', 'valid_loss']);
    expect(
      defaultChartMetrics(job.map((c) => ({ ...c, metrics: { valid_mean_token_accuracy: 0.5 } }))),
    ).toEqual(['valid_mean_token_accuracy']);
  });
});
