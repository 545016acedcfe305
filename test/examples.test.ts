// The programs in examples/ run as written against the mock API: each is bundled from its source
// (importing the package by name, resolved to the built dist/) and run by node, so a README or
// example that drifts from the API fails here. examples/service.test.ts runs as a vitest file; here,
// the CLI's `best` is checked to pick what that file's `bestCheckpoint` ranking expects.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestCheckpoint } from '../src/index.js';
import { createMockServer, generateCheckpoints, type MockServer } from '../src/mock/index.js';
import { cliEnv, runCli } from './helpers/cli.js';
import { redisForFile } from './helpers/redis.js';
import { tempFolders } from './helpers/temp.js';

const run = promisify(execFile);
const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const JOB = 'ftjob-examples';
const CHECKPOINTS = generateCheckpoints({ jobId: JOB, count: 60, seed: 3 });

const tempFolder = tempFolders('file');
let mock: MockServer;
let outDir: string;

beforeAll(async () => {
  mock = await createMockServer({ jobs: { [JOB]: CHECKPOINTS } });
  outDir = await tempFolder('ft-checkpoints-examples-');
});
afterAll(() => mock.close());

/** Bundles examples/<name>.ts (or a plain .mjs) into the temp folder and returns the path of the ESM file. */
async function bundle(name: string): Promise<string> {
  const result = await build({
    entryPoints: [join(examplesDir, name.endsWith('.mjs') ? name : `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    // CommonJS dependencies (ioredis) require Node's built-ins, which an ES module must give them.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    write: false,
    logLevel: 'silent',
  });
  const file = join(outDir, `${name.replace(/\.mjs$/, '')}.mjs`);
  await writeFile(file, result.outputFiles[0]!.text);
  return file;
}

/** Runs an example program with the mock's URL and a key (and `more`) in its environment. */
async function runExample(name: string, args: string[], more: Record<string, string> = {}) {
  const file = await bundle(name);
  const env = {
    ...process.env,
    OPENAI_BASE_URL: mock.url,
    OPENAI_API_KEY: 'sk-test-examples',
    ...more,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const withLoss = CHECKPOINTS.filter((c) => c.metrics.full_valid_loss !== undefined);
const lowest = withLoss.reduce((a, b) =>
  b.metrics.full_valid_loss! < a.metrics.full_valid_loss! ? b : a,
);

describe('examples/quickstart.mjs', () => {
  it('prints one line per checkpoint, newest first, with a dash for a missing loss', async () => {
    const result = await runExample('quickstart.mjs', [JOB]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(CHECKPOINTS.length);
    const newest = [...CHECKPOINTS].sort((a, b) => b.step_number - a.step_number)[0]!;
    expect(lines[0]).toMatch(
      new RegExp(`^step ${newest.step_number}\tloss [0-9.]+\t${newest.id}$`),
    );
    expect(lines.some((line) => line.includes('loss undefined'))).toBe(false);
  });
});

describe('examples/client-tour.ts', () => {
  it('runs every snippet of the tour to the end', async () => {
    const result = await runExample('client-tour', [JOB]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^20 true ftckpt_\S+ \S+$/);
    expect(lines.at(-2)).toBe(`${lowest.fine_tuned_model_checkpoint} 50 15 5`);
    expect(lines.at(-1)).toMatch(/^404 /);
  });
});

describe('examples/best-checkpoint.ts', () => {
  it('prints the model of the lowest full_valid_loss', async () => {
    const result = await runExample('best-checkpoint', [JOB]);
    expect(result.stdout.trim()).toBe(lowest.fine_tuned_model_checkpoint);
    expect(result.code).toBe(0);
  });

  it('reports an unknown job in one line and exits 1', async () => {
    const result = await runExample('best-checkpoint', ['ftjob-missing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^no such job: ftjob-missing \(request id .+\)\n$/);
    expect(result.stdout).toBe('');
  });
});

describe('examples/paginate-raw.ts', () => {
  it('walks every page with paginate() over client.raw', async () => {
    const result = await runExample('paginate-raw', [JOB]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^page 1: 25 checkpoints \(request .+\)$/);
    expect(lines.at(-1)).toBe('60 checkpoints in 3 pages');
  });
});

describe('examples/many-jobs.ts', () => {
  const redis = redisForFile();
  it('lists several jobs at once, alone and sharing a limit through Redis', async () => {
    const alone = await runExample('many-jobs', [JOB, JOB]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe(`${JOB}\t60 checkpoints\n`.repeat(2));
    const { url } = await redis();
    const shared = await runExample('many-jobs', [JOB], { REDIS_URL: url });
    expect(shared).toMatchObject({ code: 0, stdout: `${JOB}\t60 checkpoints\n` });
  });
});

describe('examples/cloudflare-worker.ts', () => {
  it("answers /best with the job's best checkpoint, and 404 for an unknown job", async () => {
    const file = await bundle('cloudflare-worker');
    const worker = (await import(pathToFileURL(file).href)) as {
      default: {
        fetch(
          request: Request,
          env: { OPENAI_API_KEY: string; OPENAI_BASE_URL: string },
        ): Promise<Response>;
      };
    };
    const env = { OPENAI_API_KEY: 'sk-test-examples', OPENAI_BASE_URL: mock.url };
    const found = await worker.default.fetch(new Request(`https://w.example/best?job=${JOB}`), env);
    expect(found.status).toBe(200);
    const body = (await found.json()) as { best: { id: string } };
    expect(body.best.id).toBe(lowest.id);
    const missing = await worker.default.fetch(
      new Request('https://w.example/best?job=ftjob-missing'),
      env,
    );
    expect(missing.status).toBe(404);
    const bad = await worker.default.fetch(new Request('https://w.example/best'), env);
    expect(bad.status).toBe(400);
  });
});

describe('examples/service.test.ts', () => {
  it('expects the model `ft-checkpoints best` picks, ranking with bestCheckpoint', async () => {
    // The example's data: the same job, count and seed.
    const jobId = 'ftjob-service-test';
    const checkpoints = generateCheckpoints({ jobId, count: 250, seed: 7 });
    const server = await createMockServer({ jobs: { [jobId]: checkpoints } });
    try {
      const field = ['--field', 'fine_tuned_model_checkpoint'];
      const cli = await runCli(['best', jobId, ...field], cliEnv(server.url));
      expect(cli.code).toBe(0);
      const best = await bestCheckpoint(checkpoints);
      expect(cli.stdout).toBe(`${best!.fine_tuned_model_checkpoint}\n`);
    } finally {
      await server.close();
    }
  });
});
