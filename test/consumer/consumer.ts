// Type-level consumer of the INSTALLED package: scripts/test-consumer.mjs copies this file into a
// temp project that installed the packed tarball and type-checks it with `moduleResolution`
// nodenext (as ESM, and as CommonJS under a .cts copy) and bundler. It is compiled, never run, and
// it avoids top-level await so the CommonJS copy compiles too.
import {
  ApiError,
  CheckpointsError,
  createCheckpointsClient,
  NotFoundError,
  paginate,
  RateLimitError,
  VERSION,
  type CheckpointsClient,
  type FineTuningJobCheckpoint,
  type ListCheckpointsQuery,
  type Page,
} from 'fine-tuning-checkpoints';
import {
  createMockServer,
  generateCheckpoints,
  type MockServer,
  type ScheduledFault,
} from 'fine-tuning-checkpoints/mock';

const version: string = VERSION;

async function main(): Promise<void> {
  const faults: ScheduledFault[] = [{ kind: 'status', status: 503, request: 2 }];
  const jobs = { 'ftjob-1': generateCheckpoints({ jobId: 'ftjob-1', count: 35, seed: 1 }) };
  const server: MockServer = await createMockServer({ jobs, faults });
  const client: CheckpointsClient = createCheckpointsClient({
    apiKey: 'sk-x',
    baseUrl: server.url,
  });

  const query: ListCheckpointsQuery = { limit: 10 };
  const ids: string[] = [];
  for await (const checkpoint of client.listCheckpoints('ftjob-1', query)) {
    // Items are the spec's checkpoint type, fields and all.
    const item: FineTuningJobCheckpoint = checkpoint;
    const step: number = item.metrics.step ?? item.step_number;
    ids.push(`${item.id}@${step}`);
  }
  const first: Page<FineTuningJobCheckpoint> = await client.listCheckpoints('ftjob-1');
  const more: boolean = first.hasMore;

  // paginate() over the raw openapi-fetch client: items typed from the path alone.
  const raw = paginate(client.raw, '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints', {
    params: { path: { fine_tuning_job_id: 'ftjob-1' }, query: { limit: 5 } },
  });
  const all: FineTuningJobCheckpoint[] = await raw.toArray();

  try {
    await client.listCheckpoints('nope');
  } catch (err) {
    if (err instanceof NotFoundError) {
      const status: number = err.status;
      const code: string | null = err.code;
      void [status, code];
    } else if (err instanceof RateLimitError || err instanceof ApiError) {
      const retryAfter: number | undefined = err.retryAfterMs;
      void retryAfter;
    } else if (err instanceof CheckpointsError) {
      const message: string = err.message;
      void message;
    }
  }

  // The checks below prove the declarations are real types, not `any`: each line must be an error.

  // @ts-expect-error `limit` is a number in the spec, not a string.
  client.listCheckpoints('ftjob-1', { limit: '10' });

  // @ts-expect-error there is no `before` query parameter on this endpoint.
  client.listCheckpoints('ftjob-1', { before: 'ftckpt_x' });

  // @ts-expect-error checkpoints have no `name` field.
  void all[0]?.name;

  // @ts-expect-error the path must be one the spec defines.
  paginate(client.raw, '/no/such/path');

  // @ts-expect-error a fault kind the mock does not have.
  void createMockServer({ jobs, faults: [{ kind: 'explode', request: 1 }] });

  // @ts-expect-error NotFoundError.status is a number.
  const wrong: string = new NotFoundError({} as never).status;

  void [version, more, wrong];
  await server.close();
}

void main;
