/**
 * `ft-checkpoints chart`: reads every page, then draws the chosen metrics across steps, a panel
 * per kind (losses, accuracies), with the best checkpoint of the first metric marked, fitted to
 * the terminal's width and height.
 */
import { bestCheckpoint, DEFAULT_METRIC, defaultDirection, type MetricName } from '../best.js';
import type { FineTuningJobCheckpoint as Checkpoint } from '../index.js';
import type { ChartCommand } from './args.js';
import {
  DEFAULT_CHART_HEIGHT,
  MAX_CHART_HEIGHT,
  MAX_CHART_WIDTH,
  MIN_CHART_HEIGHT,
  renderChart,
  type ChartSeries,
} from './chart.js';
import { CliFailure } from './exit.js';
import { writeText, type CliIO } from './io.js';
import { createProgress } from './progress.js';
import { checkedPages, listingOf, plural } from './scan.js';
import { abbreviateMetric, presentMetrics } from './table-columns.js';
import { outputHeight, outputWidth, useColour } from './terminal.js';
import { printable } from './safe-text.js';
import { formatNumber } from './text.js';

/** The width a chart is drawn at when neither the terminal nor `COLUMNS` gives one. */
export const DEFAULT_CHART_WIDTH = 80;

/**
 * Lines a chart leaves of the terminal's height: the command line above it and the prompt
 * after it stay in view.
 */
const PROMPT_LINES = 2;

/** The panel a metric is drawn in: one for the losses, one for the accuracies, one per other. */
function panelOf(metric: MetricName): string {
  if (metric.endsWith('_loss')) return 'losses';
  if (metric.endsWith('_accuracy')) return 'accuracies';
  return metric;
}

/** Full-validation metrics first, then validation, then training: the order they matter in. */
function byImportance(metric: MetricName): number {
  if (metric.startsWith('full_valid_')) return 0;
  if (metric.startsWith('valid_')) return 1;
  return 2;
}

/**
 * The metrics drawn without `--metric`: every one some checkpoint has (the step excepted), the
 * losses before the accuracies, `full_valid_loss` (what `best` ranks by) first, so that it is
 * drawn on top, named first and marked at its best.
 */
export function defaultChartMetrics(checkpoints: readonly Checkpoint[]): MetricName[] {
  const present = presentMetrics(checkpoints).filter((name) => name !== 'step');
  const kind = (name: MetricName) => (defaultDirection(name) === 'min' ? 0 : 1);
  return [...present].sort(
    (a, b) =>
      Number(b === DEFAULT_METRIC) - Number(a === DEFAULT_METRIC) ||
      kind(a) - kind(b) ||
      byImportance(a) - byImportance(b),
  );
}

/** The points of `metric`, by ascending step, in its panel. */
function seriesOf(checkpoints: readonly Checkpoint[], metric: MetricName): ChartSeries {
  const points = checkpoints.flatMap((c) => {
    const value = c.metrics[metric];
    return typeof value === 'number' ? [{ step: c.step_number, value }] : [];
  });
  return {
    name: metric,
    shortName: abbreviateMetric(metric),
    panel: panelOf(metric),
    points: points.sort((a, b) => a.step - b.step),
  };
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
  const width = Math.min(outputWidth(io, DEFAULT_CHART_WIDTH), MAX_CHART_WIDTH);
  const height =
    command.height ??
    Math.min(
      MAX_CHART_HEIGHT,
      Math.max(
        MIN_CHART_HEIGHT,
        outputHeight(io, DEFAULT_CHART_HEIGHT + PROMPT_LINES) - PROMPT_LINES,
      ),
    );
  const chart = renderChart(series, {
    width,
    height,
    colour: useColour(io),
    // The metrics are named in the legends.
    title: `${printable(command.jobId)} by step (${plural(checkpoints.length, 'checkpoint')})`,
    mark: {
      step: best.step_number,
      value: bestValue,
      label: `best ${first}: ${formatNumber(bestValue)} at step ${best.step_number}`,
      details: [printable(best.fine_tuned_model_checkpoint)],
    },
  });
  await writeText(io.stdout, chart);
}
