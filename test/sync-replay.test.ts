// Real upstream history lands green (issue #17 §3): the checkpoints operation as OpenAI's spec
// repository wrote it at four revisions (test/fixtures/upstream/revisions/, listed with their
// commits in revisions.json) is replayed through `sync:upstream` on a copy of the project. Only
// metadata changed between them (a license field, code samples in x-oaiMeta), so each step is
// rated non-breaking and the copy builds at each step. The copy's other configured operations
// come from its own vendored extract. Should a later upstream change make the project unable to
// take the oldest revision back, refresh the fixtures with newer revisions (see their headers).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyChanges, verdict } from '../scripts/upstream/classify.mjs';
import { extractOperations } from '../scripts/upstream/extract.mjs';
import { sha256 } from '../scripts/upstream/lock.mjs';
import {
  combineDocuments,
  freshCopy,
  lastLine,
  readLock,
  readYaml,
  script,
  UPSTREAM_FIXTURES,
  vendoredState,
  writeYaml,
  type Doc,
} from './helpers/pipeline.js';
import { tempFolders } from './helpers/temp.js';

interface Revision {
  commit: string;
  date: string;
  documentSha256: string;
  file: string;
}

const REVISIONS = join(UPSTREAM_FIXTURES, 'revisions');

let revisions: (Revision & { text: string })[];
let keepSchemas: string[];
beforeAll(async () => {
  const manifest: Revision[] = JSON.parse(
    await readFile(join(REVISIONS, 'revisions.json'), 'utf8'),
  );
  revisions = await Promise.all(
    manifest.map(async (revision) => ({
      ...revision,
      text: await readFile(join(REVISIONS, revision.file), 'utf8'),
    })),
  );
  keepSchemas = (await vendoredState()).config.keepSchemas;
});

describe('the real upstream revisions', () => {
  it('are oldest first, each a different commit', () => {
    expect(revisions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(revisions.map((r) => r.commit)).size).toBe(revisions.length);
    const dates = revisions.map((r) => r.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('differ from one to the next by non-breaking changes only', async () => {
    const extracts = await Promise.all(
      revisions.map(
        async ({ text, commit }) =>
          (
            await extractOperations(text, {
              operations: ['listFineTuningJobCheckpoints'],
              keepSchemas,
              label: commit,
            })
          ).extract,
      ),
    );
    const steps = extracts.slice(1).map((after, i) => classifyChanges(extracts[i]!, after));
    // Some steps changed the operation, some did not; none broke it.
    expect(steps.some((changes) => changes.length > 0)).toBe(true);
    for (const changes of steps) {
      expect(changes.filter((c) => c.bump === 'major')).toEqual([]);
      expect(verdict(changes, false)).toBe('upstream: changed (non-breaking)');
    }
  });
});

describe('replaying them through sync:upstream', () => {
  const temp = tempFolders('file');
  let dir: string;
  let specDir: string;
  let vendoredExtract: Doc;
  beforeAll(async () => {
    dir = await freshCopy(await temp('ft-checkpoints-replay-'));
    specDir = await temp('ft-checkpoints-replay-specs-');
    vendoredExtract = (await vendoredState(dir)).extract;
  });

  it(
    'lands each revision: rated non-breaking, built, and recorded in the lock',
    { timeout: 300_000 },
    async () => {
      let previous: string | undefined;
      for (const revision of revisions) {
        const document = combineDocuments(
          await readYaml(join(REVISIONS, revision.file)),
          vendoredExtract,
        );
        const spec = await writeYaml(specDir, `${revision.commit}.yaml`, document);
        const args = ['--spec', spec, '--commit', revision.commit, '--date', revision.date];
        const result = await script('sync-upstream.mjs', dir, args);
        const label = `${revision.commit.slice(0, 7)}\n${result.output}`;
        expect(result.code, label).toBe(0);
        if (previous === undefined) {
          // From whatever the project vendors: it must land, whichever way it is rated.
          expect(lastLine(result.output), label).toMatch(/^upstream: (unchanged|changed \(.*\))$/);
        } else {
          expect(lastLine(result.output), label).toBe(
            revision.text === previous ? 'upstream: unchanged' : 'upstream: changed (non-breaking)',
          );
        }
        if (lastLine(result.output) !== 'upstream: unchanged') {
          expect((await readLock(dir)).source, label).toEqual({
            repository: 'openai/openai-openapi',
            branch: 'main',
            path: 'openapi.yaml',
            commit: revision.commit,
            date: revision.date,
            sha256: sha256(await readFile(spec, 'utf8')),
          });
        }
        previous = revision.text;
      }
      const drift = await script('check-generated.mjs', dir);
      expect(drift.code, drift.output).toBe(0);
    },
  );
});
