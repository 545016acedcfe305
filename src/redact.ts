// Keeping the API key out of everything the client hands out. Two places, each applied once:
// what comes in from the network is scrubbed as it is read (`redactText`, `redactJsonText`), and
// every error is scrubbed as it leaves the client (`redactError`), over its whole graph. The CLI
// uses the same functions.

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
 * A body as read from the network, scrubbed. JSON may spell the key with escapes (`\u0073k-…`,
 * `\/`) that a plain search misses, so a body with any backslash that parses as JSON is scrubbed
 * string by string after decoding, and re-serialized.
 */
export function redactJsonText(text: string, secret: string | undefined): string {
  const plain = redactText(text, secret);
  if (!isSecret(secret) || !plain.includes('\\')) return plain;
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    return plain; // not JSON: escapes mean nothing in it
  }
  const scrubbed = JSON.stringify(parsed, (_key, value: unknown) =>
    typeof value === 'string' ? redactText(value, secret) : value,
  );
  // Keys are strings too.
  return scrubbed.includes(secret) ? redactText(scrubbed, secret) : scrubbed;
}

/** Every value reachable from `value`: own properties (hidden and symbol-keyed ones too). */
function holdsSecret(value: unknown, secret: string, seen: Set<unknown>): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  if (seen.has(value)) return false;
  seen.add(value);
  try {
    if (value instanceof Error && (holds(value.message) || holds(value.stack))) return true;
    if (value instanceof Map || value instanceof Set) {
      for (const entry of value) if (holdsSecret(entry, secret, seen)) return true;
    }
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'symbol' ? holds(key.description) : holds(key)) return true;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      const found =
        descriptor && 'value' in descriptor
          ? holdsSecret(descriptor.value, secret, seen)
          : descriptor?.get !== undefined &&
            holdsSecret(descriptor.get.call(value), secret, seen);
      if (found) return true;
    }
  } catch {
    return true; // a value that cannot be walked cannot be vouched for
  }
  return false;

  function holds(text: string | undefined): boolean {
    return text !== undefined && text.includes(secret);
  }
}

/**
 * A stand-in for a foreign value that holds the key: a plain `Error` (same name, message, stack
 * and `code`), scrubbed, its own `cause` and `errors` (AggregateError) replaced the same way.
 * Foreign objects are never mutated: they belong to the caller.
 */
function scrubbedCopy(value: unknown, secret: string, depth: number): unknown {
  if (!(value instanceof Error)) {
    let text: string;
    try {
      text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    } catch {
      text = Object.prototype.toString.call(value);
    }
    return redactText(text, secret);
  }
  const copy = new Error(redactText(String(value.message), secret));
  copy.name = redactText(String(value.name), secret);
  copy.stack = redactText(String(value.stack ?? copy.stack), secret);
  const { code } = value as { code?: unknown };
  if (typeof code === 'string') Object.assign(copy, { code: redactText(code, secret) });
  if (depth > 0) {
    if (value.cause !== undefined) copy.cause = redactGraph(value.cause, secret, depth - 1);
    const { errors } = value as { errors?: unknown };
    if (Array.isArray(errors)) {
      Object.assign(copy, {
        errors: errors.map((error) => redactGraph(error, secret, depth - 1)),
      });
    }
  }
  return copy;
}

/** A plain-data field of our own error (e.g. `ApiError.error`), as scrubbed plain data. */
function scrubbedData(value: unknown, secret: string): unknown {
  try {
    return JSON.parse(redactJsonText(JSON.stringify(value) ?? 'null', secret));
  } catch {
    return REDACTED;
  }
}

function redactGraph(value: unknown, secret: string, depth: number): unknown {
  return holdsSecret(value, secret, new Set()) ? scrubbedCopy(value, secret, depth) : value;
}

/**
 * Makes an error safe to hand out: the key is removed from its own string fields (message and
 * stack included), and any `cause` that holds it anywhere in its graph (a property, a hidden
 * field, a nested cause, an `AggregateError`'s `errors`) is replaced by a scrubbed copy. A cause
 * without the key is kept as it is (an abort reason stays the very object the caller gave).
 */
export function redactError<T>(error: T, secret: string | undefined): T {
  if (!isSecret(secret) || !(error instanceof Error)) return error;
  for (const key of ['message', 'stack', ...Object.keys(error)]) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (key !== 'cause' && holdsSecret(value, secret, new Set())) {
      Object.defineProperty(error, key, {
        value: typeof value === 'string' ? redactText(value, secret) : scrubbedData(value, secret),
        writable: true,
        configurable: true,
        enumerable: key !== 'message' && key !== 'stack',
      });
    }
  }
  if (error.cause !== undefined) {
    // Deep enough for any chain a fetch library builds; beyond it, the copy stops.
    const cause = redactGraph(error.cause, secret, 16);
    if (cause !== error.cause) {
      Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
    }
  }
  return error;
}
