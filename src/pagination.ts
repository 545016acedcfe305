// Cursor pagination for any list endpoint in the spec: a Page that is also an async iterable, a
// lazy PagePromise, the loop guards, the item checks and one-page-ahead prefetch. No HTTP: pages
// come from a `PageSource`, which fetches a page's body however its client does.
import type { Client, FetchOptions, FetchResponse } from 'openapi-fetch';
import {
  CALL_DEFAULTS,
  resolveCall,
  type CallConfig,
  type ListCheckpointsOptions,
  type PaginationOptions,
} from './config.js';
import {
  asArgumentError,
  asCheckpointsError,
  errorFromResponse,
  InvalidResponseError,
  PaginationError,
} from './errors.js';
import { idProblem } from './shape.js';
import { checkInteger, checkOptions, checkQueryString, isWellFormed } from './validate.js';

/** The list envelope a paginated endpoint answers with (OpenAI's cursor pages). */
export interface CursorPageBody {
  /** The page's items, each with its `id`. */
  data: ReadonlyArray<{
    /** The item's id, which the next page's `after` may name. */
    id: string;
  }>;
  /** Whether a page follows this one. */
  has_more: boolean;
  /** The first item's id, when the server sends it. */
  first_id?: string | null;
  /** The last item's id, the cursor for the next page, when the server sends it. */
  last_id?: string | null;
}

/** The GET operation of path `P`, or `never`. */
type GetOperation<Paths, P extends keyof Paths> = Paths[P] extends { get: infer Op } ? Op : never;
/** The JSON body of an operation's success response, as openapi-fetch types it. */
type SuccessBody<Op> = NonNullable<
  FetchResponse<Op & Record<string | number, any>, {}, `${string}/${string}`>['data']
>;
/** The query parameters of an operation, or `never`. */
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

/** A page's body as its client fetched it, and what is known of the response that carried it. */
export interface FetchedPage {
  body: unknown;
  status: number;
  requestId: string | undefined;
  attempts: number;
  /** The response, for `page.response`: made when first asked for. */
  response: () => Response;
}

/**
 * Where the pages of one listing come from. `fetchPage` gets the page after `cursor` (the first
 * page when undefined), asking for at most `remaining` items (`Infinity`: no bound); it rejects
 * with a `CheckpointsError`. `itemProblem` says what is wrong with an item, if anything.
 */
export interface PageSource {
  readonly call: Pick<CallConfig, 'prefetch' | 'maxPages' | 'maxItems' | 'signal'>;
  fetchPage(
    cursor: string | undefined,
    signal: AbortSignal | undefined,
    remaining: number,
  ): Promise<FetchedPage>;
  itemProblem(item: unknown): string | undefined;
}

/**
 * The query of a page: `after` the cursor, `limit` lowered to what is still needed (the one
 * exception to "the limit is kept across pages", so that a bounded listing asks for no more).
 */
export function pageQuery<Query extends { limit?: number | undefined }>(
  query: Query,
  cursor: string | undefined,
  remaining: number,
): Query {
  const lower = query.limit !== undefined && remaining < query.limit;
  return {
    ...query,
    ...(cursor === undefined ? {} : { after: cursor }),
    ...(lower ? { limit: remaining } : {}),
  };
}

/**
 * One page of a listing. Iterating it yields every item from this page to the last page.
 *
 * @example
 * ```ts
 * const page = await client.listCheckpoints('ftjob-abc123', { limit: 20 });
 * console.log(page.data.length, page.hasMore, page.requestId);
 * if (page.hasNextPage()) await page.nextPage();
 * ```
 */
export class Page<Item> implements AsyncIterable<Item> {
  /** The items, in server order, each checked. */
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
  // Private, behind getters: logs (util.inspect) of a page show its data, not its headers.
  #response: (() => Response) | Response;
  #source: PageSource;
  #number: number;

