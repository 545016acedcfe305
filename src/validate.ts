// Input checks. They run before anything is sent, so bad input costs no request and no quota,
// and the error names the argument at fault. Kept few and generic: this code ships in every
// consumer's bundle.
import { InvalidArgumentError } from './errors.js';

function fail(argument: string, problem: string, value?: unknown): never {
  const got =
    arguments.length < 3
      ? ''
      : `, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value ? 'an object' : String(value)}`;
  throw new InvalidArgumentError(argument, problem + got);
}

/**
 * A value for one path segment, e.g. the job id. Allows what OpenAI ids use (letters, digits,
 * `_ . : ~ -`) and rejects what would change the URL's path: empty (`''` gives `//`, another
 * endpoint), dot-segments (`.`, `..` climb to a parent route), `/`, `\`, `%` (pre-encoded
 * traversal such as `%2e%2e`), `?`, `#`, whitespace and control characters.
 */
export function checkPathSegment(argument: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[\w.:~-]+$/.test(value) || /^\.+$/.test(value)) {
    fail(
      argument,
      'must be one path segment: letters, digits and _ . : ~ - (not only dots)',
      value,
    );
  }
  return value;
}

/** A whole number ≥ `min`: 1 for `limit`, `maxPages`, `maxItems`; 0 for `maxRetries`. */
export function checkInteger(argument: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    fail(argument, `must be an integer ≥ ${min}`, value);
  }
  return value;
}

/**
 * The longest delay a timer holds: 2^31-1 ms (about 24.8 days). Platforms fire a longer one after
 * 1 ms, so a larger value would silently become "at once".
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Milliseconds > 0 that a timer can hold, or `Infinity` for "no limit" (`timeoutMs`). */
export function checkDuration(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || (value > MAX_TIMER_MS && value !== Infinity))
    fail(argument, `must be a number of ms > 0 and ≤ ${MAX_TIMER_MS}, or Infinity`, value);
  return value;
}

/**
 * Whether `text` is well-formed Unicode: no lone surrogate, which no URL can encode (and which
 * `encodeURIComponent` throws on).
 */
export function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

/** A string for a query value such as `after`: non-empty and well-formed Unicode. */
export function checkQueryString(argument: string, value: unknown): string {
  checkType(argument, value, 'string');
  if (!isWellFormed(value as string))
    fail(argument, 'is not well-formed Unicode (it holds a lone surrogate)');
  return value as string;
}

/** A value of a given `typeof` (`boolean` options, `function` hooks), or a non-empty string. */
export function checkType<T>(
  argument: string,
  value: unknown,
  type: 'boolean' | 'function' | 'string',
): T {
  if (typeof value !== type || value === '') fail(argument, `must be a non-empty ${type}`, value);
  return value as T;
}

/**
 * An `AbortSignal`, duck-typed so that signals from other realms and polyfills pass: what the
 * client uses of it (`aborted`, `reason`, adding and removing a listener) must be there.
 */
export function checkSignal(argument: string, value: unknown): AbortSignal {
  const signal = value as Partial<AbortSignal> | null | undefined;
  if (
    typeof signal?.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function' ||
    typeof signal.removeEventListener !== 'function'
  ) {
    fail(argument, 'must be an AbortSignal', value);
  }
  return value as AbortSignal;
}

/**
 * A header name the client may send: an HTTP token, and not one that fetch refuses to send
 * (Node's fails the whole request over `Connection`, `Expect`, `Keep-Alive`, `Transfer-Encoding`
 * and `Upgrade`, which the platform manages), so that a bad header costs no request.
 */
export function checkHeaderName(argument: string, name: string): string {
  if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) fail(argument, 'is not a valid header name');
  if (/^(connection|expect|keep-alive|transfer-encoding|upgrade)$/i.test(name))
    fail(argument, 'is a header fetch does not let a request set');
  return name;
}

/**
 * A header value: printable Latin-1 (HTTP header values are bytes) with no CR, LF or other
 * control character, which could smuggle extra headers. The value is never shown: it may be
 * the key.
 */
export function checkHeaderValue(argument: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[\x20-\x7e\xa0-\xff]+$/.test(value) || !value.trim()) {
    fail(
      argument,
      'must be non-empty printable Latin-1 text, without CR, LF or control characters',
    );
  }
  return value;
}

/** An absolute http(s) URL without credentials, query or fragment; trailing slashes dropped. */
export function checkBaseUrl(argument: string, value: unknown): string {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  // `href` is checked, not `search`/`hash`: a bare `?` or `#` leaves those empty but would
  // still push the endpoint path into the query or fragment.
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.username ||
    url.password ||
    /[?#]/.test(url.href)
  ) {
    // The value is not shown: it may hold a password.
    fail(argument, 'must be an absolute http(s) URL without credentials, query or fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * `value` as a record of options (`{}` when undefined); rejects a non-object, and keys outside
 * `known`, so a typo such as `{ limt: 5 }` is not silently ignored.
 */
export function checkOptions(
  argument: string,
  value: unknown,
  known?: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(argument, 'must be an object', value);
  }
  for (const key in value) {
    if (known && !known.includes(key) && (value as Record<string, unknown>)[key] !== undefined) {
      fail(`${argument}.${key}`, `is not an option (${known.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}
