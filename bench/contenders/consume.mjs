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
