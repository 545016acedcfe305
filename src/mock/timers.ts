/**
 * A set of pending timeouts that can be cancelled together, so closing the server never leaves a
 * delayed write to fire on a destroyed socket or keep the process alive.
 */

/**
 * The longest delay a timer holds, in milliseconds (2^31 - 1, about 24.8 days). Node, Deno, Bun
 * and browsers store the delay in a signed 32-bit integer and fire a larger one after 1 ms, so
 * every option that becomes a timer is checked against this bound.
 *
 * @example
 * ```ts
 * if (delayMs > MAX_TIMER_DELAY_MS) throw new RangeError('delayMs is longer than a timer holds');
 * ```
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

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
