// Cursor pagination for any list endpoint of an openapi-fetch client: a Page that is also an
// async iterable, a lazy PagePromise, the loop guards, the least every page and item must be, and
// one-page-ahead prefetch. `listCheckpoints` is this, over the client's own `client.raw`.
import type { Client, FetchOptions, FetchResponse } from 'openapi-fetch';
import {
  checkedSettings,
  LISTING_CHECKS,
  LISTING_DEFAULTS,
  REQUEST_CHECKS,
  REQUEST_DEFAULTS,
  type ListCheckpointsOptions,
  type ListingSettings,
  type PaginationOptions,
  type RequestOptions,
} from './config.js';
import {
  asArgumentError,
  asCheckpointsError,
  errorFromResponse,
  InvalidResponseError,
  outcomeOf,
  PaginationError,
  type CheckpointsError,
} from './errors.js';
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

/** What openapi-fetch answers a call with (its `data` and `error` are not typed here). */
interface Fetched {
  data?: unknown;
  error?: unknown;
  response: Response & { readonly attempts?: number };
}

/** One listing: how its pages are requested, how it walks, and what its errors become. */
interface Listing {
  readonly settings: ListingSettings;
  /**
   * Requests page `number` of the listing: the one after `cursor` (the first when undefined),
   * for at most `remaining` items.
   */
  request(
    cursor: string | undefined,
    signal: AbortSignal | undefined,
    remaining: number,
    number: number,
  ): Promise<Fetched>;
  /** What an error becomes as it leaves the listing: always a `CheckpointsError`. */
  fail(error: unknown): CheckpointsError;
  /** Calls `onAbort` when `signal` aborts; returns how to stop listening. */
  subscribe: Subscribe;
}

/** How a listing listens to its caller's signal: `listenTo`, or a client's one fan-out. */
type Subscribe = (signal: AbortSignal, onAbort: () => void) => () => void;

/** A listener of its own on `signal`, for a listing whose client has no fan-out to share. */
const listenTo: Subscribe = (signal, onAbort) => {
  signal.addEventListener('abort', onAbort);
  return () => signal.removeEventListener('abort', onAbort);
};

/** Keeps `value` on `object` out of logs and `JSON.stringify` (a page's listing, its response). */
function hide(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value });
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
  /**
   * The HTTP response that carried this page: its status, status text, headers and body
   * (scrubbed of the key, when this package's client sent it). Not shown in logs of the page.
   */
  declare readonly response: Response;
  declare private readonly listing: Listing;
  /** This page's number in its listing, 1 for the first. */
  declare private readonly number: number;

  /** @internal Pages are made by `listCheckpoints` and `paginate`. */
  constructor(
    body: CursorPageBody,
    response: Response,
    cursor: string | undefined,
    listing: Listing,
    number: number,
  ) {
    this.data = body.data as unknown as Item[];
    this.hasMore = body.has_more;
    this.firstId = body.first_id ?? null;
    this.lastId = body.last_id ?? null;
    this.requestId = response.headers.get('x-request-id') ?? undefined;
    this.cursor = cursor;
    this.nextCursor = body.last_id ?? body.data.at(-1)?.id ?? undefined;
    hide(this, 'response', response);
    hide(this, 'listing', listing);
    hide(this, 'number', number);
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
    const { listing, number } = this;
    const seen = new Set(this.cursor === undefined ? [] : [this.cursor]);
    const plan = planNext(this, seen, number, Infinity);
    if ('error' in plan) throw plan.error;
    if ('done' in plan) throw new PaginationError('no-more-pages', number, 'this is the last page');
    const { signal } = listing.settings;
    const next = await fetchPage<Item>(listing, plan.cursor, signal, number + 1, Infinity);
    refuseDuplicates(next, idsOf(this), number + 1);
    return next;
  }

  /** Every page from this one to the last (with the listing's prefetch and guards). */
  pages(): AsyncGenerator<Page<Item>, void, undefined> {
    const { listing, number } = this;
    return walkPages(() => Promise.resolve(this), listing, listing.settings.maxItems, number);
  }

  /** Every item from this page to the last page. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return itemsOf(this.pages(), this.listing.settings.maxItems);
  }
}

/**
 * A listing's error named by the page it happened on: an invalid answer says which page (and,
 * from the client's own checks, which item) was wrong.
 */
