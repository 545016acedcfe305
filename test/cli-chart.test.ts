// `chart`: the renderer (pure), and the built CLI drawing a job's metrics fitted to the width and
// height, a panel per kind, the metric `best` ranks by on top and named first, the best
// checkpoint marked, in colour only on a terminal without NO_COLOR.
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
  const loss = { ...falling, panel: 'losses' };
  const train = { ...rising, panel: 'losses' };
  const accuracy = {
    name: 'valid_mean_token_accuracy',
    shortName: 'v_acc',
    panel: 'accuracies',
    points: [1, 2, 3, 4, 5].map((step) => ({ step: step * 10, value: 0.5 + step / 20 })),
  };
  const mark = {
    step: 50,
    value: 0.6,
    label: 'best valid_loss: 0.6 at step 50',
    details: ['x'.repeat(200)],
  };
  const text = renderChart([loss, train, accuracy], { width: 50, height: 24, mark, title: 'job' });
  const lines = text.split('\n').slice(0, -1);

  it('fits the width and the height, title and legend included', () => {
    expect(widest(text)).toBeLessThanOrEqual(50);
    expect(lines).toHaveLength(24);
    for (const height of [14, 30, 60]) {
      const sized = renderChart([loss, train, accuracy], { width: 50, height, mark });
      expect(sized.split('\n').slice(0, -1)).toHaveLength(height);
    }
  });

  it('gives losses and accuracies a panel each, with its own value axis', () => {
    const losses = lines.indexOf('losses:  ● valid_loss  + train_loss');
    const accuracies = lines.indexOf('accuracies:  ● valid_mean_token_accuracy');
    expect(losses).toBe(2);
    expect(accuracies).toBeGreaterThan(losses);
    const axisOf = (from: number, to: number) =>
      lines.slice(from + 1, to).flatMap((line) => /^ *(\S+) ┤/.exec(line)?.[1] ?? []);
    const axis = lines.findIndex((line) => line.includes('└'));
    expect(axisOf(losses, accuracies)[0]).toBe('3');
    expect(axisOf(losses, accuracies).at(-1)).toBe('0.2');
    expect(axisOf(accuracies, axis)[0]).toBe('0.75');
    expect(axisOf(accuracies, axis).at(-1)).toBe('0.55');
    // One column for every y axis, and the x axis under them.
    const columns = new Set(
      lines.filter((line) => /[┤│└]/.test(line)).map((line) => line.search(/[┤│└]/)),
    );
    expect(columns).toEqual(new Set(['0.6833'.length + 1]));
    expect(lines[axis + 1]).toMatch(/^ {7}10 +30 +50$/);
    expect(lines[axis + 2]?.trim()).toBe('step');
  });

  it('tells every series apart by its glyph, and marks the best', () => {
    const plot = lines.filter((line) => /[┤│]/.test(line)).join('\n');
    expect(plot).toContain('●');
    expect(plot).toContain('+');
    expect(plot.split('◆')).toHaveLength(2);
    expect(text).toContain('\n  ◆ best valid_loss: 0.6 at step 50\n    xxxxxxxxxxxxxx');
    expect(text).not.toContain(ESC);
  });

  it('draws the first series of a panel on top, and names it first', () => {
    // The same values twice: only the glyph of the first shows.
    const twin = { ...loss, name: 'train_loss' };
    const both = renderChart([loss, twin], { width: 40, height: 14 });
    const plot = both
      .split('\n')
      .filter((line) => /[┤│]/.test(line))
      .join('\n');
    expect(plot).toContain('●');
    expect(plot).not.toContain('+');
    expect(both).toContain('● valid_loss  + train_loss');
    const swapped = renderChart([twin, loss], { width: 40, height: 14 });
    expect(swapped).toContain('● train_loss  + valid_loss');
  });

  it('uses the short names when the full ones do not fit one legend line', () => {
    const narrow = renderChart(
      [accuracy, { ...accuracy, name: 'train_mean_token_accuracy', shortName: 't_acc' }],
      {
        width: 40,
        height: 14,
      },
    );
    expect(narrow).toContain('accuracies:  ● v_acc  + t_acc\n');
  });

  it('adds colour only when asked', () => {
    const coloured = renderChart([loss, train], { width: 40, colour: true });
    expect(coloured).toContain(`${ESC}[36m●`);
    expect(coloured).toContain(`${ESC}[33m+`);
    expect(stripAnsi(coloured)).toBe(renderChart([loss, train], { width: 40 }));
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
  const chartLines = (text: string) => text.split('\n').slice(0, -1);

  it('at 80 by 22 without a terminal, COLUMNS or LINES, in plain text, in 2 requests of 100', async () => {
    const server = await serve(servePages(served));
    const result = await runCli(['chart', 'ftjob-c'], cliEnv(server.url));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    expect(widest(result.stdout)).toBeGreaterThan(70);
    expect(chartLines(result.stdout)).toHaveLength(22);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toMatch(/^ftjob-c by step \(120 checkpoints\)\n\n/);
    // The metric best ranks by: first panel, named first, drawn on top, marked.
    expect(result.stdout).toContain('\nlosses:  ● full_valid_loss  + valid_loss  · train_loss\n');
    expect(result.stdout).toContain('\naccuracies:  ● fv_acc  + v_acc  · t_acc\n');
    expect(result.stdout).toContain(
      `◆ best full_valid_loss: ${Number(best.metrics.full_valid_loss?.toFixed(4))} at step ${best.step_number}`,
    );
    expect(server.requests.map((r) => r.query.get('limit'))).toEqual(['100', '100']);
  });

  it('at COLUMNS and LINES, or --height, with the metrics asked for', async () => {
    const server = await serve(servePages(served));
    const args = [
      'chart',
      'ftjob-c',
      '--metric',
      'valid_mean_token_accuracy',
      '--metric',
      'train_loss',
    ];
    const result = await runCli(args, cliEnv(server.url, { COLUMNS: '60', LINES: '32' }));
    expect(widest(result.stdout)).toBeLessThanOrEqual(60);
    expect(chartLines(result.stdout)).toHaveLength(30);
    expect(result.stdout).toMatch(
      /\naccuracies: {2}● valid_mean_token_accuracy\n[^]*\nlosses: {2}● train_loss\n/,
    );
    expect(result.stdout).toMatch(/best valid_mean_token_accuracy: 0\.\d+ at step \d+\n/);
    const tall = await runCli([...args, '--height', '50'], cliEnv(server.url, { LINES: '32' }));
    expect(chartLines(tall.stdout)).toHaveLength(50);
  });

  it("at the terminal's width and height, in colour unless NO_COLOR is set", async () => {
    const server = await serve(servePages(served));
    const coloured = await runCliInTerminal(['chart', 'ftjob-c'], cliEnv(server.url), 100);
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain(`${ESC}[36m`);
    const chart = stripAnsi(coloured.stdout)
      .replace(/\r {2}(waiting for|page) [^\r]*/g, '')
      .replace(/\r/g, '');
    expect(widest(chart)).toBeLessThanOrEqual(100);
    expect(widest(chart)).toBeGreaterThan(90);
    // The pseudo-terminal has 40 rows: the chart leaves two for the command and the prompt.
    expect(chartLines(chart.slice(chart.indexOf('ftjob-c by step')))).toHaveLength(38);

    const plain = await runCliInTerminal(
      ['chart', 'ftjob-c'],
      cliEnv(server.url, { NO_COLOR: '1' }),
      100,
    );
    expect(plain.stdout).not.toMatch(/\x1b\[3\dm/);
  });

  it('says which metric is missing, exit 1; refuses an unknown or repeated one, or a bad height, exit 2', async () => {
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
    for (const height of ['9', '1001', 'tall']) {
      const bad = await runCli(['chart', 'ftjob-c', '--height', height], cliEnv(server.url));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--height must be a whole number from 10 to 1000/);
    }
    expect(server.requests).toHaveLength(2);
  });

  it('draws every metric present by default: full_valid_loss first, losses, then accuracies', () => {
    expect(defaultChartMetrics(job)).toEqual([
      'full_valid_loss',
      'valid_loss',
      'train_loss',
      'full_valid_mean_token_accuracy',
      'valid_mean_token_accuracy',
      'train_mean_token_accuracy',
    ]);
    expect(
      defaultChartMetrics(job.map((c) => ({ ...c, metrics: { valid_mean_token_accuracy: 0.5 } }))),
    ).toEqual(['valid_mean_token_accuracy']);
  });
});
