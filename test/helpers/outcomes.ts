// What a promise, an iteration or a call ends with, for tests that assert on the error itself
// (each fails the test when there is no error), and small async utilities.
import { performance } from 'node:perf_hooks';

/** The reason `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error thrown while iterating `iterable` with `for await` (fails when none is). */
export async function iterationError(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const item of iterable) void item;
  } catch (error) {
    return error;
  }
  throw new Error('expected the iteration to throw, but it completed');
}

/** The error thrown by `run` synchronously (fails when none is). */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a synchronous throw');
}

/** Every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Milliseconds since `start` (a `performance.now()` value). */
export function since(start: number): number {
  return performance.now() - start;
}
