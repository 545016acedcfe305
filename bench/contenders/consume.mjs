// What the benchmarked loops do with each checkpoint. Touching a field keeps the work observable
// (nothing can be optimised away) and identical for every contender; a consumer may return a
// promise (the latency scenario's per-page async work), which every loop awaits.

export function sumSteps() {
  const sink = { items: 0, steps: 0 };
  const consume = (checkpoint) => {
    sink.items++;
    sink.steps += checkpoint.step_number;
  };
  return { sink, consume };
}

/** Awaits `ms` of timer after every `pageSize`-th item: async work per page, done at its last item. */
export function asyncWorkPerPage(pageSize, ms) {
  const sink = { items: 0, steps: 0 };
  const consume = (checkpoint) => {
    sink.items++;
    sink.steps += checkpoint.step_number;
    if (sink.items % pageSize === 0) return new Promise((resolve) => setTimeout(resolve, ms));
  };
  return { sink, consume };
}

/**
 * The hand-written cursor loop of the contenders that have no pager of their own (the fetch floor
 * and bare openapi-fetch): follow the last item's id while `has_more`, handing each item to
 * `consume` and awaiting what it returns.
 */
export async function walkCursor(getPage, jobId, limit, consume) {
  let after;
  for (;;) {
    const page = await getPage(jobId, limit, after);
    for (const checkpoint of page.data) {
      const pending = consume(checkpoint);
      if (pending) await pending;
    }
    if (!page.has_more || page.data.length === 0) return;
    after = page.data[page.data.length - 1].id;
  }
}
