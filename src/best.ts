/**
 * `bestCheckpoint()`: picks the checkpoint with the best value of one metric from a stream of
 * checkpoints, such as every page of `client.listCheckpoints(jobId)`.
 */
import { fieldsOfFineTuningJobCheckpoint_metrics } from '../generated/checkpoints.checks.js';
import { InvalidArgumentError } from './errors.js';
import type { CheckpointMetricName, FineTuningJobCheckpoint as Checkpoint } from './types.js';

/** The name of a metric a checkpoint may report, e.g. `'full_valid_loss'`. */
export type MetricName = CheckpointMetricName;

/** Whether a smaller (`'min'`) or a larger (`'max'`) metric value is better. */
export type Direction = 'min' | 'max';

/**
 * Every metric name of the spec, in the spec's order (the step, then training, validation and
 * full-validation metrics, each loss before its accuracy). Read from the generated checks,
 * so a metric added upstream is listed after a regeneration with no edit here.
 *
 * @example
 * ```ts
 * for (const metric of METRIC_NAMES) console.log(metric, checkpoint.metrics[metric] ?? '-');
 * ```
 */
export const METRIC_NAMES: readonly MetricName[] = Object.freeze([
  ...fieldsOfFineTuningJobCheckpoint_metrics,
]);

// The generated types and the generated checks come from the same spec; this fails to
// type-check if they ever disagree about the metric names.
type CheckedMetric = (typeof fieldsOfFineTuningJobCheckpoint_metrics)[number];
const sameMetrics: [
  Exclude<MetricName, CheckedMetric> | Exclude<CheckedMetric, MetricName>,
] extends [never]
  ? true
  : never = true;
void sameMetrics;

/**
 * The metric {@link bestCheckpoint} ranks by when none is given.
 *
 * @example
 * ```ts
 * const loss = checkpoint.metrics[DEFAULT_METRIC]; // full_valid_loss
 * ```
 */
export const DEFAULT_METRIC = 'full_valid_loss' satisfies MetricName;

/** Options of {@link bestCheckpoint}. */
export interface BestCheckpointOptions {
  /** The metric to rank by. Default: `'full_valid_loss'`. */
  metric?: MetricName;
  /** Which end is best. Default: {@link defaultDirection} of the metric. */
  direction?: Direction;
}

/**
 * Whether `name` is one of {@link METRIC_NAMES}.
 *
 * @example
 * ```ts
 * const metric = process.argv[2] ?? DEFAULT_METRIC;
 * if (!isMetricName(metric)) throw new Error(`unknown metric ${metric}`);
 * ```
 */
export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

/**
 * The natural direction of a metric: accuracies are better when larger, everything else (losses,
 * and any metric the spec adds later) when smaller.
 *
 * @example
 * ```ts
 * defaultDirection('full_valid_mean_token_accuracy'); // 'max'
 * defaultDirection('train_loss'); // 'min'
 * ```
 */
export function defaultDirection(metric: MetricName): Direction {
  return metric.includes('accuracy') ? 'max' : 'min';
}

/**
 * Returns the checkpoint with the best value of `options.metric`, or `undefined` when no
 * checkpoint reports that metric as a finite number.
 *
 * It reads the input once and keeps only the best checkpoint so far, so memory stays constant
 * however many pages it walks. Checkpoints lacking the metric (or reporting `NaN`/`Infinity`)
 * are skipped; on a tie the first one seen wins, which for the API's newest-first order is the
 * latest checkpoint.
 *
 * @throws {@link InvalidArgumentError} when the metric or the direction is not a known one (a
 * caller without static types may pass any string); the message lists the valid values.
 * @example
 * ```ts
 * const best = await bestCheckpoint(client.listCheckpoints('ftjob-abc123'));
 * console.log(best?.fine_tuned_model_checkpoint);
 * ```
 */
export async function bestCheckpoint(
  checkpoints: AsyncIterable<Checkpoint> | Iterable<Checkpoint>,
  options: BestCheckpointOptions = {},
): Promise<Checkpoint | undefined> {
  const metric: string = options.metric ?? DEFAULT_METRIC;
  if (!isMetricName(metric)) {
    throw new InvalidArgumentError(
      'options.metric',
      `must be one of ${METRIC_NAMES.join(', ')}; got ${JSON.stringify(metric)}`,
    );
  }
  const direction: string = options.direction ?? defaultDirection(metric);
  if (direction !== 'min' && direction !== 'max') {
    throw new InvalidArgumentError(
      'options.direction',
      `must be 'min' or 'max'; got ${JSON.stringify(direction)}`,
    );
  }

  let best: Checkpoint | undefined;
  let bestValue = 0;
  // `for await` accepts sync iterables too, so one loop serves both input kinds.
  for await (const checkpoint of checkpoints) {
    const value = checkpoint.metrics[metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    // Strict comparisons, so an equal value never replaces the first one seen.
    if (best === undefined || (direction === 'min' ? value < bestValue : value > bestValue)) {
      best = checkpoint;
      bestValue = value;
    }
  }
  return best;
}
