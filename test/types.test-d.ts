// Type-level tests: the generated types flow through the wrapper, and wrong paths or params do
// not compile. Checked by `tsc` (npm run typecheck) and by vitest's typecheck pass.
import createClient from 'openapi-fetch';
import { describe, expectTypeOf, test } from 'vitest';
import type { components, operations } from '../generated/checkpoints.js';
import {
  createCheckpointsClient,
  paginate,
  type ApiError,
  type FineTuningJobCheckpoint,
  type ListCheckpointsQuery,
  type Page,
  type PagePromise,
  type PaginatedItem,
  type PaginatedPath,
  type paths,
} from '../src/index.js';

type Checkpoint = components['schemas']['FineTuningJobCheckpoint'];
const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';
const client = createCheckpointsClient({ apiKey: 'k' });

describe('generated types flow through the client', () => {
  test('items, pages and listings are typed from the schema', async () => {
    expectTypeOf<FineTuningJobCheckpoint>().toEqualTypeOf<Checkpoint>();
    expectTypeOf(client.listCheckpoints('ftjob-1')).toEqualTypeOf<PagePromise<Checkpoint>>();
    const page = await client.listCheckpoints('ftjob-1');
    expectTypeOf(page).toEqualTypeOf<Page<Checkpoint>>();
    expectTypeOf(page.data).toEqualTypeOf<Checkpoint[]>();
    expectTypeOf(page.data[0]!.object).toEqualTypeOf<'fine_tuning.job.checkpoint'>();
    expectTypeOf(page.data[0]!.metrics.full_valid_loss).toEqualTypeOf<number | undefined>();
    expectTypeOf(page.lastId).toEqualTypeOf<string | null>();
    expectTypeOf(page.nextPage()).resolves.toEqualTypeOf<Page<Checkpoint>>();
    for await (const checkpoint of client.listCheckpoints('ftjob-1')) {
      expectTypeOf(checkpoint).toEqualTypeOf<Checkpoint>();
    }
    expectTypeOf(client.listCheckpoints('ftjob-1').toArray()).resolves.toEqualTypeOf<
      Checkpoint[]
    >();
  });

  test('the query is the operation query from the spec', () => {
    expectTypeOf<ListCheckpointsQuery>().toEqualTypeOf<
      NonNullable<operations['listFineTuningJobCheckpoints']['parameters']['query']>
    >();
    client.listCheckpoints(
      'ftjob-1',
      { limit: 20, after: 'ftckpt_1' },
      { signal: AbortSignal.timeout(1) },
    );
    // @ts-expect-error limit is a number in the spec
    client.listCheckpoints('ftjob-1', { limit: '20' });
    // @ts-expect-error no such query parameter
    client.listCheckpoints('ftjob-1', { limt: 20 });
    // @ts-expect-error the job id is a string
    client.listCheckpoints(123);
    // @ts-expect-error unknown per-call option
    client.listCheckpoints('ftjob-1', {}, { retries: 2 });
  });

  test('client.raw is openapi-fetch typed by the generated paths', async () => {
    const { data, error } = await client.raw.GET(PATH, {
      params: { path: { fine_tuning_job_id: 'ftjob-1' }, query: { limit: 1 } },
    });
    expectTypeOf(data).toEqualTypeOf<
      components['schemas']['ListFineTuningJobCheckpointsResponse'] | undefined
    >();
    expectTypeOf(error).toEqualTypeOf<components['schemas']['ErrorResponse'] | undefined>();
    // @ts-expect-error not a path of the spec
    await client.raw.GET('/no/such/path/{id}', { params: { path: { id: 'x' } } });
    // @ts-expect-error wrong path parameter name
    await client.raw.GET(PATH, { params: { path: { job_id: 'x' } } });
    // @ts-expect-error the path parameter is required
    await client.raw.GET(PATH, { params: {} });
    // @ts-expect-error the operation has no POST
    await client.raw.POST(PATH, { params: { path: { fine_tuning_job_id: 'x' } } });
  });

  test('errors carry typed API fields', () => {
    expectTypeOf<ApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<ApiError['error']>().toEqualTypeOf<components['schemas']['Error'] | undefined>();
  });
});

// A made-up spec shape, to prove which paths paginate() accepts: only GETs whose answer is a
// cursor page and whose query takes `after`.
type Row = { id: string; n: number };
type Json<T> = { 200: { headers: Record<string, unknown>; content: { 'application/json': T } } };
type FakePaths = paths & {
  '/rows': {
    get: {
      parameters: { query?: { after?: string; limit?: number } };
      responses: Json<{ data: Row[]; has_more: boolean }>;
    };
  };
  '/rows/{id}': { get: { parameters: { path: { id: string } }; responses: Json<Row> } };
  '/no-cursor': {
    get: {
      parameters: { query?: { limit?: number } };
      responses: Json<{ data: Row[]; has_more: boolean }>;
    };
  };
  '/post-only': { post: { parameters: {}; responses: Json<{ data: Row[]; has_more: boolean }> } };
};

describe('paginate is enforced by the types', () => {
  test('PaginatedPath picks exactly the cursor-paginated GETs', () => {
    // Whatever else the spec paginates, the checkpoints path is among it; '/rows' is added to it.
    expectTypeOf<typeof PATH>().toExtend<PaginatedPath<paths>>();
    expectTypeOf<PaginatedPath<FakePaths>>().toEqualTypeOf<PaginatedPath<paths> | '/rows'>();
    expectTypeOf<PaginatedItem<FakePaths, '/rows'>>().toEqualTypeOf<Row>();
  });

  test('paginate accepts paginated paths and refuses the others', () => {
    const fake = createClient<FakePaths>();
    expectTypeOf(paginate(fake, '/rows')).toEqualTypeOf<PagePromise<Row>>();
    expectTypeOf(
      paginate(client.raw, PATH, { params: { path: { fine_tuning_job_id: 'x' } } }),
    ).toEqualTypeOf<PagePromise<Checkpoint>>();
    // @ts-expect-error a single object, not a list
    paginate(fake, '/rows/{id}');
    // @ts-expect-error a list without an `after` cursor parameter
    paginate(fake, '/no-cursor');
    // @ts-expect-error not a GET
    paginate(fake, '/post-only');
  });
});
