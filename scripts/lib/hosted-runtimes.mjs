// The runtimes that cannot serve the mock themselves (Workers, the Edge VM, a browser page): the
// host runs the mock and each of these runs test/smoke/client-scenario.mjs against it, from a
// bundle of the installed package or (in Chromium) from its ESM build through an import map.
// Each `run*` resolves the client's facts, or throws an Error saying why the runtime failed.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { essence, runCommand, tail } from './stage.mjs';

// A date this workerd build supports (a later one is refused at startup).
export const COMPATIBILITY_DATE = '2026-07-01';

/** Bundles `entry` (under `app`, importing the installed package) into `app/<outfile>`. */
export async function bundle(app, entry, outfile, options) {
  await build({
    absWorkingDir: app,
    entryPoints: [join(app, entry)],
    outfile: join(app, outfile),
    bundle: true,
    logLevel: 'silent',
    target: 'es2022',
    ...options,
  });
  return join(app, outfile);
}

/** A port free right now on 127.0.0.1, for a server whose port must be chosen up front. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Parses the last JSON line of some output. */
function lastJson(output, what) {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`${what} printed no JSON result: ${tail(output)}`);
  return JSON.parse(line);
}

/**
 * A workerd config serving the bundled worker on `port`. Its outbound network service must allow
 * `local`: the default allows only public addresses, and the mock is on 127.0.0.1.
 */
function workerdConfig(bundleFile, port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${bundleFile}")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "loopback",
);
`;
}

/** Runs the bundled worker with `workerd serve` and asks it for the scenario's facts. */
export async function runWorkerd({ app, workerd, bundleFile, mockUrl, timeoutMs }) {
  const port = await freePort();
  const config = join(app, 'workerd.capnp');
  await writeFile(config, workerdConfig(relative(app, bundleFile), port));
  const controller = new AbortController();
  const server = runCommand(workerd, ['serve', config], {
    cwd: app,
    timeoutMs,
    signal: controller.signal,
  });
  let exited;
  server.then((result) => (exited = result));
  try {
    const base = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + timeoutMs;
    // Wait until it listens: a request without ?mock= gets the worker's 400.
    for (;;) {
      if (exited)
        throw new Error(
          `workerd exited (${exited.code ?? exited.signal}): ${essence(exited.stderr)}`,
        );
      if (Date.now() > deadline) throw new Error(`workerd did not listen within ${timeoutMs} ms`);
      const probe = await fetch(base).catch(() => undefined);
      if (probe?.status === 400) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const response = await fetch(`${base}?mock=${encodeURIComponent(mockUrl)}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  } finally {
    controller.abort();
    await server;
  }
}

/** Runs the bundled worker under miniflare, on a Node new enough for it. */
export async function runMiniflare({ app, node, miniflareEntry, bundleFile, mockUrl, timeoutMs }) {
  const run = await runCommand(
    node,
    [join(app, 'miniflare-run.mjs'), miniflareEntry, bundleFile, mockUrl],
    { cwd: app, timeoutMs },
  );
  if (run.code !== 0) {
    const why = run.timedOut ? `timed out after ${timeoutMs} ms` : `exit ${run.code ?? run.signal}`;
    throw new Error(`miniflare ${why}: ${essence(`${run.stdout}\n${run.stderr}`)}`);
  }
  return lastJson(run.stdout, 'miniflare');
}

/** Runs the scenario's IIFE bundle (global `smoke`) inside Vercel's Edge Runtime VM. */
export async function runEdge({ edgeVmEntry, bundleFile }, mockUrl) {
  const { EdgeVM } = await import(pathToFileURL(edgeVmEntry).href);
  const vm = new EdgeVM();
  vm.evaluate(await readFile(bundleFile, 'utf8'));
  // JSON across the boundary: the VM's objects belong to another realm.
  const json = await vm.evaluate(
    `smoke.clientScenario(${JSON.stringify(mockUrl)}).then((facts) => JSON.stringify({ ...facts, runtime: typeof EdgeRuntime === 'string' ? EdgeRuntime : 'not edge-runtime' }))`,
  );
  return JSON.parse(json);
}

