#!/usr/bin/env node
// `npm run test:types`: the TypeScript consumer matrix. Installs the packed tarball into a fresh
// project and type-checks the fixtures of test/consumer/ against it under every TypeScript minor
// the package claims (pinned in runtimes/package-lock.json) and every module resolution each
// still has, always with `strict`, `exactOptionalPropertyTypes` and `skipLibCheck: false` (the
// shipped .d.ts/.d.cts files are checked too, not only their use):
//   - nodenext: ESM and (a .cts copy) CommonJS, with @types/node, as a Node service compiles;
//   - bundler: lib DOM and no @types/node, as a Workers, Edge or browser app compiles;
//   - node10: CommonJS the old way (TypeScript 6 needs `ignoreDeprecations: "6.0"`; 7 removed it);
//   - commonjs-no-target: an old CommonJS project that sets `module: commonjs` and no `target`,
//     `lib` or `moduleResolution` (so ES5, and node10): the declarations must not need ES2015
//     syntax there (a `#private` field is TS18028). TypeScript 5 only: 6 deprecated ES5.
// `npm test` keeps its one quick check (scripts/test-consumer.mjs, the repository's TypeScript);
// .ci/run runs this one and counts its lines.
//
// Output: `PASS types <typescript> <resolution>` or `FAIL ...: <errors>` per cell, then a last
// line exactly `types: N passed, N failed`, printed on every path. Exits 1 if any failed.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDist } from './lib/dist.mjs';
import { ensureRuntimes, lockedVersion } from './lib/runtimes.mjs';
import { runCommand, stagePackage, tail } from './lib/stage.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'consumer');

/**
 * The TypeScript minors the package supports, each an alias in runtimes/package.json. 5.4 is
 * the oldest: see docs/runtimes.md for why.
 */
const COMPILERS = [
  { alias: 'typescript-5.4', resolutions: ['nodenext', 'bundler', 'node10', 'commonjs-no-target'] },
  { alias: 'typescript-5.9', resolutions: ['nodenext', 'bundler', 'node10', 'commonjs-no-target'] },
  { alias: 'typescript-6.0', resolutions: ['nodenext', 'bundler', 'node10'], deprecations: '6.0' },
  // TypeScript 7 has no node10 (nor `moduleResolution: node`) any more.
  { alias: 'typescript-7.0', resolutions: ['nodenext', 'bundler'] },
];

/** The compiler options and files of one resolution mode. */
function configFor(resolution, deprecations) {
  const common = {
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  };
  // What a Node project compiles with; the repository's @types/node stands in for the app's.
  const nodeTypes = { types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };
  if (resolution === 'nodenext') {
    return {
      compilerOptions: {
        ...common,
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        ...nodeTypes,
      },
      files: ['consumer.ts', 'consumer.cts', 'explicit-undefined.ts'],
    };
  }
  if (resolution === 'bundler') {
    return {
      compilerOptions: {
        ...common,
        target: 'ES2022',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        types: [],
      },
      files: ['consumer.ts', 'explicit-undefined.ts'],
    };
  }
  if (resolution === 'commonjs-no-target') {
    // Only what such a project sets: no target (ES5), no lib, no moduleResolution (node10).
    return {
      compilerOptions: {
        ...common,
        module: 'CommonJS',
        ...nodeTypes,
      },
      files: ['consumer.ts', 'explicit-undefined.ts'],
    };
  }
  return {
    compilerOptions: {
      ...common,
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'CommonJS',
      moduleResolution: 'Node10',
      ...nodeTypes,
      ...(deprecations === undefined ? {} : { ignoreDeprecations: deprecations }),
    },
    files: ['consumer.ts', 'explicit-undefined.ts'],
  };
}

/** Type-checks one cell of the matrix; resolves its output line and whether it passed. */
async function check(app, compiler, resolution) {
  const version = lockedVersion(root, compiler.alias) ?? '?';
  const label = `types typescript ${version} ${resolution}`;
  const tsc = join(root, 'runtimes', 'node_modules', compiler.alias, 'bin', 'tsc');
  if (!existsSync(tsc))
    return { ok: false, line: `FAIL ${label}: ${compiler.alias} not installed` };
  const config = `tsconfig.${compiler.alias}.${resolution}.json`;
  writeFileSync(
    join(app, config),
    `${JSON.stringify(configFor(resolution, compiler.deprecations), null, 2)}\n`,
  );
  const started = performance.now();
  const run = await runCommand(process.execPath, [tsc, '--project', config, '--pretty', 'false'], {
    cwd: app,
    timeoutMs: 180_000,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.code === 0) {
    return {
      ok: true,
      line: `PASS ${label} (${configFor(resolution).files.join(', ')}, ${seconds}s)`,
    };
  }
  const why = run.timedOut ? 'timed out' : `exit ${run.code ?? run.signal}`;
  // The error heads (`file(line,col): error TSnnnn: ...`), one per error, say most in one line.
  const output = `${run.stdout}\n${run.stderr}`;
  const heads = output.split('\n').filter((l) => /\): error TS\d+/.test(l));
  const shown = heads.length === 0 ? tail(output) : heads.slice(0, 6).join(' | ');
  const more = heads.length > 6 ? ` | ... ${heads.length - 6} more` : '';
  return { ok: false, line: `FAIL ${label}: ${why}, ${heads.length} errors: ${shown}${more}` };
}

let passed = 0;
let failed = 0;
const cells = COMPILERS.flatMap((compiler) =>
  compiler.resolutions.map((resolution) => ({ compiler, resolution })),
);
let setupError = ensureDist(root, ['index.js', 'index.d.ts', 'mock.d.ts']).error;
setupError ??= await ensureRuntimes(root);
let staged;
if (setupError === undefined) {
  try {
    staged = await stagePackage(root, 'ft-checkpoints-types-');
    for (const file of ['consumer.ts', 'explicit-undefined.ts']) {
      copyFileSync(join(fixtures, file), join(staged.app, file));
    }
    // The same source compiled as CommonJS, so nodenext resolves the `require` conditions too.
    copyFileSync(join(fixtures, 'consumer.ts'), join(staged.app, 'consumer.cts'));
  } catch (error) {
    setupError = error.message;
  }
}
if (setupError !== undefined) {
  for (const { compiler, resolution } of cells) {
    console.log(`FAIL types ${compiler.alias} ${resolution}: ${tail(setupError)}`);
    failed++;
  }
} else {
  // Two at a time: each tsc is single-threaded, and CI machines have two cores.
  const width = Math.max(1, Math.min(2, availableParallelism()));
  const queue = [...cells];
  const results = new Array(cells.length);
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let cell = queue.shift(); cell; cell = queue.shift()) {
        results[cells.indexOf(cell)] = await check(staged.app, cell.compiler, cell.resolution);
      }
    }),
  );
  for (const { ok, line } of results) {
    console.log(line);
    if (ok) passed++;
    else failed++;
  }
}
if (staged) rmSync(staged.work, { recursive: true, force: true });
console.log(`types: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
