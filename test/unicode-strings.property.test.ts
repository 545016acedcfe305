// Strings that are not well-formed Unicode (a lone surrogate) cannot be put in a URL. From the
// caller (`after`, any query value of client.raw) they are an InvalidArgumentError with nothing
// sent; from the server (a cursor) an InvalidResponseError. Neither is retried, and neither is
// the ConnectionError ("URI malformed") that code retrying connection errors would loop on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidResponseError, paginate } from '../src/index.js';
import { checkpoint, pageBody, sendJson, serverPool } from './helpers/http.js';
import { clientFor, JOB, PATH } from './helpers/client.js';
import { rejectionOf } from './helpers/outcomes.js';

const serve = serverPool('file');

/** Any UTF-16 string, lone surrogates included (fast-check's own strings are well-formed). */
const utf16 = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((units) => String.fromCharCode(...units));
const isWellFormed = (text: string) => !/\p{Surrogate}/u.test(text);

describe("the caller's strings", () => {
  it('an `after` of any UTF-16 is sent exactly, or refused with nothing sent (property)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, pageBody([], false)));
    await fc.assert(
      fc.asyncProperty(
        utf16,
        fc.constantFrom('listCheckpoints', 'paginate', 'raw'),
        async (after, via) => {
          server.requests.length = 0;
          const client = clientFor(server, { maxRetries: 3 });
          const params = { path: { fine_tuning_job_id: JOB }, query: { after } };
          const outcome =
            via === 'listCheckpoints'
              ? client.listCheckpoints(JOB, { after })
              : via === 'paginate'
                ? paginate(client.raw, PATH, { params })
                : client.raw.GET(PATH, { params });
          const result = await Promise.resolve(outcome).then(
            () => 'sent',
            (error: unknown) => error,
          );
          if (isWellFormed(after)) {
            expect(result).toBe('sent');
            expect(server.requests.map((seen) => seen.query.get('after'))).toEqual([after]);
          } else {
            expect(result).toBeInstanceOf(InvalidArgumentError);
            expect(server.requests).toHaveLength(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("the server's cursor", () => {
  it('a cursor of any UTF-16 is followed exactly, or refused once, not retried (property)', async () => {
    let cursor = '';
    const server = await serve((req, res) => {
      // The first page ends with the cursor under test; the page after it ends the listing.
      const next = new URL(req.url!, 'http://x').searchParams.has('after');
      const body = next
        ? pageBody([checkpoint('ftckpt_2', 2)], false)
        : { ...pageBody([checkpoint('ftckpt_1', 1)], true), last_id: cursor };
      sendJson(res, 200, body);
    });
    await fc.assert(
      fc.asyncProperty(utf16, fc.boolean(), async (lastId, prefetch) => {
        cursor = lastId;
        server.requests.length = 0;
        const client = clientFor(server, { maxRetries: 3, prefetch });
        const result = await client
          .listCheckpoints(JOB)
          .toArray()
          .then(
            (items) => items.map((item) => item.id),
            (error: unknown) => error,
          );
        if (isWellFormed(lastId)) {
          expect(result).toEqual(['ftckpt_1', 'ftckpt_2']);
          expect(server.requests[1]?.query.get('after')).toBe(lastId);
        } else {
          expect(result).toBeInstanceOf(InvalidResponseError);
          expect((result as Error).message).toMatch(/page 1: its cursor is not well-formed/);
          expect(server.requests).toHaveLength(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