const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript' };

/**
 * Serves the files under `dir` on 127.0.0.1 (another origin than the mock's), GET only, nothing
 * outside `dir`. Resolves `{ url, close }`.
 */
export function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    try {
      const path = resolve(dir, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
      if (req.method !== 'GET' || !path.startsWith(`${dir}${sep}`)) throw new Error('not served');
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolveServer({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((r) => {
            server.close(r);
            server.closeAllConnections();
          }),
      }),
    );
  });
}

/** The ESM entry a package's `exports["."]` gives to `import` in a browser. */
async function browserEntry(app, name) {
  const pkg = JSON.parse(await readFile(join(app, 'node_modules', name, 'package.json'), 'utf8'));
  const dot = pkg.exports?.['.'];
  const target = dot?.browser ?? dot?.import?.default ?? dot?.import ?? dot?.default ?? pkg.module;
  if (typeof target !== 'string') throw new Error(`no browser ESM entry in ${name}'s exports`);
  return `/node_modules/${name}/${target.replace(/^\.\//, '')}`;
}

/**
 * Writes the two pages: one loading the ESM build through an import map (as a buildless app
 * would), one loading the esbuild bundle. Returns their paths under `app`.
 */
export async function writeBrowserPages(app, bundleFile) {
  const imports = {
    'fine-tuning-checkpoints': await browserEntry(app, 'fine-tuning-checkpoints'),
    'openapi-fetch': await browserEntry(app, 'openapi-fetch'),
  };
  // An empty icon: Chromium's favicon request would otherwise log a 404 as a page error.
  const page = (head) =>
    `<!doctype html>\n<meta charset="utf-8">\n<title>smoke</title>\n<link rel="icon" href="data:,">\n${head}\n`;
  await writeFile(
    join(app, 'importmap.html'),
    page(
      `<script type="importmap">${JSON.stringify({ imports })}</script>\n<script type="module" src="/browser-page.mjs"></script>`,
    ),
  );
  await writeFile(
    join(app, 'bundle.html'),
    page(`<script type="module" src="/${relative(app, bundleFile)}"></script>`),
  );
  return { importMap: '/importmap.html', bundle: '/bundle.html' };
}

/** Launches the system Chromium through playwright-core (its own download cannot work offline). */
export async function launchChromium(playwrightEntry, executablePath) {
  const { chromium } = await import(pathToFileURL(playwrightEntry).href);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/**
 * Opens `pageUrl`, waits for the scenario module, and runs it against the mock: once with
 * `dangerouslyAllowBrowser: true`, and once without, which must refuse; then once against
 * `plainMockUrl`, a mock without `cors`, which the browser must not let the page read.
 */
export async function runChromium(browser, pageUrl, mockUrl, plainMockUrl, timeoutMs) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  try {
    await page.goto(pageUrl);
    await page
      .waitForFunction(() => globalThis.smoke !== undefined, undefined, { timeout: timeoutMs })
      .catch(() => {
        throw new Error(`the page never loaded the scenario: ${errors.join(' | ') || 'no error'}`);
      });
    const facts = await page.evaluate(
      async ([url, plainUrl]) => {
        const optIn = { dangerouslyAllowBrowser: true };
        const refusal = globalThis.smoke.refusalWithoutOptIn(url);
        const result = await globalThis.smoke.clientScenario(url, optIn);
        const withoutCors = await globalThis.smoke.firstPageError(plainUrl, optIn);
        return { ...result, refusal, withoutCors };
      },
      [mockUrl, plainMockUrl],
    );
    if (!facts.ok && errors.length > 0)
      facts.error = `${facts.error} (page: ${errors.join(' | ')})`;
    return { ...facts, runtime: `chromium/${browser.version()}` };
  } finally {
    await page.close();
  }
}
