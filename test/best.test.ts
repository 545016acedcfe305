import { beforeAll, describe, expect, it } from 'vitest';
import {
  bestCheckpoint,
  defaultDirection,
  isMetricName,
  METRIC_NAMES,
  type MetricName,
} from '../src/best.js';
import { InvalidArgumentError } from '../src/errors.js';
import type { FineTuningJobCheckpoint } from '../src/index.js';
import { createMockServer, generateCheckpoints, type MockServer } from '../src/mock/index.js';
import { serverPool } from './helpers/http.js';
import { clientFor } from './helpers/client.js';

type Metrics = FineTuningJobCheckpoint['metrics'];

function checkpoint(id: string, metrics: Metrics, step = 1): FineTuningJobCheckpoint {
  return {
    object: 'fine_tuning.job.checkpoint',
    id,
    created_at: 1_721_764_800 + step,
    fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:org::x:ckpt-step-${step}`,
    fine_tuning_job_id: 'ftjob-test',
    metrics,
    step_number: step,
  };
}

const a = checkpoint('a', { full_valid_loss: 0.5, full_valid_mean_token_accuracy: 0.7 });
const b = checkpoint('b', { full_valid_loss: 0.2, full_valid_mean_token_accuracy: 0.9 });
const c = checkpoint('c', { full_valid_loss: 0.9, full_valid_mean_token_accuracy: 0.6 });

describe('bestCheckpoint', () => {
  it('picks the lowest full_valid_loss by default', async () => {
    expect((await bestCheckpoint([a, b, c]))?.id).toBe('b');
  });

  it('honours an explicit direction', async () => {
    expect((await bestCheckpoint([a, b, c], { direction: 'max' }))?.id).toBe('c');
    expect((await bestCheckpoint([a, b, c], { direction: 'min' }))?.id).toBe('b');
    const acc = 'full_valid_mean_token_accuracy';
    expect((await bestCheckpoint([a, b, c], { metric: acc, direction: 'min' }))?.id).toBe('c');
  });

  it('maximises accuracies and minimises everything else by default', async () => {
    const metric = 'full_valid_mean_token_accuracy';
    expect((await bestCheckpoint([a, b, c], { metric }))?.id).toBe('b');
    expect(defaultDirection('train_mean_token_accuracy')).toBe('max');
    expect(defaultDirection('valid_mean_token_accuracy')).toBe('max');
    expect(defaultDirection('train_loss')).toBe('min');
    expect(defaultDirection('step')).toBe('min');
  });

  it('ignores checkpoints without the metric or with a non-finite value', async () => {
    const missing = checkpoint('missing', { train_loss: 0.01 });
    const nan = checkpoint('nan', { full_valid_loss: Number.NaN });
    const inf = checkpoint('inf', { full_valid_loss: Number.NEGATIVE_INFINITY });
    const nul = checkpoint('null', { full_valid_loss: null as unknown as number });
    expect((await bestCheckpoint([missing, nan, inf, nul, c, a]))?.id).toBe('a');
    expect(await bestCheckpoint([missing, nan, inf, nul])).toBeUndefined();
    expect(await bestCheckpoint([])).toBeUndefined();
  });

  it('keeps the first of equal values', async () => {
    const first = checkpoint('first', { full_valid_loss: 0.1 });
    const second = checkpoint('second', { full_valid_loss: 0.1 });
    expect((await bestCheckpoint([c, first, second]))?.id).toBe('first');
    expect((await bestCheckpoint([c, first, second], { direction: 'max' }))?.id).toBe('c');
    const third = checkpoint('third', { full_valid_loss: 0.9 });
    expect((await bestCheckpoint([c, third], { direction: 'max' }))?.id).toBe('c');
  });

  it('reads an async iterable lazily, once', async () => {
    let pulled = 0;
    async function* pages() {
      for (const page of [[a], [b, c]]) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        for (const item of page) {
          pulled++;
          yield item;
        }
      }
    }
    expect((await bestCheckpoint(pages()))?.id).toBe('b');
    expect(pulled).toBe(3);
  });

  it('rejects an unknown metric, listing the valid ones', async () => {
    const promise = bestCheckpoint([a], { metric: 'accuracy' as MetricName });
    await expect(promise).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(promise).rejects.toThrow(/full_valid_loss/);
    for (const name of METRIC_NAMES) {
      await expect(bestCheckpoint([a], { metric: 'nope' as MetricName })).rejects.toThrow(name);
    }
  });

  it('rejects an unknown direction', async () => {
    const direction = 'up' as 'max';
    await expect(bestCheckpoint([a], { direction })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('lists every metric of the spec exactly once', () => {
    const fromSpec: Record<MetricName, true> = {
      step: true,
      train_loss: true,
      train_mean_token_accuracy: true,
      valid_loss: true,
      valid_mean_token_accuracy: true,
      full_valid_loss: true,
      full_valid_mean_token_accuracy: true,
    };
    expect([...METRIC_NAMES].sort()).toEqual(Object.keys(fromSpec).sort());
    expect(isMetricName('valid_loss')).toBe(true);
    expect(isMetricName('toString')).toBe(false);
  });
});

describe('bestCheckpoint over the client', () => {
  const servers = serverPool('file');
  let mock: MockServer;
  const checkpoints = generateCheckpoints({ jobId: 'ftjob-pages', count: 57, seed: 7 });

  beforeAll(async () => {
    mock = servers.track(await createMockServer({ jobs: { 'ftjob-pages': checkpoints } }));
  });

  it('walks every page and agrees with a scan of the whole list', async () => {
    const client = clientFor(mock);
    const best = await bestCheckpoint(client.listCheckpoints('ftjob-pages', { limit: 10 }));
    expect(mock.requests.length).toBe(6);

    const withLoss = checkpoints.filter((cp) => cp.metrics.full_valid_loss !== undefined);
    const lowest = Math.min(...withLoss.map((cp) => cp.metrics.full_valid_loss as number));
    expect(best?.metrics.full_valid_loss).toBe(lowest);

    const accuracy = await bestCheckpoint(client.listCheckpoints('ftjob-pages', { limit: 25 }), {
      metric: 'full_valid_mean_token_accuracy',
    });
    const highest = Math.max(
      ...withLoss.map((cp) => cp.metrics.full_valid_mean_token_accuracy as number),
    );
    expect(accuracy?.metrics.full_valid_mean_token_accuracy).toBe(highest);
  });
});
