// Pins what docs/design.md promises about longer cycles (these pass before and after any change;
// they are here so that they keep passing): a cursor cycle of any length ends, by
// `repeated-cursor` or by `maxPages`, without delivering an item twice; and the duplicate guard's
// window is two pages: an item repeated from the same or the previous page stops the walk, one
// from further back is delivered, as documented.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaginationError } from '../src/index.js';
import { checkpoint, sendJson, serverPool } from './helpers/http.js';
import { clientFor, JOB } from './helpers/client.js';

const serve = serverPool('file');

/** What the page server serves: the items of each page, and which page each page's cursor names. */
interface Book {
  pages: string[][];
  next: number[];
}

/** Serves `book`: no `after` is page 0; `after=p<i>` is page i, whose `last_id` names its next. */
function bookServer(book: () => Book) {
  return serve((req, res) => {
    const after = new URL(req.url!, 'http://x').searchParams.get('after');
    const index = after === null ? 0 : Number(after.slice(1));
    const { pages, next } = book();
    const data = pages[index]!.map((id, step) => checkpoint(id, step));
    sendJson(res, 200, { object: 'list', data, has_more: true, last_id: `p${next[index]}` });
  });
}

describe('a cursor cycle of any length', () => {
  it('ends by repeated-cursor or maxPages, each item delivered at most once (property)', async () => {
    let book: Book = { pages: [], next: [] };
    const server = await bookServer(() => book);
    const scenario = fc
      .record({
        pages: fc.integer({ min: 1, max: 30 }),
        perPage: fc.integer({ min: 1, max: 3 }),
        maxPages: fc.integer({ min: 1, max: 40 }),
        prefetch: fc.boolean(),
      })
      .chain((shape) =>
        // The last page points back at page `back` (1..pages-1; 0 has no cursor to repeat, so a
        // one-page book points at itself through `p0`).
        fc.integer({ min: 0, max: shape.pages - 1 }).map((back) => ({ ...shape, back })),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pages, perPage, maxPages, prefetch, back }) => {
        book = {
          pages: Array.from({ length: pages }, (_, page) =>
            Array.from({ length: perPage }, (_, item) => `ftckpt_${page}_${item}`),
          ),
          next: Array.from({ length: pages }, (_, page) => (page + 1 < pages ? page + 1 : back)),
        };
        server.requests.length = 0;
        const delivered: string[] = [];
        let ended: unknown;
        try {
          const listing = clientFor(server, { maxPages, prefetch }).listCheckpoints(JOB);
          for await (const item of listing) delivered.push(item.id);
        } catch (error) {
          ended = error;
        }
        expect(ended).toBeInstanceOf(PaginationError);
        expect(['repeated-cursor', 'max-pages']).toContain((ended as PaginationError).problem);
        expect(new Set(delivered).size).toBe(delivered.length);
        // Never more requests than pages allowed, plus at most one prefetched page.
        expect(server.requests.length).toBeLessThanOrEqual(Math.min(maxPages, pages + 1) + 1);
      }),
      { numRuns: 80 },
    );
  });
});

describe('the duplicate guard’s window', () => {
  it('stops at a repeat from the same or the previous page, delivers one from further back (property)', async () => {
    let book: Book = { pages: [], next: [] };
    const server = await bookServer(() => book);
    const scenario = fc.record({
      pages: fc.integer({ min: 2, max: 8 }),
      gap: fc.integer({ min: 0, max: 7 }),
      prefetch: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pages, gap, prefetch }) => {
        fc.pre(gap < pages);
        const last = pages - 1;
        const ids = Array.from({ length: pages }, (_, page) => [
          `ftckpt_${page}_a`,
          `ftckpt_${page}_b`,
        ]);
        // The last page repeats the first item of the page `gap` pages before it (0: itself).
        ids[last]!.push(ids[last - gap]![0]!);
        // Each page points at the next; the last at a page that ends the walk.
        book = {
          pages: [...ids, []],
          next: Array.from({ length: pages + 1 }, (_, page) => page + 1),
        };
        server.requests.length = 0;
        const delivered: string[] = [];
        let ended: unknown;
        try {
          // The empty page after the last still says has_more: maxPages ends the walk there.
          const listing = clientFor(server, { maxPages: pages + 1, prefetch }).listCheckpoints(JOB);
          for await (const item of listing) delivered.push(item.id);
        } catch (error) {
          ended = error;
        }
        const repeated = ids[last - gap]![0]!;
        if (gap <= 1) {
          expect(ended).toMatchObject({ name: 'PaginationError', problem: 'duplicate-item' });
          // A page with a repeat is not delivered: on the same page, neither copy arrives.
          expect(delivered.filter((id) => id === repeated)).toHaveLength(gap === 0 ? 0 : 1);
        } else {
          expect(ended).toMatchObject({ name: 'PaginationError', problem: 'max-pages' });
          expect(delivered.filter((id) => id === repeated)).toHaveLength(2);
        }
      }),
      { numRuns: 100 },
    );
  });
});
