#!/usr/bin/env node
// The consumer test (part of `npm test`): installs the packed tarball into a throwaway project, the
// way a user gets it, and checks that it type-checks (nodenext as ESM and as CommonJS, bundler),
// that it runs through `import` and `require`, and that the `ft-checkpoints` bin works. This
// catches what unit tests of src/ cannot: a file missing from `files`, a wrong `exports` path or
// condition, declarations that do not resolve, a CJS build that does not load. It type-checks
// with the repository's TypeScript only; `npm run test:types` runs the full TypeScript matrix.
//
// Offline-safe: the only dependencies (openapi-fetch and its helpers) are in npm's cache after
// `npm ci`, so the install uses --prefer-offline; @types/node comes from the repo's node_modules.
// Prints `consumer: ok ...` per check; exits 1 at the first failure, keeping the temp project.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureDist } from './lib/dist.mjs';
import { childEnv as cleanEnv, stagePackage } from './lib/stage.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'consumer');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Set once the tarball is installed: the throwaway project and its folder.
let work;
let app;

class CheckFailed extends Error {}

function fail(what, details) {
  throw new CheckFailed(`consumer: FAIL ${what}: ${String(details ?? '').trim()}`);
}

function ok(what) {
  console.log(`consumer: ok ${what}`);
}

// No npm_* pointing at this repository, no OPENAI_* from the developer's shell.
const childEnv = cleanEnv();

/** Runs a command; returns its stdout, or fails the check `what` with its output. */
function run(what, command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: childEnv,
    timeout: 120_000,
    ...options,
  });
  if (result.status !== 0) {
    const why = result.error ? String(result.error) : `exit ${result.status ?? result.signal}`;
    fail(
      what,
      `${command} ${args.join(' ')} (${why})\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result.stdout;
}

/** Like `run`, but asynchronous, so independent slow steps (the two tsc runs) overlap. */
function runAsync(what, command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv, ...options });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else
        reject(new CheckFailed(`consumer: FAIL ${what}: exit ${code ?? signal}\n${output.trim()}`));
    });
  });
}

/** Builds dist/ when it is missing or older than src/: `npm test` runs before any build in CI. */
function ensureBuilt() {
  const { built, error } = ensureDist(root, [
    'index.js',
    'index.cjs',
    'mock.js',
    'mock.cjs',
    'cli.js',
  ]);
  if (error !== undefined) fail('build (tsup)', error);
  if (built) ok('built dist/ with tsup');
}

/** Parses the last JSON line a consumer printed and compares it with what it must report. */
function checkRun(what, stdout, expected) {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  let actual;
  try {
    actual = JSON.parse(line);
  } catch {
    fail(what, `no JSON result line in:\n${stdout}`);
  }
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(actual[key]) !== JSON.stringify(value)) {
      fail(what, `${key} is ${JSON.stringify(actual[key])}, expected ${JSON.stringify(value)}`);
    }
  }
}

/** A tsconfig for the temp project; `@types/node` is read from the repo's node_modules. */
function writeTsconfig(name, module, moduleResolution, files) {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module,
      moduleResolution,
      strict: true,
      noEmit: true,
      // Our .d.ts/.d.cts files are part of what ships: check them too, not only their use.
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    },
    files,
  };
  writeFileSync(join(app, name), `${JSON.stringify(config, null, 2)}\n`);
}

const started = performance.now();
try {
  ensureBuilt();

  // 1-2. Pack exactly what `npm publish` would upload; install it into a fresh ESM project (its
  //      dependencies come from npm's cache).
  let tarball;
  try {
    ({ work, app, tarball } = await stagePackage(root, 'ft-checkpoints-consumer-'));
  } catch (error) {
    fail('npm pack / npm install <tarball>', error.message);
  }
  ok(`packed ${tarball.split('/').at(-1)} and installed it into a fresh project`);

  // 3. Type-check. consumer.cts is the same source compiled as CommonJS, so nodenext resolves
  //    the `require` conditions and the .d.cts declarations as well as the `import` ones.
  copyFileSync(join(fixtures, 'consumer.ts'), join(app, 'consumer.ts'));
  copyFileSync(join(fixtures, 'consumer.ts'), join(app, 'consumer.cts'));
  writeTsconfig('tsconfig.nodenext.json', 'NodeNext', 'NodeNext', ['consumer.ts', 'consumer.cts']);
  writeTsconfig('tsconfig.bundler.json', 'ESNext', 'Bundler', ['consumer.ts']);
  // The two compilations are independent and each takes seconds: run them side by side.
  const [nodenext, bundler] = await Promise.allSettled([
    runAsync('tsc (nodenext)', process.execPath, [tsc, '--project', 'tsconfig.nodenext.json'], {
      cwd: app,
    }),
    runAsync('tsc (bundler)', process.execPath, [tsc, '--project', 'tsconfig.bundler.json'], {
      cwd: app,
    }),
  ]);
  if (nodenext.status === 'rejected') throw nodenext.reason;
  ok('types check under moduleResolution nodenext (ESM .d.ts and CJS .d.cts)');
  if (bundler.status === 'rejected') throw bundler.reason;
  ok('types check under moduleResolution bundler');

  // 4. Run it both ways: 35 checkpoints, limit 10 -> 4 pages; + 1 request for the 404.
  const expected = {
    version: pkg.version,
    items: 35,
    unique: 35,
    allKnown: true,
    requests: 5,
    notFound: true,
  };
  copyFileSync(join(fixtures, 'consumer.mjs'), join(app, 'consumer.mjs'));
  copyFileSync(join(fixtures, 'consumer.cjs'), join(app, 'consumer.cjs'));
  checkRun(
    'import (ESM)',
    run('node consumer.mjs', process.execPath, ['consumer.mjs'], { cwd: app }),
    {
      ...expected,
      format: 'esm',
      entries: ['index.js', 'mock.js'],
    },
  );
  ok('import: 35 checkpoints listed once each, NotFoundError for an unknown job');
  checkRun(
    'require (CJS)',
    run('node consumer.cjs', process.execPath, ['consumer.cjs'], { cwd: app }),
    {
      ...expected,
      format: 'cjs',
      entries: ['index.cjs', 'mock.cjs'],
    },
  );
  ok('require: 35 checkpoints listed once each, NotFoundError for an unknown job');

  // 5. The bin as npm linked it: shebang, executable bit, and it finds its own version.
  const bin = join(app, 'node_modules', '.bin', 'ft-checkpoints');
  const version = run('ft-checkpoints --version', bin, ['--version'], { cwd: app }).trim();
  if (version !== pkg.version)
    fail('ft-checkpoints --version', `printed ${JSON.stringify(version)}, expected ${pkg.version}`);
  ok(`ft-checkpoints --version prints ${version}`);

  rmSync(work, { recursive: true, force: true });
  console.log(
    `consumer: all checks passed in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
} catch (err) {
  console.error(err instanceof CheckFailed ? err.message : err);
  if (work) console.error(`consumer: temp project kept for inspection: ${work}`);
  process.exitCode = 1;
}
