// The client's boundary inside openapi-fetch: its path and query serializers, which check what
// the caller puts in a URL, and its own middleware, the first the client registers, so that its
// onRequest runs before any other and its onResponse after every other. What a call's options
// could change about a request is checked before it is sent; whatever response comes back (the
// transport's, or a middleware's replacement) is read and checked before it is handed out.
import { createQuerySerializer, type Middleware, type QuerySerializer } from 'openapi-fetch';
import type { BodyOperationChecks, PageOperationChecks } from '../generated/checkpoints.checks.js';
import { parsedBody } from './checked-response.js';
import { attachSettings, type ClientConfig } from './config.js';
import { InvalidArgumentError, InvalidResponseError, outcomeOf } from './errors.js';
import type { Transport } from './transport.js';
import { checkPathSegment, isWellFormed } from './validate.js';

/** The generated checks of one operation: a list's page and items, or one body. */
export type OperationChecks = PageOperationChecks | BodyOperationChecks;

/** The generated checks of every operation the client knows, by path, then method. */
export type OperationTable = Readonly<Record<string, Readonly<Record<string, OperationChecks>>>>;

/**
 * The client's path serializer, the one place path parameters are checked and encoded: each
 * must be present and stay one path segment, or the call throws before anything is sent
 * (openapi-fetch lets `..` climb to a parent route).
 */
export function checkedPath(url: string, params: Record<string, unknown>): string {
  let filled = 0;
  const path = url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    filled++;
    return encodeURIComponent(checkPathSegment(`path.${name}`, params[name]));
  });
  // A value for no placeholder is a mistake (a misspelt name, say).
  if (Object.keys(params).length > filled) {
    for (const name in params) {
      if (!url.includes(`{${name}}`))
        throw new InvalidArgumentError(`path.${name}`, 'is not a parameter of this path');
    }
  }
  return path;
}

/**
 * openapi-fetch's query serializer, refusing a string no URL can hold (a lone surrogate) as an
 * `InvalidArgumentError` instead of the `URIError` it would throw.
 */
export function checkedQuery(): QuerySerializer<unknown> {
  const serialize = createQuerySerializer();
  const wellFormed = (value: unknown): boolean =>
    typeof value === 'string'
      ? isWellFormed(value)
      : typeof value !== 'object' ||
        value === null ||
        Object.entries(value).every(([key, child]) => isWellFormed(key) && wellFormed(child));
  return (query) => {
    if (!wellFormed(query)) {
      throw new InvalidArgumentError(
        'params.query',
        'holds a string that is not well-formed Unicode (a lone surrogate)',
      );
    }
    return serialize(query);
  };
}

/** What the boundary checks against: the client's settings, its transport, its operations. */
export interface BoundaryOptions {
  readonly config: ClientConfig;
  readonly transport: Transport;
  readonly operations: OperationTable;
}

/** What is wrong with the 2xx body of an operation, by its generated checks. */
function bodyProblem(checks: OperationChecks, body: unknown): string | undefined {
  if (!('item' in checks)) return checks.body?.(body);
  const problem = checks.page(body);
  if (problem) return problem;
  const items = (body as { data: unknown[] }).data;
  for (let index = 0; index < items.length; index++) {
    const wrong = checks.item(items[index]);
    if (wrong) return `item ${index}: ${wrong}`;
  }
  return undefined;
}

/**
 * The client's own middleware.
 *
 * @example
 * ```ts
 * const raw = createClient<paths>({ baseUrl, fetch: transport.fetch, pathSerializer: checkedPath });
 * raw.use(boundary({ config, transport, operations }));
 * ```
 */
export function boundary({ config, transport, operations }: BoundaryOptions) {
  const middleware: Middleware = {
    onRequest({ request, options, schemaPath, params }) {
      // Per-call options that would go around the transport, the origin or the path check.
      const bypass =
        options.fetch !== transport.fetch
          ? 'fetch'
          : options.baseUrl !== config.baseUrl
            ? 'baseUrl'
            : options.pathSerializer !== checkedPath
              ? 'pathSerializer'
              : !(request instanceof Request)
                ? 'Request'
                : undefined;
      if (bypass) {
        throw new InvalidArgumentError(
          `init.${bypass}`,
          'cannot be set per call on client.raw: it would bypass its checks (use middleware)',
        );
      }
      // Without params.path, openapi-fetch skips the path serializer: `{name}` would go as is.
      const placeholder = params.path ? null : /\{([^{}]+)\}/.exec(schemaPath);
      if (placeholder) checkPathSegment(`path.${placeholder[1]}`, undefined);
      attachSettings(request, config.request, 'init.');
    },

    async onResponse({ request, response, schemaPath }) {
      const checked = await transport.adopt(response, request);
      const checks = checked.ok
        ? operations[schemaPath]?.[request.method.toLowerCase()]
        : undefined;
      // A 2xx JSON body, parsed by the transport (a 204 has none to check).
      const body = parsedBody(checked);
      const problem = checks && body !== undefined && bodyProblem(checks, body);
      if (problem) throw new InvalidResponseError({ ...outcomeOf(checked), problem });
      return checked === response ? undefined : checked;
    },
  };
  return middleware;
}
