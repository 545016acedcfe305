// A Cloudflare Worker that answers `GET /best?job=ftjob-...` with the job's best checkpoint.
// The key stays on the server (a Worker secret), never in a browser.
//
//   npx wrangler secret put OPENAI_API_KEY
//   npx wrangler deploy examples/cloudflare-worker.ts
import { bestCheckpoint, CheckpointsError, createCheckpointsClient } from 'fine-tuning-checkpoints';

/** The Worker's bindings (wrangler secrets and vars). */
interface Env {
  OPENAI_API_KEY: string;
  /** Optional: another server, such as a proxy or the mock API in tests. */
  OPENAI_BASE_URL?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const jobId = new URL(request.url).searchParams.get('job');
    if (jobId === null) return Response.json({ error: 'missing ?job=' }, { status: 400 });
    // Created per request: Workers allow no I/O-like work (timers, signals) at module scope.
    const client = createCheckpointsClient({
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      timeoutMs: 10_000,
    });
    try {
      const best = await bestCheckpoint(client.listCheckpoints(jobId, { limit: 100 }));
      return Response.json({ job: jobId, best: best ?? null });
    } catch (error) {
      if (!(error instanceof CheckpointsError)) throw error;
      const status = 'status' in error && typeof error.status === 'number' ? error.status : 502;
      return Response.json({ error: error.message }, { status });
    }
  },
};
