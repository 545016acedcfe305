#!/usr/bin/env node
// `npm run test:package` (after the build): checks the package as npm would publish it.
//   1. tarball contents (`npm pack --dry-run --json`): nothing but dist/**, README.md, LICENSE,
//      CHANGELOG.md and package.json; every file the manifest points at is really in it.
//   2. publint --strict: package.json fields that do not match the files (warnings fail too).
//   3. attw (Are the Types Wrong?): every entry point resolves to the right JS and types under
//      node10, node16 (from ESM and from CJS) and bundler, since we ship ESM and CJS twins.
//   4. `npm publish --dry-run` prints no `npm warn` line.
// All four always run, so one run shows every problem; exits 1 if any check failed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishWarnings } from './lib/publish-warnings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = (name) => join(root, 'node_modules', '.bin', name);

// Exactly these top-level files may ship; anything else under the root is a leak (src, tests,
// scripts, openapi, bench, configs).
const ALLOWED_FILES = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
// Inside dist/ only the bundles and their declarations: source maps would ship (and point at)
// src/, which is not published; anything else is a build leftover.
const ALLOWED_IN_DIST = /^dist\/[^/]+\.(js|cjs|mjs|d\.ts|d\.cts|d\.mts)$/;
// What must ship, whatever the manifest says: both formats of every entry point, their
// declarations, the CLI, and the files npm users and tools expect.
const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'LICENSE',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/mock.js',
  'dist/mock.cjs',
  'dist/mock.d.ts',
  'dist/mock.d.cts',
  'dist/redis-limiter.js',
  'dist/redis-limiter.cjs',
  'dist/redis-limiter.d.ts',
  'dist/redis-limiter.d.cts',
  'dist/cli.js',
];

const failures = [];

function section(title) {
  console.log(`\n== ${title}`);
}

/** Runs a tool, echoing its output; returns true when it exited 0. */
function tool(title, command, args) {
  section(title);
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    // No colour codes in CI logs; FORCE_COLOR would override --no-color in some tools.
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  process.stdout.write(result.stdout ?? '');
  process.stdout.write(result.stderr ?? '');
  if (result.error) console.log(String(result.error));
  return result.status === 0;
}

/** Every path the manifest points at (exports, main/module/types, bin), without the leading ./ */
function manifestTargets() {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk([pkg.main, pkg.module, pkg.types, pkg.typings].filter(Boolean));
  walk(typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin ?? {}));
  return [...targets];
}

// --- 1. tarball contents -------------------------------------------------------------------------
section('tarball contents (npm pack --dry-run)');
const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: root,
  encoding: 'utf8',
});
let files = [];
try {
  files = JSON.parse(pack.stdout)[0].files;
} catch {
  failures.push(`npm pack --dry-run failed (exit ${pack.status}): ${pack.stderr.trim()}`);
}
if (files.length > 0) {
  const paths = new Set(files.map((f) => f.path));
  const unexpected = [...paths].filter((p) => !ALLOWED_FILES.has(p) && !ALLOWED_IN_DIST.test(p));
  const missing = [...new Set([...REQUIRED_FILES, ...manifestTargets()])].filter(
    (p) => !paths.has(p),
  );
  for (const p of unexpected) console.log(`  unexpected: ${p}`);
  for (const p of missing) console.log(`  missing:    ${p}`);
  if (unexpected.length > 0) {
    failures.push(
      `tarball: ${unexpected.length} unexpected file(s): ${unexpected.join(', ')} ` +
        '(narrow "files" in package.json, or stop the build from emitting them)',
    );
  }
  if (missing.length > 0) {
    const hint = missing.some((p) => p.startsWith('dist/'))
      ? ' (run `npm run build` first; if it did, check tsup.config.ts entries/formats/dts)'
      : '';
    failures.push(`tarball: ${missing.length} missing file(s): ${missing.join(', ')}${hint}`);
  }
  // The bin must be executable and say which interpreter runs it, or `npx ft-checkpoints`
  // fails on Unix with a permission or syntax error.
  const binPaths = Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {}));
  for (const binPath of binPaths.map((p) => p.replace(/^\.\//, ''))) {
    const entry = files.find((f) => f.path === binPath);
    if (!entry) continue;
    if ((entry.mode & 0o111) === 0) failures.push(`tarball: ${binPath} is not executable`);
    const head = readFileSync(join(root, binPath), 'utf8').split('\n', 1)[0];
    if (head !== '#!/usr/bin/env node') {
      failures.push(`tarball: ${binPath} starts with ${JSON.stringify(head)}, not a node shebang`);
    }
  }
  const size = files.reduce((sum, f) => sum + f.size, 0);
  console.log(`  ${files.length} files, ${(size / 1024).toFixed(1)} kB unpacked`);
  if (unexpected.length === 0 && missing.length === 0) console.log('  contents ok');
}

// --- 2. publint ----------------------------------------------------------------------------------
// The local binaries, not npx: nothing to download, and the versions the lock file pins.
if (!tool('publint --strict', bin('publint'), ['--strict'])) {
  failures.push('publint --strict reported problems (see above)');
}

// --- 3. attw -------------------------------------------------------------------------------------
// --no-definitely-typed: we ship our own types, and looking up @types/* would need the network.
// The default "strict" profile checks node10 too: old `moduleResolution: node` users exist.
if (!tool('attw --pack .', bin('attw'), ['--pack', '.', '--no-definitely-typed', '--no-color'])) {
  failures.push(
    'attw found type resolution problems (see the table above); a 💀 in the node10 row for a ' +
      'subpath means `moduleResolution: node` users cannot resolve it, since node10 ignores ' +
      '"exports": map it with "typesVersions" in package.json',
  );
}

// --- 4. npm publish --dry-run ---------------------------------------------------------------------
// npm quietly rewrites some package.json mistakes at publish time (a `./` bin path, say) and warns
// only there: every `npm warn` line of a dry run fails.
section('npm publish --dry-run');
const published = await publishWarnings(root);
for (const line of published.warnings ?? []) console.log(`  ${line}`);
if (published.error !== undefined) failures.push(published.error);
else if (published.warnings.length > 0) {
  failures.push(`npm publish warns (${published.warnings.length} line(s)): see \`npm pkg fix\``);
} else console.log('  no warning');

section('summary');
if (failures.length > 0) {
  for (const failure of failures) console.log(`FAIL ${failure}`);
  console.log(`test:package: ${failures.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log(
    'test:package: ok (tarball contents, publint --strict, attw, npm publish: all green)',
  );
}
