// Cursor pagination for any list endpoint in the spec: a Page that is also an async iterable,
// a lazy PagePromise, the loop guards, and one-page-ahead prefetch.
import type { Client, FetchOptions, FetchResponse } from 'openapi-fetch';
import { apiErrorFor, InvalidResponseError, PaginationError, type ApiError } from './errors.js';
import { serverRetryDelay } from './retry.js';
import { exchangeOf, forgetExchange } from './transport.js';
import { checkInteger, checkOptions, checkSignal, checkType } from './validate.js';

/** Pages fetched at most by one iteration unless `maxPages` says otherwise. */
export const DEFAULT_MAX_PAGES = 1_000;

/** The list envelope a paginated endpoint answers with (OpenAI's cursor pages). */
export interface CursorPageBody {
  data: ReadonlyArray<{ id: string }>;
  has_more: boolean;
  first_id?: string | null;
  last_id?: string | null;
}

type GetOperation<Paths, P extends keyof Paths> = Paths[P] extends { get: infer Op } ? Op : never;
type SuccessBody<Op> = NonNullable<
  FetchResponse<Op & Record<string | number, any>, {}, `${string}/${string}`>['data']
>;
type QueryOf<Op> = Op extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

/**
 * The paths of `Paths` that can be paginated: a GET whose JSON answer is a cursor page (`data` of
 * items with an `id`, `has_more`) and whose query takes `after`. Computed from the generated
 * types, so a list endpoint added to the spec is paginated with no new code.
 */
export type PaginatedPath<Paths> = {
  [P in keyof Paths]-?: [GetOperation<Paths, P>] extends [never]
    ? never
    : SuccessBody<GetOperation<Paths, P>> extends CursorPageBody
      ? 'after' extends keyof QueryOf<GetOperation<Paths, P>>
        ? P
        : never
      : never;
}[keyof Paths];

/** The item type of a paginated path, from the generated response schema. */
export type PaginatedItem<Paths, P extends keyof Paths> = SuccessBody<
  GetOperation<Paths, P>
>['data'][number];

/** Iteration settings shared by every page of one listing. */
export interface IterationOptions {
  /** Fetch page N+1 while the consumer handles page N. */
  prefetch: boolean;
  /** Stop with a `PaginationError` rather than fetch more than this many pages. */
  maxPages: number;
  /** The caller's signal: aborts the page in flight and any prefetched one. */
  signal: AbortSignal | undefined;
}

/** Where pages come from: fetches the page after `cursor` (the first page when undefined). */
export interface PageSource<Item> extends IterationOptions {
  fetchPage(cursor: string | undefined, signal: AbortSignal | undefined): Promise<Page<Item>>;
}

/** One page of a listing. Iterating it yields every item from this page to the last page. */
export class Page<Item> implements AsyncIterable<Item> {
  /** The items, in server order. */
  declare readonly data: Item[];
  /** Whether the server has more items after this page. */
  declare readonly hasMore: boolean;
  /** The id of the first item (`first_id`), or `null`. */
  declare readonly firstId: string | null;
  /** The id of the last item (`last_id`), or `null`. */
  declare readonly lastId: string | null;
  /** The `x-request-id` of the response that carried this page. */
  declare readonly requestId: string | undefined;
  /** The cursor (`after`) this page was requested with; `undefined` for a first page. */
  declare readonly cursor: string | undefined;
  /** The cursor for the next page: `last_id`, else the last item's `id`. */
  declare readonly nextCursor: string | undefined;
  // Private, behind a getter: logs (util.inspect) of a page show its data, not its headers.
  #response: Response;
  #source: PageSource<Item>;

  /** The HTTP response that carried this page (its body is already consumed). */
  get response(): Response {
    return this.#response;
  }

  /** @internal Pages are made by the client; see `listCheckpoints` and `paginate`. */
  constructor(
    body: CursorPageBody,
    response: Response,
    cursor: string | undefined,
    source: PageSource<Item>,
  ) {
    this.data = body.data as unknown as Item[];
    this.hasMore = body.has_more;
    this.firstId = body.first_id ?? null;
    this.lastId = body.last_id ?? null;
    this.requestId = requestIdOf(response);
    this.cursor = cursor;
    this.nextCursor = body.last_id ?? body.data.at(-1)?.id ?? undefined;
    this.#response = response;
    this.#source = source;
  }

  /** Whether the server says there is a next page (`has_more`). */
  hasNextPage(): boolean {
    return this.hasMore;
  }

