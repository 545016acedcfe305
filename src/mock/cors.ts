/**
 * CORS for the mock (`cors: true`): what lets a page on another local origin (a dev server on
 * another port, a test runner's page) call the mock from a browser. Pure data and one predicate;
 * the server applies them.
 */

/**
 * The request headers a page may send: what the client sets. `Authorization` must be listed by
 * name, because a `*` in `Access-Control-Allow-Headers` never covers it.
 */
export const CORS_ALLOW_HEADERS = [
  'Authorization',
  'OpenAI-Organization',
  'OpenAI-Project',
  'Content-Type',
] as const;

/**
 * The response headers a page may read: without this list a browser hides all but the
 * CORS-safelisted ones, and the client could not see request ids or the retry hints.
 */
export const CORS_EXPOSE_HEADERS = [
  'x-request-id',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
] as const;

/**
 * Added to every answer when CORS is on. Any origin: the mock listens on 127.0.0.1 only, serves
 * made-up data, and the client sends no cookies, so there is nothing an origin check would guard.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(', '),
});

/** The answer to a preflight: which method and headers the real request may use, for 10 min. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET',
  'access-control-allow-headers': CORS_ALLOW_HEADERS.join(', '),
  'access-control-max-age': '600',
});

/**
 * Whether a request is a CORS preflight: an `OPTIONS` that names the method it asks about. A bare
 * `OPTIONS` is an ordinary request (and gets the API's 405).
 */
export function isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}
