// `npm run sync:upstream` (issue #9, #17): the extract of a full document, the classification of
// each kind of upstream change, the failure modes, and idempotence. Everything runs on a temporary
// copy of the project and on the small documents in test/fixtures/upstream/, never on a copy
// outside the repository. Nothing here pins the vendored extract: a test that syncs a copy starts
// from the copy's own sync.json and extract (plus a fixture), so that any real upstream revision,
// once synced, leaves these tests green.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../scripts/pipeline.mjs';
import { classifyChanges, verdict } from '../scripts/upstream/classify.mjs';
import { extractOperations } from '../scripts/upstream/extract.mjs';
import { sha256 } from '../scripts/upstream/lock.mjs';
import { serverPool } from './helpers/http.js';
import {
  combineDocuments,
  freshCopy,
  lastLine,
  readLock,
  removeCopy,
  script,
  snapshot,
  UPSTREAM_FIXTURES,
  vendoredState,
  writeYaml,
  type Doc,
} from './helpers/pipeline.js';
import { tempFolders } from './helpers/temp.js';

const FIXTURE = join(UPSTREAM_FIXTURES, 'openapi.yaml');
const EXTRACT = 'openapi/upstream/checkpoints.yaml';
const LOCK = 'openapi/upstream/lock.json';
const PATH = '/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints';

let fixtureText: string;
let fixture: Doc;
let vendored: { config: { operations: string[]; keepSchemas: string[] }; extract: Doc };
/** The fixture's own configuration: its checkpoints operation, and the schemas sync.json keeps. */
let fixtureConfig: { operations: string[]; keepSchemas: string[]; label: string };
/**
 * A full upstream document for the project as it is: the vendored extract (exactly the operations
 * sync.json configures) plus what the fixture has around them. Syncing it changes nothing.
 */
let upstream: Doc;
beforeAll(async () => {
  fixtureText = await readFile(FIXTURE, 'utf8');
  fixture = parse(fixtureText);
  vendored = await vendoredState();
  fixtureConfig = {
    operations: ['listFineTuningJobCheckpoints'],
    keepSchemas: vendored.config.keepSchemas,
    label: 'fixture',
  };
  upstream = combineDocuments(vendored.extract, fixture);
});

const specs = tempFolders('file');
let specDir: string;
beforeAll(async () => {
  specDir = await specs('ft-checkpoints-specs-');
});

/** The project's upstream document, changed by `edit`, written to a file; returns its path. */
let written = 0;
async function upstreamWith(edit: (doc: Doc) => void = () => {}) {
  const doc = structuredClone(upstream);
  edit(doc);
  return writeYaml(specDir, `upstream-${++written}.yaml`, doc);
}

