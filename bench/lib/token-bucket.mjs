// The rate limit of the benchmark's server, as OpenAI's behaves: a bucket of `burst` requests
// refilled continuously at `perSecond`. Pure: the time is an argument.

/** A bucket, full. `take(now)` spends one request if there is one. */
export function createTokenBucket({ perSecond, burst }) {
  const perMs = perSecond / 1000;
  let tokens = burst;
  let last;
  return {
    /**
     * { allowed, remaining, resetMs, retryAfterMs }: `remaining` whole requests left, `resetMs`
     * until the bucket is full, and for a refusal `retryAfterMs` until one request is back.
     */
    take(now) {
      tokens = Math.min(burst, tokens + (now - (last ?? now)) * perMs);
      last = now;
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      return {
        allowed,
        remaining: Math.floor(tokens),
        resetMs: (burst - tokens) / perMs,
        retryAfterMs: allowed ? 0 : (1 - tokens) / perMs,
      };
    },
  };
}

/** ms in Go's notation, as OpenAI writes its durations: `20ms`, `1.5s`, `6m0s`, `1h2m3.5s`. */
export function goDuration(ms) {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const seconds = Math.ceil(ms) / 1000;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toFixed(3));
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}
