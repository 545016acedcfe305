/**
 * A tiny seeded pseudo-random number generator: mulberry32. It is not cryptographic; it exists
 * so that generated data sets and probabilistic faults are reproducible from a single number.
 */

/** A function returning the next pseudo-random float in [0, 1). */
export type Random = () => number;

/**
 * Creates a mulberry32 generator. The same seed always yields the same sequence.
 *
 * @param seed - any number; only its low 32 bits are used.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Hashes a string to a 32-bit unsigned integer (FNV-1a), so a string such as a job id can seed
 * {@link mulberry32}.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Derives an independent 32-bit seed from a base seed and an index, so each request number gets
 * its own stream: which request is faulted then depends only on its number, not on how many
 * random draws earlier requests happened to make.
 */
export function deriveSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Draws `length` characters from [A-Za-z0-9] using `random`. */
export function randomAlphanumeric(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHANUMERIC.charAt(Math.floor(random() * ALPHANUMERIC.length));
  }
  return out;
}