describe('the extract', () => {
  it('of the full fixture is its one operation, the same bytes every time', async () => {
    const first = await extractOperations(fixtureText, fixtureConfig);
    const second = await extractOperations(fixtureText, fixtureConfig);
    expect(second.yaml).toBe(first.yaml);
    // What the fixture adds around the operation is gone; Error/ErrorResponse are kept by name.
    const extract = first.extract as Doc;
    expect(Object.keys(extract)).not.toContain('webhooks');
    expect(Object.keys(extract)).not.toContain('x-oaiMeta');
    expect(Object.keys(extract.paths)).toEqual([PATH]);
    expect(extract.tags.map((tag: Doc) => tag.name)).toEqual(['Fine-tuning']);
    expect(Object.keys(extract.components.schemas)).toEqual([
      'Error',
      'ErrorResponse',
      'FineTuningJobCheckpoint',
      'ListFineTuningJobCheckpointsResponse',
    ]);
    expect(Object.keys(extract.components.securitySchemes)).toEqual(['ApiKeyAuth']);
  });

  it('of the vendored extract among other operations is the vendored extract, byte for byte', async () => {
    const { yaml } = await extractOperations(stringify(upstream), {
      ...vendored.config,
      label: 'vendored + fixture',
    });
    expect(yaml).toBe(await readFile(join(repoRoot, EXTRACT), 'utf8'));
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

  it('says unchanged and writes nothing when upstream is what was vendored', async () => {
    const spec = await upstreamWith();
    const before = await snapshot(dir);
    const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
    expect(result.code, result.output).toBe(0);
    expect(lastLine(result.output)).toBe('upstream: unchanged');
    expect(await snapshot(dir)).toEqual(before);
  });

  it(
    'lets a compatible change flow into the fragment and generated/, additions intact; then is idempotent',
    { timeout: 90_000 },
    async () => {
      const spec = await upstreamWith((doc) => {
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
      expect(result.output).toMatch(/built, linted, generated and type-checked in a staging copy/);

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
      // The types followed.
      const types = await readFile(join(dir, 'generated/checkpoints.ts'), 'utf8');
      expect(types).toContain('full_valid_perplexity?: number;');
      expect(types).toContain('checkpoint_bytes?: number;');
      // The lock says which document this was by its sha256, never by its (local) path.
      const lockText = await readFile(join(dir, LOCK), 'utf8');
      expect(JSON.parse(lockText).source).toEqual({ sha256: sha256(await readFile(spec, 'utf8')) });
      expect(lockText).not.toContain(specDir);
      expect((await script('check-generated.mjs', dir)).code).toBe(0);

      // Idempotent: the same input again says unchanged and changes nothing, lock included.
      const before = await snapshot(dir);
      const again = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(lastLine(again.output)).toBe('upstream: unchanged');
      expect(await snapshot(dir)).toEqual(before);
    },
  );

  it(
    'rates a new response enum value as breaking, and writes it when it builds',
    { timeout: 90_000 },
    async () => {
      const spec = await upstreamWith((doc) => {
        doc.components.schemas.FineTuningJobCheckpoint.properties.object.enum.push(
          'fine_tuning.job.checkpoint.v2',
        );
      });
      const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(
        /major .*object: new enum value "fine_tuning.job.checkpoint.v2"/,
      );
      expect(lastLine(result.output)).toBe('upstream: changed (breaking)');
      const types = await readFile(join(dir, 'generated/checkpoints.ts'), 'utf8');
      expect(types).toContain('fine_tuning.job.checkpoint.v2');
    },
  );

  it('reads a URL, and records it with its sha256 in the lock', { timeout: 90_000 }, async () => {
    const doc = structuredClone(upstream);
    doc.paths[PATH].get.parameters.find((p: Doc) => p.name === 'limit').description =
      'How many to return.';
    const body = stringify(doc);
    const server = await serve((_request, response) => response.end(body));
    const url = `${server.origin}/openapi.yaml`;
    const result = await script('sync-upstream.mjs', dir, ['--spec', url]);
    expect(result.code, result.output).toBe(0);
    // (Rated against what the tests before this one left in the copy.)
    expect(lastLine(result.output)).toMatch(/^upstream: changed \((non-)?breaking\)$/);
    expect(result.output).toMatch(/patch .*parameter query limit: description changed/);
    expect((await readLock(dir)).source).toEqual({ url, sha256: sha256(body) });
  });
});

describe('sync:upstream from the configured repository (no --spec)', () => {
  const SHA = 'f85dbe223d40e1a31cba812ab2d755c7e98a92a3';
  let dir: string;
  let commits: unknown;
  let document: string;
  const serve = serverPool('file');
  let env: NodeJS.ProcessEnv;
  const requests: string[] = [];
  beforeAll(async () => {
    dir = await freshCopy();
    const doc = structuredClone(upstream);
    doc.paths[PATH].get.parameters.find((p: Doc) => p.name === 'limit').description =
      'How many to return.';
    document = stringify(doc);
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

  it('syncs the newest commit and records it in the lock', { timeout: 90_000 }, async () => {
    commits = [{ sha: SHA, commit: { committer: { date: '2026-08-21T09:30:00Z' } } }];
    const result = await script('sync-upstream.mjs', dir, [], env);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`source: openai/openai-openapi@f85dbe2 (2026-08-21)`);
    expect(lastLine(result.output)).toBe('upstream: changed (non-breaking)');
    expect((await readLock(dir)).source).toEqual({
      repository: 'openai/openai-openapi',
      branch: 'main',
      path: 'openapi.yaml',
      commit: SHA,
      date: '2026-08-21',
      sha256: sha256(document),
    });
    expect(requests.at(-1)).toBe(
      `application/vnd.github.raw+json /repos/openai/openai-openapi/contents/openapi.yaml?ref=${SHA}`,
    );
  });
});

describe('sync:upstream failures exit 1 with a one-line reason and write nothing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await freshCopy();
  });
  afterAll(async () => {
    await removeCopy(dir);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    [
      'a missing operation (renamed upstream)',
      () =>
        upstreamWith((doc) => {
          doc.paths[PATH].get.operationId = 'listFineTuningCheckpoints';
        }),
      /has no operation listFineTuningJobCheckpoints/,
    ],
    ['an unreadable file', async () => join(specDir, 'no-such-file.yaml'), /cannot read .*ENOENT/],
    [
      'a file that is not OpenAPI 3.x',
      () =>
        writeYaml(specDir, 'swagger.yaml', { swagger: '2.0', info: { title: 'x', version: '1' } }),
      /is not an OpenAPI 3.x document/,
    ],
    [
      'a file that is not YAML',
      async () => {
        const path = join(specDir, 'broken.yaml');
        await writeFile(path, 'openapi: 3.1.0\ninfo: [unclosed\n');
        return path;
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
      const spec = await makeSpec();
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
  /** The fixture's extract: the base every change below is made to. */
  let base: Doc;
  beforeAll(async () => {
    base = (await extractOperations(fixtureText, fixtureConfig)).extract;
  });
  const edit = (change: (doc: Doc) => void) => {
    const doc = structuredClone(base);
    change(doc);
    return classifyChanges(base, doc);
  };
  const checkpoint = (doc: Doc) => doc.components.schemas.FineTuningJobCheckpoint;
  const parameter = (doc: Doc, name: string) =>
    doc.paths[PATH].get.parameters.find((p: Doc) => p.name === name);

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
    [
      'a removed parameter',
      (doc) => {
        const parameters = doc.paths[PATH].get.parameters;
        parameters.splice(parameters.indexOf(parameter(doc, 'after')), 1);
      },
    ],
    ['a renamed parameter', (doc) => (parameter(doc, 'after').name = 'cursor')],
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
    [
      'a request parameter that became required',
      (doc) => (parameter(doc, 'after').required = true),
    ],
    [
      'a new required request parameter',
      (doc) =>
        doc.paths[PATH].get.parameters.push({
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
    ['a changed parameter type', (doc) => (parameter(doc, 'limit').schema.type = 'string')],
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
        doc.paths[PATH].get.parameters.push({
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
    expect(classifyChanges(base, structuredClone(base))).toEqual([]);
  });
});