function onPage(error: unknown, number: number): unknown {
  if (!(error instanceof InvalidResponseError)) return error;
  const { status, requestId, attempts, problem, cause } = error;
  const where = problem.startsWith('item ') ? `page ${number}, ` : `page ${number}: `;
  return new InvalidResponseError({ status, requestId, attempts, problem: where + problem, cause });
}

/**
 * What is wrong with a body as a cursor page: the envelope, an item that is not an object with a
 * non-empty string `id`, or a cursor no URL can hold (a lone surrogate). The least pagination
 * needs, for any path of any client; the client's own checks of the spec's schemas come first.
 */
function pageProblem(body: unknown): string | undefined {
  const page = body as CursorPageBody;
  if (typeof body !== 'object' || body === null) return 'the body is not a JSON object';
  if (!Array.isArray(page.data)) return '`data` is not an array';
  if (typeof page.has_more !== 'boolean') return '`has_more` is not a boolean';
  if (!isCursor(page.first_id) || !isCursor(page.last_id))
    return '`first_id` / `last_id` is not a string or null';
  for (let index = 0; index < page.data.length; index++) {
    const item = page.data[index] as { id?: unknown } | null;
    if (typeof item !== 'object' || !item || typeof item.id !== 'string' || item.id === '')
      return `item ${index}: \`id\`: expected a non-empty string (in an object)`;
  }
  const next = page.last_id ?? page.data.at(-1)?.id;
  if (page.has_more && next !== undefined && !isWellFormed(next))
    return 'its cursor is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

function isCursor(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/** Requests and checks page number `number` of `listing`. */
async function fetchPage<Item>(
  listing: Listing,
  cursor: string | undefined,
  signal: AbortSignal | undefined,
  number: number,
  remaining: number,
): Promise<Page<Item>> {
  let fetched: Fetched;
  try {
    fetched = await listing.request(cursor, signal, remaining, number);
  } catch (error) {
    throw listing.fail(onPage(error, number));
  }
  const { data, error, response } = fetched;
  // The one place where an error status becomes an error.
  if (!response.ok) throw listing.fail(errorFromResponse(response, error));
  const problem = pageProblem(data);
  if (problem) {
    const failure = new InvalidResponseError({ ...outcomeOf(response), problem });
    throw listing.fail(onPage(failure, number));
  }
  return new Page<Item>(data as CursorPageBody, response, cursor, listing, number);
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
  const stop = (problem: 'missing-cursor' | 'repeated-cursor' | 'max-pages', detail: string) => ({
    error: new PaginationError(problem, pages, detail),
  });
  if (cursor === undefined) {
    return stop(
      'missing-cursor',
      `the server said has_more after ${pages} page(s) but gave no cursor (no last_id, no items); stopping rather than returning a truncated list`,
    );
  }
  if (seen.has(cursor)) {
    return stop(
      'repeated-cursor',
      `the server repeated cursor ${JSON.stringify(cursor)} after ${pages} page(s); stopping rather than looping`,
    );
  }
  if (pages >= maxPages) {
    return stop(
      'max-pages',
      `reached maxPages (${maxPages}) and the server has more; raise maxPages to read further`,
    );
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
  listing: Listing,
  maxItems: number,
  first = 1,
): AsyncGenerator<Page<Item>, void, undefined> {
  const { signal, prefetch, maxPages } = listing.settings;
  // With prefetch, the walk's own signal: the caller's, and aborted when the walk ends, so that a
  // prefetched page nobody will read stops (a page that already arrived ignores it). One
  // controller for the whole walk, not one per page, following the caller's signal through the
  // listing's subscription. Without prefetch no page is in flight when a walk ends, and the
  // caller's signal is enough: a signal on every page's Request costs (measured: 7 % of the CPU
  // of a page of 10).
  const walk = prefetch ? new AbortController() : undefined;
  const forwardAbort = () => walk?.abort(signal?.reason);
  if (signal?.aborted) forwardAbort();
  const unsubscribe = walk && signal && listing.subscribe(signal, forwardAbort);
  const fetchNext = (cursor: string, number: number, remaining: number) =>
    fetchPage<Item>(listing, cursor, walk ? walk.signal : signal, number, remaining);
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
    unsubscribe?.();
    walk?.abort();
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
  declare private readonly listing: Listing;
  declare private readonly cursor: string | undefined;
  declare private first: Promise<Page<Item>> | undefined;

  /** @internal Made by `listCheckpoints` and `paginate`. */
  constructor(listing: Listing, cursor: string | undefined) {
    hide(this, 'listing', listing);
    hide(this, 'cursor', cursor);
    Object.defineProperty(this, 'first', { value: undefined, writable: true });
  }

  /** The first page, fetched once however often it is asked for (unless `maxItems` lowers it). */
  private firstPage(maxItems = this.listing.settings.maxItems): Promise<Page<Item>> {
    const { listing, cursor } = this;
    const { signal, maxItems: bound } = listing.settings;
    if (maxItems < bound && this.first === undefined)
      return fetchPage<Item>(listing, cursor, signal, 1, maxItems);
    this.first ??= fetchPage<Item>(listing, cursor, signal, 1, bound);
    return this.first;
  }

  /** Resolves with the first page (fetched once, however often it is awaited). */
  then<A = Page<Item>, B = never>(
    onFulfilled?: ((page: Page<Item>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.firstPage().then(onFulfilled, onRejected);
  }

  /** Like `Promise.prototype.catch`, on the first page. */
  catch<B = never>(
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<Page<Item> | B> {
    return this.firstPage().catch(onRejected);
  }

  /** Like `Promise.prototype.finally`, on the first page. */
  finally(onFinally?: (() => void) | null): Promise<Page<Item>> {
    return this.firstPage().finally(onFinally);
  }

  /**
   * Every page, first to last, with prefetch and the loop guards; with `maxItems`, pages until
   * that many items arrived (the last one may hold more, if the server sent more than asked).
   */
  pages(options: ToArrayOptions = {}): AsyncGenerator<Page<Item>, void, undefined> {
    return this.walk(this.maxItems(options));
  }

  private walk(maxItems: number): AsyncGenerator<Page<Item>, void, undefined> {
    return walkPages(() => this.firstPage(maxItems), this.listing, maxItems);
  }

  /** Every item of every page, in server order, each exactly once. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const { maxItems } = this.listing.settings;
    return itemsOf(this.walk(maxItems), maxItems);
  }

  /** Collects the items into an array, stopping at `maxItems` without fetching past them. */
  async toArray(options: ToArrayOptions = {}): Promise<Item[]> {
    const maxItems = this.maxItems(options);
    const items: Item[] = [];
    for await (const item of itemsOf(this.walk(maxItems), maxItems)) items.push(item);
    return items;
  }

  /** `maxItems` of `options`, checked, within the listing's own. */
  private maxItems(options: ToArrayOptions): number {
    const { maxItems } = checkOptions('toArray options', options, ['maxItems']);
    const bound = this.listing.settings.maxItems;
    return maxItems === undefined ? bound : Math.min(checkInteger('maxItems', maxItems), bound);
  }

  /** @internal */
  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}

/**
 * The third argument of `paginate`: openapi-fetch's options for a GET of that path (typed
 * `params`, `headers`, `signal`, ...), the iteration options, and (with `client.raw` of this
 * package) the request options `maxRetries`, `timeoutMs` and `maxResponseBytes`.
 */
export type PaginateInit<Paths, P extends keyof Paths> = Omit<
  FetchOptions<GetOperation<Paths, P>>,
  'parseAs' | 'body'
> &
  PaginationOptions &
  RequestOptions &
  Pick<ListCheckpointsOptions, 'maxItems'>;

/** How an entry point names its arguments in errors, and what its errors become. */
export interface ListingCall {
  /** The name of the query in errors: `params.query` for paginate, `query` for listCheckpoints. */
  readonly query: string;
  /** The name of the options: `paginate init`, `options`. */
  readonly options: string;
  /** The listing defaults: the package's for paginate, the client's for listCheckpoints. */
  readonly defaults: ListingSettings;
  /** What an error becomes as it leaves. */
  readonly fail: (error: unknown) => CheckpointsError;
  /** How the listing listens to the caller's signal (the client's fan-out, or a listener). */
  readonly subscribe?: Subscribe;
}

const PAGINATE_CALL: ListingCall = {
  query: 'params.query',
  options: 'paginate init',
  defaults: LISTING_DEFAULTS,
  fail: asCheckpointsError,
};

/**
 * Paginates any cursor-paginated GET of an openapi-fetch client: every item of every page, in
 * order, with the loop guards, prefetch, and the least every item must be (an object with a
 * non-empty string `id`). With `client.raw` of this package, each page also gets its retries,
 * timeouts, key scrubbing and, for an operation of the spec, the check of its items against the
 * spec's schemas.
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
  return listing(client, path, init, PAGINATE_CALL);
}

/**
 * `paginate`, with the names and defaults of `call`: the one listing path, which
 * `listCheckpoints` takes too. Arguments are checked here, once, before anything is sent.
 */
export function listing<Item>(
  client: Client<any>,
  path: string,
  init: unknown,
  call: ListingCall,
): PagePromise<Item> {
  try {
    const given = checkOptions(call.options, init);
    // What is not a listing option (nor `params`) goes with each page's request.
    const { params = {}, prefetch, maxPages, maxItems, signal, ...requestInit } = given;
    const prefix = `${call.options}.`;
    const settings = checkedSettings(LISTING_CHECKS, call.defaults, given, prefix);
    // The request options travel with each page's request; checked here, before anything is sent.
    checkedSettings(REQUEST_CHECKS, REQUEST_DEFAULTS, requestInit, prefix);
    const { query: givenQuery, ...rest } = checkOptions('params', params);
    const query = checkOptions(call.query, givenQuery) as { limit?: number; after?: string };
    if (query.limit !== undefined) checkInteger(`${call.query}.limit`, query.limit);
    if (query.after !== undefined) checkQueryString(`${call.query}.after`, query.after);
    // openapi-fetch's GET is typed per path; here the path is generic, so call it loosely.
    const get = client.GET as (path: string, init: Record<string, unknown>) => Promise<Fetched>;
    const subscribe = call.subscribe ?? listenTo;
    const pages: Listing = {
      settings,
      request(cursor, pageSignal, remaining, number) {
        // The Request follows a signal of its own, which follows the walk's or the caller's
        // through one subscription, dropped when the page is in. A fetch Request that follows a
        // signal adds a listener to it that stays until the Request is collected: a long walk
        // on one signal piled up thousands (measured: Node's MaxListenersExceededWarning past
        // 1,500, and a 1,000,000-checkpoint walk at 56 MB instead of 21). No signal at all
        // unless there is one to follow: a Request that follows one costs more.
        const page = pageSignal && new AbortController();
        const stop = page && subscribe(pageSignal, () => page.abort(pageSignal.reason));
        if (pageSignal?.aborted) page!.abort(pageSignal.reason);
        let fetched: Promise<Fetched>;
        try {
          fetched = get(path, {
            ...requestInit,
            params: { ...rest, query: pageQuery(query, cursor, remaining) },
            ...(page && { signal: page.signal }),
            // A later page: the client's scheduler serves walks under way before new listings.
            ...(number > 1 && { continuing: true }),
          });
        } catch (error) {
          // Another client's GET may throw rather than reject: the subscription goes all the same.
          stop?.();
          throw error;
        }
        return stop ? fetched.finally(stop) : fetched;
      },
      fail: call.fail,
      subscribe,
    };
    return new PagePromise<Item>(pages, query.after);
  } catch (problem) {
    return refusedListing(call.fail(asArgumentError(problem)));
  }
}

/**
 * A listing refused before anything was sent: its every request rejects with `error` (its first
 * page, and so every walk), and none is made.
 */
export function refusedListing<Item>(error: CheckpointsError): PagePromise<Item> {
  const refused: Listing = {
    settings: LISTING_DEFAULTS,
    request: () => Promise.reject(error),
    fail: (failure) => failure as CheckpointsError,
    subscribe: listenTo,
  };
  return new PagePromise<Item>(refused, undefined);
}

/**
 * The query of a page: `after` the cursor, `limit` lowered to what is still needed (the one
 * exception to "the limit is kept across pages", so that a bounded listing asks for no more).
 */
function pageQuery<Query extends { limit?: number | undefined }>(
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
