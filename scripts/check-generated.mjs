#!/usr/bin/env node
// `npm run check:generated`: fails (exit 1) when anything built is out of step with its sources:
// - the vendored upstream extract against the sha256 in openapi/upstream/lock.json;
// - each fragment under openapi/ against its extract + overlay (a hand edit there would be lost);
// - every file of generated/ against a fresh generation from the committed specs, with a unified
//   diff for each file that differs, is missing or is extra.
// It never writes into the work tree. On a failure the regenerated files are kept in a temporary
// folder, named in the message, for a person to inspect; on success nothing is left behind.
// (openapi-typescript's own --check stops at the first API and fails once prettier has touched
// the output, hence this script.)
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { buildFragments, generateAll, layout, rootFromArgv } from './pipeline.mjs';
import { lockProblems } from './upstream/lock.mjs';

const started = performance.now();
const { root, generatedDir } = layout(rootFromArgv());
const problems = [...(await lockProblems(root))];

for (const { path, contents } of await buildFragments(root)) {
  const current = await readFile(join(root, path), 'utf8').catch(() => undefined);
  if (current === undefined) problems.push(`${path} is missing`);
  else if (current !== contents) {
    problems.push(
      createTwoFilesPatch(path, `rebuilt/${path}`, current, contents) +
        `${path} is not its extract plus its overlay: edit the overlay instead (a hand edit here is lost at the next sync).`,
    );
  }
}

const fresh = await generateAll(root);
const committed = new Map();
for (const name of await readdir(generatedDir).catch(() => [])) {
  committed.set(name, await readFile(join(generatedDir, name), 'utf8'));
}
const staleFiles = [];
for (const { fileName, contents } of fresh) {
  const current = committed.get(fileName);
  if (current === undefined) {
    problems.push(`generated/${fileName} is missing`);
    staleFiles.push(fileName);
  } else if (current !== contents) {
    problems.push(
      createTwoFilesPatch(`generated/${fileName}`, `regenerated/${fileName}`, current, contents),
    );
    staleFiles.push(fileName);
  }
  committed.delete(fileName);
}
for (const extra of committed.keys())
  problems.push(`generated/${extra} is extra: no spec produces it`);

const ms = Math.round(performance.now() - started);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  let kept = '';
  if (staleFiles.length > 0) {
    // Kept on purpose for inspection, and named here so that it can be found and removed.
    const tempDir = await mkdtemp(join(tmpdir(), 'ft-checkpoints-generated-'));
    const byName = new Map(fresh.map((file) => [file.fileName, file.contents]));
    await Promise.all(staleFiles.map((name) => writeFile(join(tempDir, name), byName.get(name))));
    kept = ` Fresh output is in ${tempDir}.`;
  }
  console.error(
    `\nopenapi/ or generated/ is out of step with its sources (${problems.length} problem(s)).${kept}` +
      '\nRun `npm run generate` and commit the result.',
  );
  process.exit(1);
}
console.log(`generated/ matches openapi/ (${fresh.length} file(s), ${ms} ms)`);
