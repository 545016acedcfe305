#!/usr/bin/env node
// `npm run generate`: build each fragment from its upstream extract and overlay, lint every spec,
// regenerate generated/, and remove files no spec produces.
import { regenerate, rootFromArgv } from './pipeline.mjs';

const started = performance.now();
const { fragments, files } = await regenerate(rootFromArgv());
const ms = Math.round(performance.now() - started);
console.log(
  `built ${fragments.length} fragment(s); generated ${files.length} file(s) into generated/ in ${ms} ms`,
);
