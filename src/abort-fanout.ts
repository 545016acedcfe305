// One abort listener per signal, however many waits hang on it: a listing shared by a thousand
// requests must not add a thousand listeners to the caller's signal (Node warns past ten, and
// each one keeps its closure alive until removed).

/**
 * Calls back when a signal aborts, with one listener on each signal.
 *
 * @example
 * ```ts
 * const fanout = createAbortFanout();
 * const stop = fanout.subscribe(signal, () => reject(signal.reason));
 * // ... once the wait is over:
 * stop();
 * ```
 */
export interface AbortFanout {
  /**
   * Calls `onAbort` once, when `signal` aborts (not if it is already aborted: check first).
   * Returns the function that cancels this subscription; the last one removes the listener.
   * Each subscription needs a function of its own (the same one twice counts once).
   */
  subscribe(signal: AbortSignal, onAbort: () => void): () => void;
}

/**
 * A fan-out of abort listeners: make one per client and hand it to everything of that client
 * that waits on a caller's signal.
 *
 * @example
 * ```ts
 * const fanout = createAbortFanout();
 * for (let i = 0; i < 1000; i++) fanout.subscribe(signal, () => {}); // one listener on signal
 * ```
 */
export function createAbortFanout(): AbortFanout {
  // Weak: a signal dropped by its owner with subscriptions still open is not kept alive here.
  const bySignal = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();
  return {
    subscribe(signal, onAbort) {
      let entry = bySignal.get(signal);
      if (!entry) {
        const callbacks = new Set<() => void>();
        const listener = () => {
          bySignal.delete(signal);
          const called = [...callbacks];
          callbacks.clear();
          for (const callback of called) callback();
        };
        bySignal.set(signal, (entry = { callbacks, listener }));
        signal.addEventListener('abort', listener, { once: true });
      }
      const { callbacks, listener } = entry;
      callbacks.add(onAbort);
      return () => {
        if (callbacks.delete(onAbort) && callbacks.size === 0) {
          bySignal.delete(signal);
          signal.removeEventListener('abort', listener);
        }
      };
    },
  };
}
