/**
 * `ft-checkpoints chart`: reads every page, then draws the chosen metrics across steps, with the
 * best checkpoint of the first metric marked.
 */
import { bestCheckpoint, DEFAULT_METRIC, defaultDirection, type MetricName } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../index.js';
import type { ChartCommand } from './args.js';
import { MAX_CHART_WIDTH, renderChart, type ChartSeries } from './chart.js';
import { CliFailure } from './exit.js';
import { writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';
import { checkedPages, listingOf, plural } from './scan.js';
import { presentMetrics } from './table-columns.js';
import { outputWidth, useColour } from './terminal.js';
import { printable } from './safe-text.js';
import { formatNumber } from './text.js';
import { displayWidth } from './width.js';

/** The width a chart is drawn at when neither the terminal nor `COLUMNS` gives one. */
export const DEFAULT_CHART_WIDTH = 80;

/**
 * The metrics drawn without `--metric`: the losses some checkpoint has (they share a scale),
 * `full_valid_loss` first so that its best checkpoint is the one marked; every metric present
 * when there is no loss.
 */
export function defaultChartMetrics(checkpoints: readonly Checkpoint[]): MetricName[] {
  const present = presentMetrics(checkpoints).filter((name) => name !== 'step');
  const losses = present.filter((name) => defaultDirection(name) === 'min');
  const chosen = losses.length > 0 ? losses : present;
  return [...chosen].sort((a, b) => Number(b === DEFAULT_METRIC) - Number(a === DEFAULT_METRIC));
}

/** The points of `metric`, by ascending step. */
function seriesOf(checkpoints: readonly Checkpoint[], metric: MetricName): ChartSeries {
  const points = checkpoints.flatMap((c) => {
    const value = c.metrics[metric];
    return typeof value === 'number' ? [{ step: c.step_number, value }] : [];
  });
  return { name: metric, points: points.sort((a, b) => a.step - b.step) };
}

/** Draws the chart of the command's job on stdout. */
export async function runChart(command: ChartCommand, io: CliIO): Promise<void> {
  const list = listingOf(command, 'chart', io, { fullScan: true });
  const progress = createProgress(io.stderr);
  const checkpoints: Checkpoint[] = [];
  try {
    for await (const page of checkedPages(list, command, progress)) checkpoints.push(...page.items);
  } finally {
    progress.clear();
  }
  if (checkpoints.length === 0)
    throw new CliFailure(`fine-tuning job ${command.jobId} has no checkpoints`);
  const metrics = command.metrics.length > 0 ? command.metrics : defaultChartMetrics(checkpoints);
  const series = metrics.map((metric) => seriesOf(checkpoints, metric));
  const empty = series.find((s) => s.points.length === 0);
  if (empty !== undefined || series.length === 0) {
    throw new CliFailure(
      `none of the ${plural(checkpoints.length, 'checkpoint')} of ${command.jobId} has the metric ${empty?.name ?? 'to draw'}`,
    );
  }
  const first = metrics[0] as MetricName;
  const direction = defaultDirection(first);
  const best = (await bestCheckpoint(checkpoints, { metric: first, direction })) as Checkpoint;
  const bestValue = best.metrics[first] as number;
  const count = plural(checkpoints.length, 'checkpoint');
  const job = printable(command.jobId);
  const width = Math.min(outputWidth(io, DEFAULT_CHART_WIDTH), MAX_CHART_WIDTH);
  // The metrics are named in the legend too: a narrow terminal gets the title without them.
  const long = `${job}: ${metrics.join(', ')} by step (${count})`;
  const title = displayWidth(long) <= width ? long : `${job} by step (${count})`;
  const chart = renderChart(series, {
    width,
    colour: useColour(io),
    mark: {
      step: best.step_number,
      value: bestValue,
      label: `best ${first}: ${formatNumber(bestValue)} at step ${best.step_number}`,
      details: [printable(best.fine_tuned_model_checkpoint)],
    },
  });
  await writeText(io.stdout, `${title}\n\n${chart}`);
}
