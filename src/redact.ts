// Defence in depth for the API key. Errors built by this package never contain it, but a server
// can echo it (in a body, a status text, a header) and a custom `fetch` can put it in its own
// errors. The transport scrubs what it reads, and every error that leaves the client goes
// through `redactSecret`.

const REDACTED = '[redacted]';

/**
 * Shorter "keys" are not scrubbed: no real key is that short, and scrubbing a test key such as
 * `'k'` would rewrite every `k` in the data.
 */
export const MIN_SECRET_LENGTH = 8;

/** `text` with every occurrence of `secret` replaced. */
export function redactText(text: string, secret: string | undefined): string {
  return isSecret(secret) && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}

function isSecret(secret: string | undefined): secret is string {
  return secret !== undefined && secret.length >= MIN_SECRET_LENGTH;
}

/** Whether `value` holds `secret` in any string reachable within a few levels of properties. */
function holdsSecret(
  value: unknown,
  secret: string,
  depth = 4,
  seen = new Set<unknown>(),
): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (typeof value !== 'object' || value === null || depth === 0 || seen.has(value)) return false;
  seen.add(value);
  const keys =
    value instanceof Error ? ['message', 'stack', ...Object.keys(value)] : Object.keys(value);
  return keys.some((key) => {
    try {
      return holdsSecret((value as Record<string, unknown>)[key], secret, depth - 1, seen);
    } catch {
      return false; // a throwing getter holds nothing we can print
    }
  });
}

/**
 * Makes `error` safe to log: our own errors get the secret removed from their message, stack
 * and string fields; a foreign `cause` that holds it (e.g. an HTTP library error keeping the
 * request headers) is replaced by a plain copy of its redacted message. Foreign objects are never
 * mutated: they belong to the caller.
 */
export function redactSecret<T>(error: T, secret: string | undefined): T {
  if (!isSecret(secret) || !(error instanceof Error)) return error;
  for (const key of ['message', 'stack', ...Object.keys(error)]) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.includes(secret)) {
      Object.defineProperty(error, key, {
        value: redactText(value, secret),
        writable: true,
        configurable: true,
        enumerable: key !== 'message' && key !== 'stack',
      });
    }
  }
  const cause = error.cause;
  if (cause !== undefined && holdsSecret(cause, secret)) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const copy = new Error(redactText(message, secret));
    if (cause instanceof Error) copy.name = cause.name;
    Object.defineProperty(error, 'cause', { value: copy, writable: true, configurable: true });
  }
  return error;
}
