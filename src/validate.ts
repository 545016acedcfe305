// Input checks. They run before anything is sent, so bad input costs no request and no quota,
// and the error names the argument at fault.
import { InvalidArgumentError } from './errors.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  return typeof value;
}

/** Characters allowed in a path segment value: what OpenAI ids use, and nothing URL-special. */
const SEGMENT = /^[A-Za-z0-9_.:~-]+$/;

/**
 * A value for one path segment, e.g. the job id. Rejects what would change the URL's path:
 * empty or blank (`''` gives `//`, another endpoint), dot-segments (`.`, `..` resolve to a parent
 * route), `/`, `\`, `%` (pre-encoded traversal such as `%2e%2e`), `?`, `#`, whitespace and control
 * characters.
 */
export function checkPathSegment(argument: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(argument, `must be a string, got ${show(value)}`);
  }
  if (value.trim() === '') throw new InvalidArgumentError(argument, 'must not be empty or blank');
  if (/^\.+$/.test(value)) {
    throw new InvalidArgumentError(argument, `must not be a dot-segment, got ${show(value)}`);
  }
  if (!SEGMENT.test(value)) {
    throw new InvalidArgumentError(
      argument,
      `may only contain letters, digits and _ . : ~ - (got ${show(value)}); it must not change the request path`,
    );
  }
  return value;
}

/** A whole number ≥ 1 (a `limit`, `maxPages`, `maxItems`). */
export function checkPositiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, `must be a positive integer, got ${show(value)}`);
  }
  return value;
}

/** A whole number ≥ 0 (`maxRetries`). */
export function checkNonNegativeInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, `must be a whole number ≥ 0, got ${show(value)}`);
  }
  return value;
}

/** Milliseconds > 0, or `Infinity` for "no limit" (`timeoutMs`). */
export function checkDuration(argument: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new InvalidArgumentError(
      argument,
      `must be a number of ms > 0 (or Infinity), got ${show(value)}`,
    );
  }
  return value;
}

/** A boolean option. */
export function checkBoolean(argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(argument, `must be true or false, got ${show(value)}`);
  }
  return value;
}

/** A non-empty string (a cursor). */
export function checkNonEmptyString(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(argument, `must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** An `AbortSignal`, duck-typed so that signals from other realms and polyfills pass. */
export function checkSignal(argument: string, value: unknown): AbortSignal {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as AbortSignal).aborted !== 'boolean' ||
    typeof (value as AbortSignal).addEventListener !== 'function'
  ) {
    throw new InvalidArgumentError(argument, `must be an AbortSignal, got ${show(value)}`);
  }
  return value as AbortSignal;
}

/**
 * A header value: a string without CR, LF or other control characters. Rejected at construction,
 * because a CR/LF would let a value smuggle extra headers (or, from a platform error, echo it).
 */
export function checkHeaderValue(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(argument, 'must be a non-empty string');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    // The value itself is not shown: it may be a secret.
    throw new InvalidArgumentError(argument, 'must not contain CR, LF or other control characters');
  }
  // HTTP header values are bytes: fetch refuses anything past Latin-1 at send time, with an
  // error that is not ours. Refuse it here, at construction, instead.
  if (/[^\u0020-\u00ff]/.test(value)) {
    throw new InvalidArgumentError(
      argument,
      'must only contain Latin-1 characters (it is an HTTP header value)',
    );
  }
  return value;
}

/** An absolute http(s) URL without credentials, query or fragment, with no trailing slash. */
export function checkBaseUrl(argument: string, value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new InvalidArgumentError(argument, `must be an absolute URL, got ${show(value)}`);
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(argument, `must be an http(s) URL, got ${url.protocol}`);
  }
  // `href` is checked too: a bare `?` or `#` leaves `search` and `hash` empty but would still
  // push the endpoint path into the query or fragment.
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw new InvalidArgumentError(argument, 'must not contain credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Returns `options` as a record, or throws when it is not a plain object (or undefined). */
export function checkOptionsObject(argument: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects keys outside `known`, so a typo such as `{ limt: 5 }` is not silently ignored. */
export function checkKnownKeys(
  argument: string,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined && !known.includes(key)) {
      throw new InvalidArgumentError(
        `${argument}.${key}`,
        `is not a known option (expected one of: ${known.join(', ')})`,
      );
    }
  }
}
