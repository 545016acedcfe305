// `npm run sync:upstream` (issue #9): the extract of a full document, the classification of each
// kind of upstream change, the failure modes, and idempotence. Everything runs on a temporary copy
// of the project and on the small full document in test/fixtures/upstream/, never on a copy
// outside the repository.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../scripts/pipeline.mjs';
import { classifyChanges, verdict } from '../scripts/upstream/classify.mjs';
import { extractOperations } from '../scripts/upstream/extract.mjs';
import { serverPool } from './helpers/http.js';
import { freshCopy, removeCopy, script, snapshot } from './helpers/pipeline.js';

const FIXTURE = join(repoRoot, 'test/fixtures/upstream/openapi.yaml');
const EXTRACT = 'openapi/upstream/checkpoints.yaml';
const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';
const CONFIG = {
  operations: ['listFineTuningJobCheckpoints'],
  keepSchemas: ['Error', 'ErrorResponse'],
  label: 'fixture',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, shaped per test
type Doc = any;

let fixtureText: string;
let vendored: Doc;
beforeAll(async () => {
  fixtureText = await readFile(FIXTURE, 'utf8');
  vendored = parse(await readFile(join(repoRoot, EXTRACT), 'utf8'));
});

/** The fixture, changed by `edit`, written into `dir`; returns its path. */
async function editedFixture(dir: string, edit: (doc: Doc) => void, name = 'upstream.yaml') {
  const doc = parse(fixtureText);
  edit(doc);
  const path = join(dir, name);
  await writeFile(path, stringify(doc));
  return path;
}

const lastLine = (output: string) => output.trim().split('\n').at(-1);

describe('the extract', () => {
  it('of the full fixture is byte-identical to the vendored one, every time', async () => {
    const first = await extractOperations(fixtureText, CONFIG);
    const second = await extractOperations(fixtureText, CONFIG);
    expect(second.yaml).toBe(first.yaml);
    expect(first.yaml).toBe(await readFile(join(repoRoot, EXTRACT), 'utf8'));
    // What the fixture adds around the operation is gone; Error/ErrorResponse are kept by name.
    expect(Object.keys(first.extract)).not.toContain('webhooks');
    expect(Object.keys(first.extract)).not.toContain('x-oaiMeta');
    expect(Object.keys((first.extract.components as Doc).schemas)).toEqual([
      'Error',
      'ErrorResponse',
      'FineTuningJobCheckpoint',
      'ListFineTuningJobCheckpointsResponse',
    ]);
    expect(Object.keys((first.extract.components as Doc).securitySchemes)).toEqual(['ApiKeyAuth']);
  });
});

describe('sync:upstream on a copy of the project', () => {
  const serve = serverPool();
  let dir: string;
  beforeAll(async () => {
    dir = await freshCopy();
  });
  afterAll(async () => {
    await removeCopy(dir);
  });

  it('says unchanged and writes nothing when the extract is the vendored one', async () => {
    const before = await snapshot(dir);
    const result = await script('sync-upstream.mjs', dir, ['--spec', FIXTURE]);
    expect(result.code).toBe(0);
    expect(lastLine(result.output)).toBe('upstream: unchanged');
    expect(await snapshot(dir)).toEqual(before);
  });

  it(
    'lets a compatible change flow into the fragment and generated/, additions intact; then is idempotent',
    { timeout: 60_000 },
    async () => {
      const spec = await editedFixture(dir, (doc) => {
        const checkpoint = doc.components.schemas.FineTuningJobCheckpoint;
        checkpoint.properties.metrics.properties.full_valid_perplexity = { type: 'number' };
        checkpoint.properties.checkpoint_bytes = { type: 'integer', description: 'Its size.' };
        checkpoint.properties.step_number.description = 'The training step of the checkpoint.';
      });
      const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(result.code, result.output).toBe(0);
      expect(lastLine(result.output)).toBe('upstream: changed (non-breaking)');
      expect(result.output).toMatch(/minor .*metrics: new optional field full_valid_perplexity/);
      expect(result.output).toMatch(/minor .*: new optional field checkpoint_bytes/);
      expect(result.output).toMatch(/patch .*step_number: description changed/);

      const fragment = parse(await readFile(join(dir, 'openapi/checkpoints.yaml'), 'utf8'));
      const operation = fragment.paths[PATH].get;
      const metrics = fragment.components.schemas.FineTuningJobCheckpoint.properties.metrics;
      expect(metrics.properties.full_valid_perplexity).toEqual({ type: 'number' });
      // The additions survived the sync.
      expect(Object.keys(operation.responses)).toEqual(['200', '4XX', '5XX']);
      expect(operation.responses['200'].headers['x-request-id']).toBeDefined();
      expect(Object.keys(operation.responses['200'].content['application/json'].examples)).toEqual([
        'page',
        'allMetrics',
      ]);
      expect(metrics.properties.train_loss.description).toMatch(/training batch/);
      // The types and the runtime schemas (which METRIC_NAMES reads) followed.
      const types = await readFile(join(dir, 'generated/checkpoints.ts'), 'utf8');
      expect(types).toContain('full_valid_perplexity?: number;');
      expect(types).toContain('checkpoint_bytes?: number;');
      const schemas = await readFile(join(dir, 'generated/checkpoints.schemas.ts'), 'utf8');
      expect(schemas).toContain('full_valid_perplexity');
      const lock = JSON.parse(await readFile(join(dir, 'openapi/upstream/lock.json'), 'utf8'));
      expect(lock.source).toEqual({ spec });
      expect((await script('check-generated.mjs', dir)).code).toBe(0);

      // Idempotent: the same input again says unchanged and changes nothing, lock included.
      const before = await snapshot(dir);
      const again = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(lastLine(again.output)).toBe('upstream: unchanged');
      expect(await snapshot(dir)).toEqual(before);
    },
  );

  it(
    'rates a new required response field as breaking, end to end',
    { timeout: 60_000 },
    async () => {
      const spec = await editedFixture(dir, (doc) => {
        const response = doc.components.schemas.ListFineTuningJobCheckpointsResponse;
        response.properties.total = { type: 'integer' };
        response.required.push('total');
      });
      const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/major .*new required field total in a response/);
      expect(lastLine(result.output)).toBe('upstream: changed (breaking)');
    },
  );

  it('reads a URL, and records it in the lock as given', { timeout: 60_000 }, async () => {
    const body = stringify(
      parse(fixtureText.replace('Number of checkpoints to retrieve.', 'How many to return.')),
    );
    const server = await serve((_request, response) => response.end(body));
    const url = `${server.origin}/openapi.yaml`;
    const result = await script('sync-upstream.mjs', dir, ['--spec', url]);
    expect(result.code, result.output).toBe(0);
    // (Rated against what the tests before this one left in the copy.)
    expect(lastLine(result.output)).toMatch(/^upstream: changed \((non-)?breaking\)$/);
    expect(result.output).toMatch(/patch .*parameter query limit: description changed/);
    const lock = JSON.parse(await readFile(join(dir, 'openapi/upstream/lock.json'), 'utf8'));
    expect(lock.source).toEqual({ spec: url });
  });
});

