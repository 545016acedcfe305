// Adding an operation is one command (issue #17 §5): `sync:upstream --add <operationId>` on a
// copy of the project, with the vendored fixture as upstream. The fixture has operations the
// project does not configure (listFineTuningEvents first); the test adds one of them, then runs
// generate, check:generated, lint and the type check on the copy.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { operationIds } from '../scripts/upstream/extract.mjs';
import { SYNC_FILES } from '../scripts/upstream/config.mjs';
import {
  combineDocuments,
  freshCopy,
  lastLine,
  readYaml,
  script,
  snapshot,
  typeCheck,
  UPSTREAM_FIXTURES,
  vendoredState,
  writeYaml,
  type Doc,
} from './helpers/pipeline.js';
import { tempFolders } from './helpers/temp.js';

describe('sync:upstream --add <operationId>', () => {
  const temp = tempFolders('file');
  let dir: string;
  let spec: string;
  let configured: string[];
  /** The operation the test adds: the fixture's events operation, or its next unconfigured one. */
  let added: string;
  let path: string;
  let summary: string;
  beforeAll(async () => {
    dir = await freshCopy(await temp('ft-checkpoints-add-'));
    const fixture = await readYaml(join(UPSTREAM_FIXTURES, 'openapi.yaml'));
    const { config, extract } = await vendoredState(dir);
    configured = config.operations;
    const candidates = operationIds(fixture).filter((id) => !configured.includes(id));
    added = candidates.includes('listFineTuningEvents') ? 'listFineTuningEvents' : candidates[0]!;
    [path, summary] = Object.entries(fixture.paths as Record<string, Doc>)
      .filter(([, item]) => item.get?.operationId === added)
      .map(([template, item]) => [template, item.get.summary.trim()])[0]!;
    spec = await writeYaml(
      await temp('ft-checkpoints-add-spec-'),
      'upstream.yaml',
      combineDocuments(extract, fixture),
    );
  });

  const read = (file: string) => readFile(join(dir, file), 'utf8');

  it('refuses an unknown operationId, naming it and the closest known ones; writes nothing', async () => {
    const typo = added.slice(0, -1);
    const before = await snapshot(dir);
    const result = await script('sync-upstream.mjs', dir, ['--add', typo, '--spec', spec]);
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n')).toHaveLength(1);
    expect(result.output).toMatch(
      new RegExp(`^sync:upstream failed: .* has no operation ${typo}; the closest are ${added}, `),
    );
    expect(await snapshot(dir)).toEqual(before);
  });

  it(
    'adds it to sync.json, syncs, generates, stubs the description lint requires, and says so',
    { timeout: 120_000 },
    async () => {
      const [configBefore, overlayBefore] = await Promise.all([
        read(SYNC_FILES.config),
        read(SYNC_FILES.overlay),
      ]);
      const result = await script('sync-upstream.mjs', dir, ['--add', added, '--spec', spec]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`minor  GET ${path}: new operation`);
      expect(result.output).toContain(`added ${added} to ${SYNC_FILES.config}`);
      expect(result.output).toContain(
        `overlay: a description stub for GET ${path} (upstream has none; lint requires one)`,
      );
      expect(lastLine(result.output)).toBe('upstream: changed (non-breaking)');

      // sync.json: one more operation, the rest as it was, formatted.
      const config = await read(SYNC_FILES.config);
      expect(JSON.parse(config)).toEqual({
        ...JSON.parse(configBefore),
        operations: [...configured, added],
      });
      // The overlay: its text as it was, comments included, then the stub.
      const overlay = await read(SYNC_FILES.overlay);
      expect(overlay.startsWith(overlayBefore.trimEnd())).toBe(true);
      expect(parse(overlay).actions.at(-1)).toMatchObject({
        target: `$.paths['${path}'].get`,
        update: { description: summary },
      });
      for (const file of [
        SYNC_FILES.config,
        SYNC_FILES.overlay,
        SYNC_FILES.extract,
        SYNC_FILES.lock,
      ]) {
        const options = (await prettier.resolveConfig(join(dir, file))) ?? {};
        expect(await prettier.check(await read(file), { ...options, filepath: file }), file).toBe(
          true,
        );
      }
      // The fragment has the operation with the project's additions; the types have it too.
      const fragment = parse(await read(SYNC_FILES.fragment));
      expect(fragment.paths[path].get.description).toBe(summary);
      expect(Object.keys(fragment.paths[path].get.responses)).toEqual(['200', '4XX', '5XX']);
      expect(JSON.parse(await read(SYNC_FILES.lock)).operations).toEqual([...configured, added]);
      const types = await read('generated/checkpoints.ts');
      expect(types).toContain(`'${path}': {`);
      expect(types).toContain(`${added}: {`);
      // A free-form object (the events' `data`) comes out usable, not `Record<string, never>`.
      expect(types).not.toMatch(/: Record<string, never>;/);

      // What the sync wrote is what the project's own commands build, and it all checks.
      const written = await snapshot(dir);
      const generate = await script('generate.mjs', dir);
      expect(generate.code, generate.output).toBe(0);
      expect(await snapshot(dir)).toEqual(written);
      const drift = await script('check-generated.mjs', dir);
      expect(drift.code, drift.output).toBe(0);
      const lint = await script('lint.mjs', dir);
      expect(lint.code, lint.output).toBe(0);
      expect(lint.output).toContain('0 errors, 0 warnings');
      const typed = await typeCheck(dir);
      expect(typed.code, typed.output).toBe(0);
    },
  );

  it('says so for an operation already configured, and changes nothing', async () => {
    const before = await snapshot(dir);
    for (const id of [configured[0]!, added]) {
      const result = await script('sync-upstream.mjs', dir, ['--add', id, '--spec', spec]);
      expect(result.code, result.output).toBe(0);
      expect(result.output.trim().split('\n')).toEqual([
        `${id} is already in ${SYNC_FILES.config}.`,
        'Nothing to add: nothing changed.',
      ]);
    }
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('an operation added to sync.json by hand, without a sync', () => {
  const temp = tempFolders('file');
  it('is drift: check:generated says to sync', { timeout: 60_000 }, async () => {
    const dir = await freshCopy(await temp('ft-checkpoints-hand-added-'));
    const file = join(dir, SYNC_FILES.config);
    const config = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...config, operations: [...config.operations, 'x'] }));
    const result = await script('check-generated.mjs', dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `${SYNC_FILES.config} lists other operations than the extract was made with`,
    );
  });
});
