/**
 * Reading a job's checkpoints for a command: the listing with the CLI's settings, and a walk
 * over its pages that checks each page before it is shown and keeps the progress line up to date.
 */
import type {
  CheckpointsClient,
  FineTuningJobCheckpoint as Checkpoint,
  PagePromise,
} from '../index.js';
import { clientFor, FULL_SCAN_LIMIT, hostOf } from './api.js';
import type { ApiSettings, JobSettings } from './args.js';
import { displayableChecker } from './displayable.js';
import type { CliIO } from './io.js';
import type { Progress } from './progress.js';

/** How a command reads: every page (100 per page unless `--limit`) or the first one. */
export interface ListingOptions {
  /** Reading every page: ask for {@link FULL_SCAN_LIMIT} per page unless `--limit` is given. */
  fullScan: boolean;
  /** Fetch the next page while this one is handled (default true; `watch` pages only on need). */
  prefetch?: boolean;
}

/**
 * The listing of `settings.jobId`. Nothing is requested until it is awaited or iterated.
 *
 * @throws {@link UsageError} when `OPENAI_API_KEY` is unset.
 */
export function listingOf(
  settings: JobSettings,
  command: string,
  io: CliIO,
  options: ListingOptions,
): PagePromise<Checkpoint> {
  return listingWith(clientFor(settings, command, io), settings, io, options);
}

/** {@link listingOf} with a client of the caller's (`watch` makes one for all its polls). */
export function listingWith(
  client: CheckpointsClient,
  settings: JobSettings,
  io: CliIO,
  options: ListingOptions,
): PagePromise<Checkpoint> {
  const limit = settings.limit ?? (options.fullScan ? FULL_SCAN_LIMIT : undefined);
  return client.listCheckpoints(settings.jobId, limit === undefined ? {} : { limit }, {
    signal: io.signal,
    // Reading every page means every page: the client's default page cap (a guard for library
    // loops) would make a large job fail half-way. Cursor-loop detection stays on.
    maxPages: Number.MAX_SAFE_INTEGER,
    ...(options.prefetch === false ? { prefetch: false } : {}),
  });
}

/**
 * Every page of `list`, checked ({@link displayableChecker}), with the waiting line before the
 * first page and "page N · M checkpoints" after each. Stopping the loop stops the requests.
 * With `maxItems`, the library asks for just the pages that many need, the last one sized to
 * fit, and what a server sends past them is neither shown nor checked.
 */
export async function* checkedPages(
  list: PagePromise<Checkpoint>,
  settings: ApiSettings,
  progress: Progress,
  maxItems?: number,
): AsyncGenerator<{ items: Checkpoint[]; hasMore: boolean }, void, undefined> {
  const checkDisplayable = displayableChecker();
  let pages = 0;
  let count = 0;
  progress.waiting(hostOf(settings));
  for await (const page of list.pages(maxItems === undefined ? {} : { maxItems })) {
    pages++;
    const wanted = maxItems === undefined ? page.data : page.data.slice(0, maxItems - count);
    const items = checkDisplayable(wanted, pages);
    count += items.length;
    progress.update(pages, count);
    yield { items, hasMore: page.hasMore };
  }
}

/** `n checkpoint(s)`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
