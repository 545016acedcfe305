#!/usr/bin/env node
// `npm run check:generated`: regenerates into a temporary folder and compares every file with
// generated/. Exits 1, printing a unified diff, when a file differs, is missing or is extra.
// It never writes into the work tree. (openapi-typescript's own --check stops at the first API and
// fails once prettier has touched the output, hence this script.)
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { generateAll, layout, rootFromArgv } from './pipeline.mjs';

const started = performance.now();
const { root, generatedDir } = layout(rootFromArgv());
const fresh = await generateAll(root);

// The fresh output goes to a temp folder (not the work tree), so a failing check leaves the
// regenerated files somewhere a person can inspect them.
const tempDir = await mkdtemp(join(tmpdir(), 'ft-checkpoints-generated-'));
await Promise.all(fresh.map((file) => writeFile(join(tempDir, file.fileName), file.contents)));

const committed = new Map();
for (const name of await readdir(generatedDir).catch(() => [])) {
  committed.set(name, await readFile(join(generatedDir, name), 'utf8'));
}

const problems = [];
for (const { fileName, contents } of fresh) {
  const current = committed.get(fileName);
  if (current === undefined) {
    problems.push(`generated/${fileName} is missing`);
  } else if (current !== contents) {
    problems.push(
      createTwoFilesPatch(`generated/${fileName}`, `regenerated/${fileName}`, current, contents),
    );
  }
  committed.delete(fileName);
}
for (const extra of committed.keys())
  problems.push(`generated/${extra} is extra: no spec produces it`);

const ms = Math.round(performance.now() - started);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(
    `\ngenerated/ is out of step with openapi/ (${problems.length} file(s)); fresh output is in ${tempDir}.` +
      '\nRun `npm run generate` and commit the result.',
  );
  process.exit(1);
}
await rm(tempDir, { recursive: true });
console.log(`generated/ matches openapi/ (${fresh.length} file(s), ${ms} ms)`);