  /**
   * Fetches the next page. Rejects with a `PaginationError` when there is none, when the server
   * gave no cursor, or when it gave back the cursor of this very page.
   */
  nextPage(): Promise<Page<Item>> {
    const plan = planNext(
      this,
      new Set(this.cursor === undefined ? [] : [this.cursor]),
      1,
      Infinity,
    );
    if ('error' in plan) return Promise.reject(plan.error);
    if ('done' in plan) {
      return Promise.reject(new PaginationError('no-more-pages', 1, 'this is the last page'));
    }
    return this.#source.fetchPage(plan.cursor, this.#source.signal);
  }

  /** Every page from this one to the last (with the source's prefetch and guards). */
  pages(): AsyncGenerator<Page<Item>, void, undefined> {
    return walkPages(() => Promise.resolve(this), this.#source);
  }

  /** Every item from this page to the last page. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return itemsOf(this.pages());
  }
}

/** The `x-request-id` of a response, as the transport read (and scrubbed) it when it can. */
function requestIdOf(response: Response): string | undefined {
  const exchange = exchangeOf(response);
  return exchange ? exchange.requestId : (response.headers.get('x-request-id') ?? undefined);
}

/** The typed `ApiError` for an error response whose body openapi-fetch has read. */
export function apiErrorFromResponse(
  response: Response,
  body: unknown,
  attempts: number,
): ApiError {
  return apiErrorFor({
    status: response.status,
    statusText: response.statusText,
    body,
    headers: response.headers,
    requestId: requestIdOf(response),
    attempts,
    retryAfterMs: serverRetryDelay(response.headers),
  });
}

/**
 * The page a 2xx response carried, its body checked against the cursor-page envelope. The
 * transport's record of the exchange is dropped here: the platform keeps a Response reachable
 * until a full collection, and the record would keep the page's items alive with it.
 */
export function pageOf<Item>(
  body: unknown,
  response: Response,
  attempts: number,
  cursor: string | undefined,
  source: PageSource<Item>,
): Page<Item> {
  const page = new Page<Item>(toCursorPageBody(body, response, attempts), response, cursor, source);
  forgetExchange(response);
  return page;
}

/** Checks a response body against the cursor-page envelope, or throws `InvalidResponseError`. */
function toCursorPageBody(body: unknown, response: Response, attempts: number): CursorPageBody {
  const problem =
    typeof body !== 'object' || body === null
      ? 'the body is not a JSON object'
      : !Array.isArray((body as CursorPageBody).data)
        ? '`data` is not an array'
        : typeof (body as CursorPageBody).has_more !== 'boolean'
          ? '`has_more` is not a boolean'
          : !isOptionalCursor((body as CursorPageBody).last_id) ||
              !isOptionalCursor((body as CursorPageBody).first_id)
            ? '`first_id` / `last_id` is not a string or null'
            : undefined;
  if (problem) {
    throw new InvalidResponseError({
      status: response.status,
      requestId: requestIdOf(response),
      attempts,
      problem,
    });
  }
  return body as CursorPageBody;
}

function isOptionalCursor(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

type NextPlan = { done: true } | { error: PaginationError } | { cursor: string };

/** What comes after `page`: the end, an error that stops a runaway loop, or the next cursor. */
function planNext(
  page: Page<unknown>,
  seen: Set<string>,
  pages: number,
  maxPages: number,
): NextPlan {
  if (!page.hasMore) return { done: true };
  const cursor = page.nextCursor;
  if (cursor === undefined) {
    return {
      error: new PaginationError(
        'missing-cursor',
        pages,
        `the server said has_more after ${pages} page(s) but gave no cursor (no last_id, no items); stopping rather than returning a truncated list`,
      ),
    };
  }
  if (seen.has(cursor)) {
    return {
      error: new PaginationError(
        'repeated-cursor',
        pages,
        `the server repeated cursor ${JSON.stringify(cursor)} after ${pages} page(s); stopping rather than looping`,
      ),
    };
  }
  if (pages >= maxPages) {
    return {
      error: new PaginationError(
        'max-pages',
        pages,
        `reached maxPages (${maxPages}) and the server has more; raise maxPages to read further`,
      ),
    };
  }
  return { cursor };
}

/**
 * Walks the pages from `start`. Guards: `has_more` without a cursor and `maxPages` end the walk
 * with a `PaginationError` after the page that caused it was yielded; a page whose cursor was
 * seen before ends it before that page is yielded.
 * With prefetch, the next page is requested before the current one is yielded; if the consumer
 * stops early, that request is aborted.
 */
async function* walkPages<Item>(
  start: () => Promise<Page<Item>>,
  source: PageSource<Item>,
  wantsNext: (page: Page<Item>) => boolean = () => true,
): AsyncGenerator<Page<Item>, void, undefined> {
  // Each page gets its own controller, linked to the caller's signal by one listener for the
  // whole walk (not one per page), so nothing accumulates on a long-lived signal.
  let inFlight: AbortController | undefined;
  const abortInFlight = () => inFlight?.abort(source.signal?.reason);
  source.signal?.addEventListener('abort', abortInFlight);
  const fetchNext = (cursor: string) => {
    // Without prefetch the walk can only be stopped at `yield`, when nothing is in flight: the
    // caller's signal is enough, and a controller per page would be pure cost.
    if (!source.prefetch) return source.fetchPage(cursor, source.signal);
    const controller = new AbortController();
    inFlight = controller;
    if (source.signal?.aborted) controller.abort(source.signal.reason);
    return source.fetchPage(cursor, controller.signal);
  };
  const seen = new Set<string>();
  try {
    let page = await start();
    for (let pages = 1; ; pages++) {
      if (page.cursor !== undefined) seen.add(page.cursor);
      const plan = planNext(page, seen, pages, source.maxPages);
      // A page that hands back a cursor already followed is a replay: its items were (most
      // likely) delivered already, so it is not yielded; every item arrives exactly once.
      if ('error' in plan && plan.error.problem === 'repeated-cursor') throw plan.error;
      let next: Promise<Page<Item>> | undefined;
      if ('cursor' in plan && source.prefetch && wantsNext(page)) {
        next = fetchNext(plan.cursor);
        // Handled when awaited below; this only stops an "unhandled rejection" while the
        // consumer is still busy with the current page.
        next.catch(() => {});
      }
      yield page;
      if ('done' in plan) return;
      if ('error' in plan) throw plan.error;
      page = await (next ?? fetchNext(plan.cursor));
    }
  } finally {
    source.signal?.removeEventListener('abort', abortInFlight);
    // A prefetched page nobody will read: abort it (a no-op when it already arrived).
    inFlight?.abort();
  }
}

async function* itemsOf<Item>(
  pages: AsyncIterable<Page<Item>>,
): AsyncGenerator<Item, void, undefined> {
  // A plain loop, not `yield* page.data`: delegating to the array's iterator through an async
  // generator costs about twice as much per item.
  for await (const page of pages) for (const item of page.data) yield item;
}

/** Options of `toArray`. */
export interface ToArrayOptions {
  /** Stop once this many items are collected (no page past them is requested). */
  maxItems?: number;
}

/**
 * A listing, lazily: nothing is sent until it is awaited or iterated. `await` gives the first
 * page; `for await` gives every item of every page; `.pages()` every page; `.toArray()` the items.
 */
export class PagePromise<Item> implements PromiseLike<Page<Item>>, AsyncIterable<Item> {
  #source: PageSource<Item>;
  #cursor: string | undefined;
  #problem: unknown;
  #first: Promise<Page<Item>> | undefined;

  /** @internal Made by `listCheckpoints` and `paginate`. `problem` rejects it without a request. */
  constructor(source: PageSource<Item>, cursor: string | undefined, problem?: unknown) {
    this.#source = source;
    this.#cursor = cursor;
    this.#problem = problem;
  }

  #firstPage(): Promise<Page<Item>> {
    this.#first ??=
      this.#problem === undefined
        ? this.#source.fetchPage(this.#cursor, this.#source.signal)
        : Promise.reject(this.#problem);
    return this.#first;
  }

  /** Resolves with the first page (fetched once, however often it is awaited). */
  then<A = Page<Item>, B = never>(
    onFulfilled?: ((page: Page<Item>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  /** Like `Promise.prototype.catch`, on the first page. */
  catch<B = never>(
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<Page<Item> | B> {
    return this.#firstPage().catch(onRejected);
  }

  /** Like `Promise.prototype.finally`, on the first page. */
  finally(onFinally?: (() => void) | null): Promise<Page<Item>> {
    return this.#firstPage().finally(onFinally);
  }

  /** Every page, first to last, with prefetch and the loop guards. */
  pages(): AsyncGenerator<Page<Item>, void, undefined> {
    return walkPages(() => this.#firstPage(), this.#source);
  }

  /** Every item of every page, in server order, each exactly once. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return itemsOf(this.pages());
  }

  /** Collects the items into an array, stopping at `maxItems` without fetching past them. */
  async toArray(options: ToArrayOptions = {}): Promise<Item[]> {
    const { maxItems = Infinity } = checkOptions('toArray options', options);
    if (maxItems !== Infinity) checkInteger('maxItems', maxItems);
    const items: Item[] = [];
    const wantsNext = (page: Page<Item>) => items.length + page.data.length < (maxItems as number);
    for await (const page of walkPages(() => this.#firstPage(), this.#source, wantsNext)) {
      for (const item of page.data) {
        if (items.length >= (maxItems as number)) return items;
        items.push(item);
      }
      if (items.length >= (maxItems as number)) return items;
    }
    return items;
  }

  /** @internal */
  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}

/** Iteration options accepted per call (and as client defaults). */
export interface PaginationOptions {
  /** Fetch page N+1 while the consumer handles page N (default true). */
  prefetch?: boolean;
  /** Stop with a `PaginationError` after this many pages (default 1,000). */
  maxPages?: number;
}

/** Validated iteration options from a call's options object, falling back to `defaults`. */
export function iterationOptions(
  argument: string,
  options: Record<string, unknown>,
  defaults: { prefetch: boolean; maxPages: number },
): IterationOptions {
  return {
    prefetch:
      options.prefetch === undefined
        ? defaults.prefetch
        : checkType<boolean>(`${argument}.prefetch`, options.prefetch, 'boolean'),
    maxPages:
      options.maxPages === undefined
        ? defaults.maxPages
        : checkInteger(`${argument}.maxPages`, options.maxPages),
    signal:
      options.signal === undefined ? undefined : checkSignal(`${argument}.signal`, options.signal),
  };
}

/**
 * The third argument of `paginate`: openapi-fetch's options for a GET of that path (typed
 * `params`, `headers`, `signal`, ...) plus the iteration options.
 */
export type PaginateInit<Paths, P extends keyof Paths> = Omit<
  FetchOptions<GetOperation<Paths, P>>,
  'parseAs' | 'body'
> &
  PaginationOptions;

const PAGINATION_KEYS = ['prefetch', 'maxPages', 'signal'];

/**
 * Paginates any cursor-paginated GET of an openapi-fetch client: every item of every page, in
 * order, with the same guards and prefetch as `listCheckpoints`. With `client.raw` of this
 * package, each page also gets its retries and timeouts.
 *
 * @example
 * for await (const item of paginate(client.raw, '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
 *   params: { path: { fine_tuning_job_id: 'ftjob-abc123' }, query: { limit: 50 } },
 * })) console.log(item.id);
 */
export function paginate<Paths extends {}, P extends PaginatedPath<Paths> & keyof Paths & string>(
  client: Client<Paths>,
  path: P,
  init?: PaginateInit<Paths, P>,
): PagePromise<PaginatedItem<Paths, P>> {
  type Item = PaginatedItem<Paths, P>;
  let source: PageSource<Item> | undefined;
  let cursor: string | undefined;
  try {
    const options = checkOptions('paginate init', init);
    const { params = {}, ...requestInit } = options as Record<string, unknown> & {
      params?: Record<string, unknown>;
    };
    for (const key of PAGINATION_KEYS) delete requestInit[key];
    const query = checkOptions('params.query', (params as { query?: unknown }).query);
    if (query.limit !== undefined) checkInteger('params.query.limit', query.limit);
    if (query.after !== undefined)
      cursor = checkType<string>('params.query.after', query.after, 'string');
    const iteration = iterationOptions('paginate init', options, {
      prefetch: true,
      maxPages: DEFAULT_MAX_PAGES,
    });
    // openapi-fetch's GET is typed per path; here the path is generic, so call it loosely.
    const get = client.GET as unknown as (
      path: string,
      init: Record<string, unknown>,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const pageSource: PageSource<Item> = {
      ...iteration,
      async fetchPage(after, signal) {
        const { data, error, response } = await get(path, {
          ...requestInit,
          params: { ...params, query: after === undefined ? query : { ...query, after } },
          signal,
        });
        const attempts = exchangeOf(response)?.attempts ?? 1;
        if (!response.ok) throw apiErrorFromResponse(response, error, attempts);
        return pageOf<Item>(data, response, attempts, after, pageSource);
      },
    };
    source = pageSource;
  } catch (problem) {
    return new PagePromise<Item>(unusableSource(), undefined, problem);
  }
  return new PagePromise<Item>(source, cursor);
}

/** The source of a listing whose arguments were rejected: it is never asked for a page. */
export function unusableSource<Item>(): PageSource<Item> {
  return {
    prefetch: false,
    maxPages: 1,
    signal: undefined,
    fetchPage: () => Promise.reject(new Error('unreachable: rejected listings fetch nothing')),
  };
}
