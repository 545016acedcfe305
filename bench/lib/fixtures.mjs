// Deterministic checkpoints in the API's shape, and list pages with `after`/`limit` cursor
// semantics. Index 0 is the newest checkpoint (the API lists newest first).

const ID_PREFIX = 'ftckpt_';
// Real ids are `ftckpt_` + 24 characters; the first 8 here carry the index so a cursor can be
// decoded without a lookup table (the memory scenario serves a million of them).
const ID_TAIL = 'zc4Q7MP6XxulcVzj';
const CREATED_AT = 1_721_764_867;

export function checkpointId(index) {
  return ID_PREFIX + String(index).padStart(8, '0') + ID_TAIL;
}

/** The index an `after` cursor points at, or -1 when it is not one of ours. */
export function indexOfId(id) {
  if (!id.startsWith(ID_PREFIX) || !id.endsWith(ID_TAIL)) return -1;
  const index = Number(id.slice(ID_PREFIX.length, ID_PREFIX.length + 8));
  return Number.isInteger(index) ? index : -1;
}

export function checkpoint(index, total, jobId) {
  const step = (total - index) * 10;
  const loss = 1 / (1 + step / 1000);
  return {
    object: 'fine_tuning.job.checkpoint',
    id: checkpointId(index),
    created_at: CREATED_AT - index * 60,
    fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:bench::9pF3kQe2:ckpt-step-${step}`,
    fine_tuning_job_id: jobId,
    step_number: step,
    metrics: {
      step,
      train_loss: loss,
      train_mean_token_accuracy: 1 - loss / 2,
      valid_loss: loss * 1.1,
      valid_mean_token_accuracy: 1 - loss / 1.9,
      full_valid_loss: loss * 1.05,
      full_valid_mean_token_accuracy: 1 - loss / 1.95,
    },
  };
}

/** The page body for `after`/`limit` over a job of `total` checkpoints. */
export function listPage({ total, jobId, start, limit }) {
  const end = Math.min(total, start + limit);
  const data = [];
  for (let i = start; i < end; i++) data.push(checkpoint(i, total, jobId));
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: end < total,
  };
}
