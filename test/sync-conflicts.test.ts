// An atomic sync (issue #17 §4): an upstream change that the project cannot take as it is writes
// nothing, exits 2, and names each conflict on its own line: a schema the tools reject, an overlay
// action or example that no longer fits, a lint error, a type error in the project's code. Each
// case changes the project's own upstream document (its vendored extract among the fixture's
// other operations), so it holds whatever revision is vendored.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  combineDocuments,
  freshCopy,
  readYaml,
  removeCopy,
  script,
  snapshot,
  UPSTREAM_FIXTURES,
  vendoredState,
  writeYaml,
  type Doc,
} from './helpers/pipeline.js';
import { tempFolders } from './helpers/temp.js';

const checkpoint = (doc: Doc) => doc.components.schemas.FineTuningJobCheckpoint;

const cases: [string, (doc: Doc) => void, RegExp[]][] = [
  [
    'an upstream schema the tools reject (a type that does not exist)',
    (doc) => (checkpoint(doc).properties.step_number.type = 'int'),
    [/^conflict: lint openapi\/checkpoints\.yaml#\/.*step_number\/type: .*\(struct\)$/],
  ],
  [
    'a new required field that the overlay’s examples lack',
    (doc) => {
      const list = doc.components.schemas.ListFineTuningJobCheckpointsResponse;
      list.properties.total = { type: 'integer' };
      list.required.push('total');
    },
    [
      /^conflict: lint .*\/examples\/page\/value: .*must have required property 'total'.*\(no-invalid-media-type-examples\)$/,
      /^conflict: lint .*\/examples\/allMetrics\/value: .*must have required property 'total'.*\(no-invalid-media-type-examples\)$/,
    ],
  ],
  [
    'an overlay action whose target upstream removed',
    (doc) => delete checkpoint(doc).properties.metrics.properties.valid_loss,
    [
      /^conflict: overlay: openapi\/checkpoints\.overlay\.yaml: action \d+ \(\$\.components\.schemas\.FineTuningJobCheckpoint\.properties\.metrics\.properties\.valid_loss\) matches nothing in the extract/,
    ],
  ],
  [
    'a widened field type that the project’s code computes with',
    // Still valid for every example (they hold integers), so only the type check can object.
    (doc) => (checkpoint(doc).properties.step_number.type = ['integer', 'string']),
    [/^conflict: typecheck src\/.*\.ts:\d+:\d+: .*\(TS\d+\)$/],
  ],
];

describe('a sync that conflicts with the project writes nothing and names each conflict', () => {
  const specs = tempFolders('file');
  let specDir: string;
  let dir: string;
  let upstream: Doc;
  beforeAll(async () => {
    specDir = await specs('ft-checkpoints-conflicts-');
    dir = await freshCopy();
    const fixture = await readYaml(join(UPSTREAM_FIXTURES, 'openapi.yaml'));
    upstream = combineDocuments((await vendoredState()).extract, fixture);
  });
  afterAll(() => removeCopy(dir));

  for (const [name, edit, expected] of cases) {
    it(name, { timeout: 90_000 }, async () => {
      const doc = structuredClone(upstream);
      edit(doc);
      const spec = await writeYaml(specDir, `${name.split(' ')[1]}.yaml`, doc);
      const before = await snapshot(dir);
      const result = await script('sync-upstream.mjs', dir, ['--spec', spec]);
      expect(result.code, result.output).toBe(2);
      const lines = result.output.trim().split('\n');
      const conflicts = lines.filter((line) => line.startsWith('conflict: '));
      // Every expected conflict is named on a line of its own (a change may cause more).
      for (const pattern of expected) {
        expect(
          conflicts.some((line) => pattern.test(line)),
          `${pattern}\n${result.output}`,
        ).toBe(true);
      }
      expect(lines).toContain(`The staged build has ${conflicts.length} conflict(s):`);
      expect(lines.at(-1)).toMatch(
        new RegExp(
          `^upstream: changed \\((non-)?breaking\\), ${conflicts.length} conflict\\(s\\): nothing written$`,
        ),
      );
      expect(await snapshot(dir)).toEqual(before);
    });
  }
});