describe('an addition whose target upstream removed', () => {
  it(
    'is reported, not silently dropped: the sync says so and generate fails',
    { timeout: 60_000 },
    async () => {
      const dir = await freshCopy();
      try {
        const spec = await editedFixture(dir, (doc) => {
          delete doc.components.schemas.FineTuningJobCheckpoint.properties.metrics.properties
            .valid_loss;
        });
        const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
        expect(result.code, result.output).toBe(0);
        expect(result.output).toMatch(/major .*metrics: field valid_loss removed/);
        expect(result.output).toMatch(
          /warning: .*checkpoints\.overlay\.yaml: action \d+ \(\$\.components\.schemas\.FineTuningJobCheckpoint\.properties\.metrics\.properties\.valid_loss\) matches nothing/,
        );
        expect(lastLine(result.output)).toBe('upstream: changed (breaking)');
        // The new extract is vendored (for the pull request); the build refuses until the overlay is fixed.
        expect(await readFile(join(dir, EXTRACT), 'utf8')).not.toMatch(/^ +valid_loss:/m);
        expect((await script('generate.mjs', dir)).code).toBe(1);
      } finally {
        await removeCopy(dir);
      }
    },
  );
});

describe('sync:upstream from the configured repository (no --spec)', () => {
  const SHA = 'f85dbe223d40e1a31cba812ab2d755c7e98a92a3';
  let dir: string;
  let commits: unknown;
  const serve = serverPool('file');
  let env: NodeJS.ProcessEnv;
  const requests: string[] = [];
  beforeAll(async () => {
    dir = await freshCopy();
    const document = fixtureText.replace(
      'Number of checkpoints to retrieve.',
      'How many to return.',
    );
    // A stand-in for GitHub's REST API: the newest commit touching the file, then the file at it.
    const server = await serve((request, response) => {
      requests.push(`${request.headers.accept} ${request.url}`);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/repos/openai/openai-openapi/commits') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(commits));
      } else if (url.pathname === '/repos/openai/openai-openapi/contents/openapi.yaml') {
        response.statusCode = url.searchParams.get('ref') === SHA ? 200 : 404;
        response.end(document);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    const { GITHUB_TOKEN: _token, ...rest } = process.env;
    env = { ...rest, GITHUB_API_URL: server.origin };
  });
  afterAll(() => removeCopy(dir));

  it('rejects an answer with no commit, writing nothing', async () => {
    commits = [];
    const before = await snapshot(dir);
    const result = await script('sync-upstream.mjs', dir, [], env);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(
      'sync:upstream failed: openai/openai-openapi: no commit on main touches openapi.yaml',
    );
    expect(await snapshot(dir)).toEqual(before);
  });

  it('syncs the newest commit and records it in the lock', { timeout: 60_000 }, async () => {
    commits = [{ sha: SHA, commit: { committer: { date: '2026-08-21T09:30:00Z' } } }];
    const result = await script('sync-upstream.mjs', dir, [], env);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`source: openai/openai-openapi@f85dbe2 (2026-08-21)`);
    expect(lastLine(result.output)).toBe('upstream: changed (non-breaking)');
    const lock = JSON.parse(await readFile(join(dir, 'openapi/upstream/lock.json'), 'utf8'));
    expect(lock.source).toEqual({
      repository: 'openai/openai-openapi',
      branch: 'main',
      path: 'openapi.yaml',
      commit: SHA,
      date: '2026-08-21',
    });
    expect(requests.at(-1)).toBe(
      `application/vnd.github.raw+json /repos/openai/openai-openapi/contents/openapi.yaml?ref=${SHA}`,
    );
  });
});

describe('sync:upstream failures exit non-zero with a one-line reason and write nothing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await freshCopy();
  });
  afterAll(async () => {
    await removeCopy(dir);
  });

  const cases: [string, (dir: string) => Promise<string>, RegExp][] = [
    [
      'a missing operation (renamed upstream)',
      (d) =>
        editedFixture(d, (doc) => {
          doc.paths[PATH].get.operationId = 'listFineTuningCheckpoints';
        }),
      /has no operation listFineTuningJobCheckpoints/,
    ],
    ['an unreadable file', async (d) => join(d, 'no-such-file.yaml'), /cannot read .*ENOENT/],
    [
      'a file that is not OpenAPI 3.x',
      async (d) => {
        await writeFile(
          join(d, 'swagger.yaml'),
          'swagger: "2.0"\ninfo: {title: x, version: "1"}\n',
        );
        return join(d, 'swagger.yaml');
      },
      /is not an OpenAPI 3.x document/,
    ],
    [
      'a file that is not YAML',
      async (d) => {
        await writeFile(join(d, 'broken.yaml'), 'openapi: 3.1.0\ninfo: [unclosed\n');
        return join(d, 'broken.yaml');
      },
      /is not a readable YAML or JSON document/,
    ],
  ];
  it('a --commit that is not a full sha', async () => {
    const before = await snapshot(dir);
    const result = await script('sync-upstream.mjs', dir, [
      '--spec',
      FIXTURE,
      '--commit',
      'f85dbe2',
    ]);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe('sync:upstream failed: --commit needs a full 40-digit sha');
    expect(await snapshot(dir)).toEqual(before);
  });

  for (const [name, makeSpec, reason] of cases) {
    it(name, { timeout: 30_000 }, async () => {
      const spec = await makeSpec(dir);
      const before = await snapshot(dir);
      const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(result.code).toBe(1);
      expect(result.output.trim().split('\n')).toHaveLength(1);
      expect(result.output).toMatch(/^sync:upstream failed: /);
      expect(result.output).toMatch(reason);
      expect(await snapshot(dir)).toEqual(before);
    });
  }
});

