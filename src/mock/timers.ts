/**
 * A set of pending timeouts that can be cancelled together, so closing the server never leaves a
 * delayed write to fire on a destroyed socket or keep the process alive.
 */

/** Pending timeouts owned by one server. */
export class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `callback` after `ms` milliseconds unless {@link Timers.clearAll} runs first. */
  schedule(callback: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      callback();
    }, ms);
    this.#pending.add(timer);
  }

  /** Cancels every pending timeout. */
  clearAll(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}
