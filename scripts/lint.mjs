#!/usr/bin/env node
// `npm run lint`: Redocly lint of every spec with redocly.yaml, in-process and offline. Any
// warning fails, because the config extends `recommended-strict`.
import { lintSpecs, listSpecs, rootFromArgv } from './pipeline.mjs';

const root = rootFromArgv();
const specs = await listSpecs(root);
await lintSpecs(specs, root);
console.log(`redocly lint: ${specs.length} spec(s), 0 errors, 0 warnings`);
