// Defence in depth for the API key. Errors built by this package never contain it, but a `cause`
// from a platform `fetch` or a custom one could echo a header. Every error that leaves the client
// goes through here.

const REDACTED = '[redacted]';

/** `text` with every occurrence of `secret` replaced. */
export function redactText(text: string, secret: string | undefined): string {
  return secret && text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}

/** Replaces every occurrence of `secret` in the message and stack of `error` and its causes. */
export function redactSecret<T>(error: T, secret: string | undefined): T {
  if (!secret) return error;
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    for (const key of ['message', 'stack'] as const) {
      const text = current[key];
      if (typeof text === 'string' && text.includes(secret)) {
        Object.defineProperty(current, key, {
          value: redactText(text, secret),
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    }
    current = current.cause;
  }
  return error;
}
