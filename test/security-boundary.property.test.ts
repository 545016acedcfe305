// The key boundary as a property: whatever the key is (any key of the scrubbed minimum length or
// longer) and wherever a hostile server or a careless custom fetch puts it (a body in any JSON
// spelling, the status text, a header, an error's message, cause chain, AggregateError.errors,
// hidden or symbol-keyed properties), nothing the client hands out contains it: no error (in any
// rendering, its headers included), no page (its data, its response's headers and status text).
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointsError, paginate, type Page } from '../src/index.js';
import { checkpoint, serverPool, type TestServer } from './helpers/http.js';
import { clientFor, PATH } from './helpers/client.js';
import { leaks } from './helpers/security.js';

/** A key as `spelling` writes it inside a JSON string. */
function jsonSpelling(key: string, spelling: 'plain' | 'unicode' | 'mixed' | 'slash'): string {
  if (spelling === 'plain') return key;
  if (spelling === 'slash') return key.replaceAll('-', '\\u002d').replaceAll('/', '\\/');
  return [...key]
    .map((char, i) =>
      spelling === 'unicode' || i % 2 === 0
        ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
        : char,
    )
    .join('');
}

type ServerPlace =
  | 'error-message'
  | 'error-nested'
  | 'error-text'
  | 'status-text'
  | 'request-id'
  | 'other-header'
  | 'item-field'
  | 'content-type';
type FetchPlace =
  'message' | 'cause-chain' | 'aggregate' | 'hidden-property' | 'symbol-property' | 'map-entry';

interface Scenario {
  key: string;
  status: number;
  place: ServerPlace;
  spelling: 'plain' | 'unicode' | 'mixed' | 'slash';
}

let scenario: Scenario | undefined;
let server: TestServer;

function answer(res: ServerResponse, { key, status, place, spelling }: Scenario): void {
  const spelt = jsonSpelling(key, spelling);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let statusText: string | undefined;
  let body: string;
  const item = JSON.stringify(checkpoint('ftckpt_1', 1));
  if (status < 300) {
    // A page, with the key in an item field or in the envelope's surroundings.
    const items =
      place === 'item-field'
        ? item.replace('"ft:gpt', `"${spelt} ft:gpt`)
        : item.replace('"metrics":{', `"metrics":{"note":"${spelt}",`);
    body = `{"object":"list","data":[${items}],"has_more":false}`;
  } else {
    body =
      place === 'error-nested'
        ? `{"error":{"message":"denied","type":"x","param":null,"code":null,"details":{"seen":["${spelt}"]}}}`
        : place === 'error-text'
          ? `{"title":"Proxy saw ${spelt}"}`
          : `{"error":{"message":"Incorrect API key provided: ${spelt}","type":"invalid_request_error","param":"${spelt}","code":"${spelt}"}}`;
  }
  if (place === 'status-text') statusText = `Rejected ${key}`;
  if (place === 'request-id') headers['x-request-id'] = key;
  if (place === 'other-header') headers['www-authenticate'] = `Bearer error="${key}"`;
  if (place === 'content-type' && status < 300) headers['content-type'] = `text/${key}`;
  if (place === 'error-text') headers['content-type'] = 'application/problem+json';
  if (statusText === undefined) res.writeHead(status, headers);
  else res.writeHead(status, statusText, headers);
  res.end(body);
}

const serve = serverPool('file');
beforeAll(async () => {
  server = await serve((_req, res) => answer(res, scenario!));
});

function pageViews(page: Page<unknown>): string[] {
  return [
    inspect(page, { showHidden: true, depth: Infinity }),
    JSON.stringify(page.data),
    JSON.stringify([...page.response.headers]),
    page.response.statusText,
    String(page.requestId),
  ];
}

const keys = fc.stringMatching(/^sk-[A-Za-z0-9_-]{5,40}$/);
const spellings = fc.constantFrom('plain', 'unicode', 'mixed', 'slash') as fc.Arbitrary<
  Scenario['spelling']
>;

describe('the key never leaves the client', () => {
  it('whatever a hostile server echoes, wherever and however spelt', async () => {
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.constantFrom(200, 400, 401, 404, 429, 500),
        fc.constantFrom<ServerPlace>(
          'error-message',
          'error-nested',
          'error-text',
          'status-text',
          'request-id',
          'other-header',
          'item-field',
          'content-type',
        ),
        spellings,
        fc.boolean(),
        async (key, status, place, spelling, viaPaginate) => {
          scenario = { key, status, place, spelling };
          const client = clientFor(server, { apiKey: key, maxRetries: 0, maxRateLimitWaitMs: 0 });
          const listing = viaPaginate
            ? paginate(client.raw, PATH, { params: { path: { fine_tuning_job_id: 'ftjob-1' } } })
            : client.listCheckpoints('ftjob-1');
          let outcome: unknown;
          try {
            outcome = await listing;
          } catch (error) {
            outcome = error;
          }
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(CheckpointsError);
            expect(leaks(outcome, key)).toEqual([]);
            if ('headers' in outcome) {
              expect(JSON.stringify([...(outcome as { headers: Headers }).headers])).not.toContain(
                key,
              );
            }
          } else {
            for (const view of pageViews(outcome as Page<unknown>)) expect(view).not.toContain(key);
          }
          expect(inspect(client, { showHidden: true, depth: Infinity })).not.toContain(key);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('whatever a custom fetch throws, however deep the key sits', async () => {
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.constantFrom<FetchPlace>(
          'message',
          'cause-chain',
          'aggregate',
          'hidden-property',
          'symbol-property',
          'map-entry',
        ),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        async (key, place, depth, asTypeError) => {
          const auth = `Bearer ${key}`;
          const failure = (): unknown => {
            let inner: Error = new Error(place === 'message' ? `refused ${auth}` : 'refused');
            if (place === 'hidden-property')
              Object.defineProperty(inner, 'request', {
                value: { headers: { auth } },
                enumerable: false,
              });
            if (place === 'symbol-property') Object.assign(inner, { [Symbol('config')]: { auth } });
            if (place === 'map-entry')
              Object.assign(inner, { headers: new Map([['authorization', auth]]) });
            if (place === 'aggregate')
              inner = new AggregateError([new Error('ok'), new Error(auth)], 'many');
            if (place === 'cause-chain')
              inner = new Error('deepest', { cause: { authorization: auth } });
            for (let level = 0; level < depth; level++) {
              inner = asTypeError
                ? new TypeError(`fetch failed (${level})`, { cause: inner })
                : new Error(`level ${level}`, { cause: inner });
            }
            return inner;
          };
          const client = clientFor('http://127.0.0.1:9/v1', {
            apiKey: key,
            maxRetries: 0,
            fetch: async () => {
              throw failure();
            },
          });
          for (const attempt of [
            () => client.listCheckpoints('ftjob-1'),
            () => client.raw.GET(PATH, { params: { path: { fine_tuning_job_id: 'ftjob-1' } } }),
          ]) {
            const error = await attempt().then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(CheckpointsError);
            expect(leaks(error, key)).toEqual([]);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the property is not vacuous: unscrubbed, the same placements do leak', () => {
    const key = 'sk-property-check';
    const error = new Error('x', { cause: new AggregateError([new Error(`Bearer ${key}`)]) });
    expect(leaks(error, key).length).toBeGreaterThan(0);
    expect(JSON.parse(`"${jsonSpelling(key, 'unicode')}"`)).toBe(key);
    expect(JSON.parse(`"${jsonSpelling(key, 'slash')}"`)).toBe(key);
  });
});
