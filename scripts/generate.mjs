#!/usr/bin/env node
// `npm run generate`: lint every spec, regenerate generated/, and remove files no spec produces.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateAll, layout, rootFromArgv } from './pipeline.mjs';

const started = performance.now();
const { root, generatedDir } = layout(rootFromArgv());
const files = await generateAll(root);
await mkdir(generatedDir, { recursive: true });
const wanted = new Set(files.map((file) => file.fileName));
for (const name of await readdir(generatedDir)) {
  if (!wanted.has(name)) await rm(join(generatedDir, name), { recursive: true });
}
for (const file of files) await writeFile(join(generatedDir, file.fileName), file.contents);
const ms = Math.round(performance.now() - started);
console.log(`generated ${files.length} file(s) into generated/ in ${ms} ms`);
