/**
 * A generator of realistic, reproducible checkpoint data for demos, tests and benchmarks.
 */
import { hashString, mulberry32, randomAlphanumeric, type Random } from './prng.js';
import type { FineTuningJobCheckpoint } from '../types.js';

/**
 * The base model of generated checkpoints, and of a mock job that names none.
 *
 * @example
 * ```ts
 * const mock = await createMockServer({ jobs: { 'ftjob-a': { checkpoints, model: DEMO_MODEL } } });
 * ```
 */
export const DEMO_MODEL = 'gpt-4o-mini-2024-07-18';

/**
 * When generated training starts unless `startTime` says otherwise (Unix seconds): 2024-07-23.
 *
 * @example
 * ```ts
 * const later = generateCheckpoints({ jobId: 'ftjob-b', count: 5, startTime: DEMO_START_TIME + 86_400 });
 * ```
 */
export const DEMO_START_TIME = 1_721_760_000;

/** Options of {@link generateCheckpoints}. */
export interface GenerateCheckpointsOptions {
  /** The job the checkpoints belong to (their `fine_tuning_job_id`). */
  jobId: string;
  /** How many checkpoints to generate (0 or more). */
  count: number;
  /** Seeds every random choice. Default: derived from `jobId`, so different jobs differ. */
  seed?: number | undefined;
  /** Training steps between checkpoints. Default 100. */
  stepsPerCheckpoint?: number | undefined;
  /** Base model named in `fine_tuned_model_checkpoint`. Default `gpt-4o-mini-2024-07-18`. */
  model?: string | undefined;
  /** Unix time (seconds) training started; checkpoints come after it. Default 1721760000. */
  startTime?: number | undefined;
}

/** Share of intermediate checkpoints that carry the full-validation metrics. */
const FULL_VALID_SHARE = 0.75;

/** Rounds to 4 decimals, as metric values in real responses are short. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Multiplicative noise of about ±`spread`/2 around 1. */
function noise(random: Random, spread: number): number {
  return 1 + (random() - 0.5) * spread;
}

function uniqueId(random: Random, taken: Set<string>): string {
  for (;;) {
    const id = `ftckpt_${randomAlphanumeric(random, 24)}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function assertOptions(options: GenerateCheckpointsOptions): void {
  const { jobId, count, stepsPerCheckpoint, startTime } = options;
  if (typeof jobId !== 'string' || jobId === '') {
    throw new TypeError('generateCheckpoints: jobId must be a non-empty string');
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`generateCheckpoints: count must be an integer >= 0, got ${count}`);
  }
  if (
    stepsPerCheckpoint !== undefined &&
    !(Number.isInteger(stepsPerCheckpoint) && stepsPerCheckpoint > 0)
  ) {
    throw new RangeError('generateCheckpoints: stepsPerCheckpoint must be a positive integer');
  }
  if (startTime !== undefined && !Number.isInteger(startTime)) {
    throw new RangeError('generateCheckpoints: startTime must be an integer (Unix seconds)');
  }
}

/**
 * Generates `count` checkpoints of one job, oldest first: unique `ftckpt_` ids, step numbers
 * rising by `stepsPerCheckpoint`, strictly increasing `created_at`, losses that fall and
 * accuracies that rise with noise. Like the real API, some intermediate checkpoints lack the
 * `full_valid_*` metrics; the last one always has them. The same options give the same data.
 *
 * @example
 * ```ts
 * const checkpoints = generateCheckpoints({ jobId: 'ftjob-abc123', count: 250, seed: 1 });
 * const mock = await createMockServer({ jobs: { 'ftjob-abc123': checkpoints } });
 * ```
 */
export function generateCheckpoints(
  options: GenerateCheckpointsOptions,
): FineTuningJobCheckpoint[] {
  assertOptions(options);
  const { jobId, count } = options;
  const steps = options.stepsPerCheckpoint ?? 100;
  const model = options.model ?? DEMO_MODEL;
  const random = mulberry32(options.seed ?? hashString(jobId));
  const taken = new Set<string>();
  const checkpoints: FineTuningJobCheckpoint[] = [];
  let createdAt = options.startTime ?? DEMO_START_TIME;

  for (let i = 0; i < count; i++) {
    const stepNumber = (i + 1) * steps;
    // Roughly 0.6-1.4 s per step, and never two checkpoints in the same second.
    createdAt += Math.max(1, Math.round(steps * (0.6 + 0.8 * random())));
    const progress = count === 1 ? 1 : i / (count - 1);
    const trainLoss = (0.25 + 1.9 * Math.exp(-3.5 * progress)) * noise(random, 0.15);
    const validLoss = trainLoss * (1.04 + 0.12 * random());
    const trainAccuracy = (0.45 + 0.5 * (1 - Math.exp(-3 * progress))) * noise(random, 0.04);
    const validAccuracy = trainAccuracy * (0.94 + 0.05 * random());
    const metrics: FineTuningJobCheckpoint['metrics'] = {
      step: stepNumber,
      train_loss: round4(trainLoss),
      train_mean_token_accuracy: round4(clamp01(trainAccuracy)),
      valid_loss: round4(validLoss),
      valid_mean_token_accuracy: round4(clamp01(validAccuracy)),
    };
    const isLast = i === count - 1;
    if (isLast || random() < FULL_VALID_SHARE) {
      metrics.full_valid_loss = round4(validLoss * noise(random, 0.06));
      metrics.full_valid_mean_token_accuracy = round4(clamp01(validAccuracy * noise(random, 0.02)));
    }
    checkpoints.push({
      object: 'fine_tuning.job.checkpoint',
      id: uniqueId(random, taken),
      created_at: createdAt,
      fine_tuned_model_checkpoint: `ft:${model}:my-org:custom-suffix:${randomAlphanumeric(random, 8)}:ckpt-step-${stepNumber}`,
      fine_tuning_job_id: jobId,
      metrics,
      step_number: stepNumber,
    });
  }
  return checkpoints;
}