  /**
   * The HTTP response that carried this page: its status, status text and headers (scrubbed of
   * the key, when this package sent it), no body (the page holds it, parsed).
   */
  get response(): Response {
    if (typeof this.#response === 'function') this.#response = this.#response();
    return this.#response;
  }

  /** @internal Pages are made by the client; see `listCheckpoints` and `paginate`. */
  constructor(
    body: CursorPageBody,
    fetched: FetchedPage,
    cursor: string | undefined,
    source: PageSource,
    number: number,
  ) {
    this.data = body.data as unknown as Item[];
    this.hasMore = body.has_more;
    this.firstId = body.first_id ?? null;
    this.lastId = body.last_id ?? null;
    this.requestId = fetched.requestId;
    this.cursor = cursor;
    this.nextCursor = body.last_id ?? body.data.at(-1)?.id ?? undefined;
    this.#response = fetched.response;
    this.#source = source;
    this.#number = number;
  }

  /** Whether the server says there is a next page (`has_more`). */
  hasNextPage(): boolean {
    return this.hasMore;
  }

  /**
   * Fetches the next page. Rejects with a `PaginationError` when there is none, when the server
   * gave no cursor, when it gave back the cursor of this very page, or when the next page repeats
   * an item of this one.
   */
  async nextPage(): Promise<Page<Item>> {
    // Errors name this page's own number in its listing, not the pages of this one call.
    const number = this.#number;
    const plan = planNext(
      this,
      new Set(this.cursor === undefined ? [] : [this.cursor]),
      number,
      Infinity,
    );
    if ('error' in plan) throw plan.error;
    if ('done' in plan) throw new PaginationError('no-more-pages', number, 'this is the last page');
    const next = await fetchPage<Item>(
      this.#source,
      plan.cursor,
      this.#source.call.signal,
      number + 1,
    );
    refuseDuplicates(next, idsOf(this), number + 1);
    return next;
  }

  /** Every page from this one to the last (with the source's prefetch and guards). */
  pages(): AsyncGenerator<Page<Item>, void, undefined> {
    return walkPages(
      () => Promise.resolve(this),
      this.#source,
      this.#source.call.maxItems,
      this.#number,
    );
  }

  /** Every item from this page to the last page. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return itemsOf(this.pages(), this.#source.call.maxItems);
  }
}

/** Fetches and checks page number `number` of `source`: the envelope, then every item. */
async function fetchPage<Item>(
  source: PageSource,
  cursor: string | undefined,
  signal: AbortSignal | undefined,
  number: number,
  remaining = Infinity,
): Promise<Page<Item>> {
  const fetched = await source.fetchPage(cursor, signal, remaining);
  const { body, status, requestId, attempts } = fetched;
  const invalid = (problem: string) =>
    new InvalidResponseError({ status, requestId, attempts, problem });
  const problem = envelopeProblem(body);
  if (problem) throw invalid(problem);
  const { data, has_more, last_id } = body as CursorPageBody;
  for (let index = 0; index < data.length; index++) {
    const itemProblem = source.itemProblem(data[index]);
    if (itemProblem) throw invalid(`page ${number}, item ${index}: ${itemProblem}`);
  }
  // The next request's `after`: no URL can carry a lone surrogate, and no retry mends it.
  const next = last_id ?? data.at(-1)?.id;
  if (has_more && next !== undefined && !isWellFormed(next))
    throw invalid(`page ${number}: its cursor is not well-formed Unicode (a lone surrogate)`);
  return new Page<Item>(body as CursorPageBody, fetched, cursor, source, number);
}

/** What is wrong with a body as a cursor-page envelope, or `undefined`. */
function envelopeProblem(body: unknown): string | undefined {
  const page = body as CursorPageBody;
  return typeof body !== 'object' || body === null
    ? 'the body is not a JSON object'
    : !Array.isArray(page.data)
      ? '`data` is not an array'
      : typeof page.has_more !== 'boolean'
        ? '`has_more` is not a boolean'
        : !isOptionalCursor(page.last_id) || !isOptionalCursor(page.first_id)
          ? '`first_id` / `last_id` is not a string or null'
          : undefined;
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
  // A string: `last_id` and every item id are checked to be strings before a page exists.
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

function idsOf(page: Page<unknown>): Set<string> {
  return new Set((page.data as { id: string }[]).map((item) => item.id));
}

/**
 * Refuses a page with an item whose id came earlier on it or on the page before (`previous`):
 * overlapping pages are the common server bug. Two pages of ids are all it keeps, so memory stays
 * flat; an item repeated from further back is not caught. Returns this page's ids.
 */
function refuseDuplicates(page: Page<unknown>, previous: Set<string>, pages: number): Set<string> {
  const ids = new Set<string>();
  for (const { id } of page.data as { id: string }[]) {
    if (ids.has(id) || previous.has(id)) {
      throw new PaginationError(
        'duplicate-item',
        pages,
        `the server sent item ${JSON.stringify(id)} twice (page ${pages}); stopping rather than delivering it again`,
      );
    }
    ids.add(id);
  }
  return ids;
}

/**
 * Walks the pages from `start` (page number `first`), up to `maxItems` items. Guards: `has_more`
 * without a cursor and `maxPages` end the walk with a `PaginationError` after the page that
 * caused it was yielded; a page whose cursor was seen before, or that repeats an item, ends it
 * before that page is yielded. With prefetch, the next page is requested before the current one
 * is yielded; if the consumer stops early, that request is aborted.
 */
async function* walkPages<Item>(
  start: () => Promise<Page<Item>>,
  source: PageSource,
  maxItems: number,
  first = 1,
): AsyncGenerator<Page<Item>, void, undefined> {
  const { signal, prefetch, maxPages } = source.call;
  // The walk's own signal: the caller's, and aborted when the walk ends, so that a prefetched page
  // nobody will read stops (a page that already arrived ignores it). One controller and one
  // listener on the caller's signal for the whole walk, not one per page: nothing accumulates.
  const walk = new AbortController();
  const forwardAbort = () => walk.abort(signal?.reason);
  if (signal?.aborted) forwardAbort();
  signal?.addEventListener('abort', forwardAbort);
  const fetchNext = (cursor: string, number: number, remaining: number) =>
    fetchPage<Item>(source, cursor, walk.signal, number, remaining);
  const seen = new Set<string>();
  let previousIds = new Set<string>();
  let delivered = 0;
  try {
    let page = await start();
    for (let pages = 1, number = first; ; pages++, number++) {
      if (page.cursor !== undefined) seen.add(page.cursor);
      const plan = planNext(page, seen, pages, maxPages);
      // A page that hands back a cursor already followed is a replay: its items were (most
      // likely) delivered already, so it is not yielded; every item arrives exactly once.
      if ('error' in plan && plan.error.problem === 'repeated-cursor') throw plan.error;
      previousIds = refuseDuplicates(page, previousIds, number);
      delivered += page.data.length;
      const remaining = maxItems - delivered;
      if (remaining <= 0) {
        yield page;
        return;
      }
      let next: Promise<Page<Item>> | undefined;
      if ('cursor' in plan && prefetch) {
        next = fetchNext(plan.cursor, number + 1, remaining);
        // Handled when awaited below; this only stops an "unhandled rejection" while the
        // consumer is still busy with the current page.
        next.catch(() => {});
      }
      yield page;
      if ('done' in plan) return;
      if ('error' in plan) throw plan.error;
      page = await (next ?? fetchNext(plan.cursor, number + 1, remaining));
    }
  } finally {
    signal?.removeEventListener('abort', forwardAbort);
    walk.abort();
  }
}

async function* itemsOf<Item>(
  pages: AsyncIterable<Page<Item>>,
  maxItems: number,
): AsyncGenerator<Item, void, undefined> {
  let count = 0;
  // A plain loop, not `yield* page.data`: delegating to the array's iterator through an async
  // generator costs about twice as much per item.
  for await (const page of pages) {
    for (const item of page.data) {
      if (count++ >= maxItems) return;
      yield item;
    }
  }
}

/** Options of `toArray` and `pages`. */
export interface ToArrayOptions {
  /**
   * Stop once this many items are collected: no page past them is requested, and the last
   * request asks only for what is still needed (`limit` lowered to the remainder).
   */
  maxItems?: number | undefined;
}

/**
 * A listing, lazily: nothing is sent until it is awaited or iterated. `await` gives the first
 * page; `for await` gives every item of every page; `.pages()` every page; `.toArray()` the items.
 *
 * @example
 * ```ts
 * const listing = client.listCheckpoints('ftjob-abc123', { limit: 100 });
 * const first = await listing; // the first page
 * for await (const checkpoint of listing) console.log(checkpoint.id); // every item
 * const newest = await listing.toArray({ maxItems: 50 });
 * ```
 */
export class PagePromise<Item> implements PromiseLike<Page<Item>>, AsyncIterable<Item> {
  #source: PageSource;
  #cursor: string | undefined;
  #problem: unknown;
  #first: Promise<Page<Item>> | undefined;

  /** @internal Made by `listCheckpoints` and `paginate`. `problem` rejects it without a request. */
  constructor(source: PageSource, cursor: string | undefined, problem?: unknown) {
    this.#source = source;
    this.#cursor = cursor;
    this.#problem = problem;
  }

  /** The first page, fetched once however often it is asked for (unless `maxItems` lowers it). */
  #firstPage(maxItems = this.#source.call.maxItems): Promise<Page<Item>> {
    if (this.#problem !== undefined) return Promise.reject(this.#problem);
    const source = this.#source;
    if (maxItems < source.call.maxItems && this.#first === undefined) {
      return fetchPage<Item>(source, this.#cursor, source.call.signal, 1, maxItems);
    }
    this.#first ??= fetchPage<Item>(
      source,
      this.#cursor,
      source.call.signal,
      1,
      source.call.maxItems,
    );
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

  /**
   * Every page, first to last, with prefetch and the loop guards; with `maxItems`, pages until
   * that many items arrived (the last one may hold more, if the server sent more than asked).
   */
  pages(options: ToArrayOptions = {}): AsyncGenerator<Page<Item>, void, undefined> {
    return this.#walk(this.#maxItems(options));
  }

  #walk(maxItems: number): AsyncGenerator<Page<Item>, void, undefined> {
    return walkPages(() => this.#firstPage(maxItems), this.#source, maxItems);
  }

  /** Every item of every page, in server order, each exactly once. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const { maxItems } = this.#source.call;
    return itemsOf(this.#walk(maxItems), maxItems);
  }

  /** Collects the items into an array, stopping at `maxItems` without fetching past them. */
  async toArray(options: ToArrayOptions = {}): Promise<Item[]> {
    const maxItems = this.#maxItems(options);
    const items: Item[] = [];
    for await (const item of itemsOf(this.#walk(maxItems), maxItems)) items.push(item);
    return items;
  }

  /** `maxItems` of `options`, checked, within the listing's own. */
  #maxItems(options: ToArrayOptions): number {
    const { maxItems } = checkOptions('toArray options', options, ['maxItems']);
    if (maxItems === undefined) return this.#source.call.maxItems;
    return Math.min(checkInteger('maxItems', maxItems), this.#source.call.maxItems);
  }

  /** @internal */
  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}

/**
 * The third argument of `paginate`: openapi-fetch's options for a GET of that path (typed
 * `params`, `headers`, `signal`, ...) plus the iteration options.
 */
export type PaginateInit<Paths, P extends keyof Paths> = Omit<
  FetchOptions<GetOperation<Paths, P>>,
  'parseAs' | 'body'
> &
  PaginationOptions &
  Pick<ListCheckpointsOptions, 'maxItems'>;

/**
 * Paginates any cursor-paginated GET of an openapi-fetch client: every item of every page, in
 * order, with the same guards, item checks (an object with a non-empty string `id`) and prefetch
 * as `listCheckpoints`. With `client.raw` of this package, each page also gets its retries,
 * timeouts and key scrubbing.
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
  try {
    const options = checkOptions('paginate init', init);
    const {
      params = {},
      prefetch,
      maxPages,
      maxItems,
      signal,
      ...requestInit
    } = options as Record<string, unknown> & { params?: Record<string, unknown> };
    const call = resolveCall(
      CALL_DEFAULTS,
      { prefetch, maxPages, maxItems, signal },
      'paginate init',
    );
    const query = checkOptions('params.query', params.query) as { limit?: number; after?: string };
    if (query.limit !== undefined) checkInteger('params.query.limit', query.limit);
    if (query.after !== undefined) checkQueryString('params.query.after', query.after);
    // openapi-fetch's GET is typed per path; here the path is generic, so call it loosely.
    const get = client.GET as unknown as (
      path: string,
      init: Record<string, unknown>,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const source: PageSource = {
      call,
      itemProblem: idProblem,
      async fetchPage(cursor, pageSignal, remaining) {
        try {
          const { data, error, response } = await get(path, {
            ...requestInit,
            params: { ...params, query: pageQuery(query, cursor, remaining) },
            signal: pageSignal ?? null,
          });
          if (!response.ok) throw errorFromResponse(response, error);
          // `attempts`: set on the responses of this package's transport (client.raw).
          const { attempts = 1 } = response as { attempts?: number };
          const requestId = response.headers.get('x-request-id') ?? undefined;
          return {
            body: data,
            status: response.status,
            requestId,
            attempts,
            response: () => response,
          };
        } catch (failure) {
          throw asCheckpointsError(failure);
        }
      },
    };
    return new PagePromise<Item>(source, query.after);
  } catch (problem) {
    return new PagePromise<Item>(unusableSource(), undefined, asArgumentError(problem));
  }
}

/** The source of a listing whose arguments were rejected: it is never asked for a page. */
export function unusableSource(): PageSource {
  return {
    call: { prefetch: false, maxPages: 1, maxItems: Infinity, signal: undefined },
    fetchPage: () => Promise.reject(new Error('unreachable: rejected listings fetch nothing')),
    itemProblem: () => undefined,
  };
}
