// Keeping the API key out of everything the client hands out. Two places, each applied once:
// what comes in from the network is scrubbed as it is read (`redactJsonSpellings`: the key in
// every spelling JSON has for it, in any text, JSON or not), and every error is scrubbed as it
// leaves the client (`redactError`), over its whole graph. The CLI uses the same functions.

const REDACTED = '[redacted]';

/**
 * Shorter "keys" are not scrubbed: no real key is that short, and scrubbing a test key such as
 * `'k'` would rewrite every `k` in the data.
 */
export const MIN_SECRET_LENGTH = 8;

function isSecret(secret: string | undefined): secret is string {
  return secret !== undefined && secret.length >= MIN_SECRET_LENGTH;
}

/** `text` with every occurrence of `secret` replaced. */
export function redactText(text: string, secret: string | undefined): string {
  return isSecret(secret) && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}

/**
 * Whether `value` holds `secret` anywhere in its graph: strings, property names and values
 * (hidden, symbol-keyed and getter ones too), `Map` and `Set` entries, to any depth.
 */
function holdsSecret(value: unknown, secret: string, seen = new Set<unknown>()): boolean {
  if (typeof value === 'string' || typeof value === 'symbol') return String(value).includes(secret);
  if (!value || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value))
    return false;
  seen.add(value);
  try {
    const entries = value instanceof Map || value instanceof Set ? [...value] : [];
    const keys = [...Reflect.ownKeys(value), 'message', 'stack'];
    return [...entries, ...keys, ...keys.map((key) => Reflect.get(value, key))].some((child) =>
      holdsSecret(child, secret, seen),
    );
  } catch {
    return true; // a value that cannot be walked cannot be vouched for
  }
}

/**
 * `value` if it does not hold the key; else a stand-in: for an `Error`, a plain `Error` with the
 * same name, message, stack and `code`, scrubbed, its `cause` and `errors` (AggregateError)
 * replaced the same way; for anything else, its scrubbed JSON or string form. Foreign objects
 * are never mutated: they belong to the caller.
 */
function redactGraph(value: unknown, secret: string, depth = 16): unknown {
  if (!holdsSecret(value, secret)) return value;
  const scrub = (text: unknown) => redactText(String(text), secret);
  if (!(value instanceof Error)) {
    try {
      return scrub(JSON.stringify(value) ?? value);
    } catch {
      return REDACTED;
    }
  }
  const { name, message, stack, code, cause, errors } = value as Error & {
    code?: unknown;
    errors?: unknown;
  };
  const copy = Object.assign(new Error(scrub(message)), { name: scrub(name), stack: scrub(stack) });
  if (typeof code === 'string') Object.assign(copy, { code: scrub(code) });
  // Deep enough for any chain a fetch library builds; beyond it, the copy stops.
  if (depth > 0 && cause !== undefined) copy.cause = redactGraph(cause, secret, depth - 1);
  if (depth > 0 && Array.isArray(errors))
    Object.assign(copy, { errors: errors.map((error) => redactGraph(error, secret, depth - 1)) });
  return copy;
}

/**
 * Makes an error safe to hand out: the key is removed from its own fields (message and stack
 * included; a plain-data field such as `ApiError.error` becomes its scrubbed copy), and a `cause`
 * that holds it anywhere in its graph (a property, a hidden field, a nested cause, an
 * `AggregateError`'s `errors`) is replaced by a scrubbed copy. A cause without the key is kept as
 * it is (an abort reason stays the very object the caller gave).
 */
export function redactError<T>(error: T, secret: string | undefined): T {
  if (!isSecret(secret) || !(error instanceof Error)) return error;
  for (const key of ['message', 'stack', 'cause', ...Object.keys(error)]) {
    const value: unknown = (error as unknown as Record<string, unknown>)[key];
    const redacted =
      key === 'cause'
        ? redactGraph(value, secret)
        : typeof value === 'string'
          ? redactText(value, secret)
          : holdsSecret(value, secret)
            ? JSON.parse(redactJsonSpellings(JSON.stringify(value), secret))
            : value;
    if (redacted !== value) {
      Object.defineProperty(error, key, {
        value: redacted,
        writable: true,
        configurable: true,
        enumerable: key !== 'message' && key !== 'stack' && key !== 'cause',
      });
    }
  }
  return error;
}

/** A regular expression source matching `unit` (one UTF-16 code unit) in any JSON spelling. */
function spellingsOf(unit: string): string {
  const literal = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const hex = unit
    .charCodeAt(0)
    .toString(16)
    .padStart(4, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
  // A short escape (`\"`, `\\`, `\n`, …) is what JSON.stringify writes, two characters; JSON
  // also allows `\/`.
  const short = unit === '/' ? '\\/' : JSON.stringify(unit).slice(1, -1);
  return `(?:${literal(unit)}|\\\\u${hex}${short.length === 2 ? `|${literal(short)}` : ''})`;
}

/**
 * `text` with the key replaced in every spelling JSON has for it: each character as itself, as
 * a `\uXXXX` escape (hex in either case) or as a short escape such as `\/`. It needs no whole
 * JSON document, so it holds for any text that may quote one: a JSON body, a body cut short or
 * served as text (whose first 200 characters an error message quotes), a log line, what the CLI
 * prints. The key's own characters never include a quote, so JSON stays valid.
 *
 * @example
 * redactJsonSpellings('key: \\u0073k-proj-abc123', 'sk-proj-abc123'); // 'key: [redacted]'
 */
export function redactJsonSpellings(text: string, secret: string | undefined): string {
  const plain = redactText(text, secret);
  if (!isSecret(secret) || !plain.includes('\\')) return plain;
  const pattern = secret.split('').map(spellingsOf).join('');
  return plain.replace(new RegExp(pattern, 'g'), REDACTED);
}