describe('the classifier follows the versioning policy', () => {
  const edit = (change: (doc: Doc) => void) => {
    const doc = structuredClone(vendored);
    change(doc);
    return classifyChanges(vendored, doc);
  };
  const checkpoint = (doc: Doc) => doc.components.schemas.FineTuningJobCheckpoint;
  const parameters = (doc: Doc) => doc.paths[PATH].get.parameters;

  const breaking: [string, (doc: Doc) => void][] = [
    ['a removed response field', (doc) => delete checkpoint(doc).properties.step_number],
    [
      'a renamed response field',
      (doc) => {
        const c = checkpoint(doc);
        c.properties.step = c.properties.step_number;
        delete c.properties.step_number;
        c.required = c.required.map((n: string) => (n === 'step_number' ? 'step' : n));
      },
    ],
    ['a removed parameter', (doc) => parameters(doc).splice(1, 1)],
    ['a renamed parameter', (doc) => (parameters(doc)[1].name = 'cursor')],
    [
      'a removed enum value',
      (doc) =>
        (doc.components.schemas.ListFineTuningJobCheckpointsResponse.properties.object.enum = []),
    ],
    [
      'a response field that became optional',
      (doc) =>
        (checkpoint(doc).required = checkpoint(doc).required.filter((n: string) => n !== 'id')),
    ],
    ['a request parameter that became required', (doc) => (parameters(doc)[1].required = true)],
    [
      'a new required request parameter',
      (doc) =>
        parameters(doc).push({
          name: 'order',
          in: 'query',
          required: true,
          schema: { type: 'string' },
        }),
    ],
    [
      'a new required response field',
      (doc) => {
        checkpoint(doc).properties.size = { type: 'integer' };
        checkpoint(doc).required.push('size');
      },
    ],
    [
      'a new response enum value',
      (doc) => checkpoint(doc).properties.object.enum.push('fine_tuning.job.checkpoint.v2'),
    ],
    ['a changed response type', (doc) => (checkpoint(doc).properties.created_at.type = 'string')],
    ['a changed parameter type', (doc) => (parameters(doc)[2].schema.type = 'string')],
    ['a removed schema', (doc) => delete doc.components.schemas.Error],
    ['a changed server', (doc) => (doc.servers = [{ url: 'https://api.openai.com/v2' }])],
    ['a changed format', (doc) => (checkpoint(doc).properties.created_at.format = 'int64')],
  ];
  for (const [name, change] of breaking) {
    it(`rates ${name} as breaking`, () => {
      const changes = edit(change);
      expect(
        changes.filter((c) => c.bump === 'major'),
        JSON.stringify(changes),
      ).not.toEqual([]);
      expect(verdict(changes, false)).toBe('upstream: changed (breaking)');
    });
  }

  const compatible: [string, (doc: Doc) => void, 'minor' | 'patch'][] = [
    [
      'a new optional response field',
      (doc) => (checkpoint(doc).properties.note = { type: 'string' }),
      'minor',
    ],
    [
      'a new metric',
      (doc) => (checkpoint(doc).properties.metrics.properties.perplexity = { type: 'number' }),
      'minor',
    ],
    [
      'a new optional query parameter',
      (doc) =>
        parameters(doc).push({
          name: 'order',
          in: 'query',
          required: false,
          schema: { type: 'string' },
        }),
      'minor',
    ],
    ['a changed description', (doc) => (checkpoint(doc).description = 'A checkpoint.'), 'patch'],
    ['a changed info.version', (doc) => (doc.info.version = '2.4.0'), 'patch'],
  ];
  for (const [name, change, bump] of compatible) {
    it(`rates ${name} as ${bump}`, () => {
      const changes = edit(change);
      expect(changes.map((c) => c.bump)).toEqual([bump]);
      expect(verdict(changes, false)).toBe('upstream: changed (non-breaking)');
    });
  }

  it('finds nothing between an extract and itself', () => {
    expect(classifyChanges(vendored, structuredClone(vendored))).toEqual([]);
  });
});
