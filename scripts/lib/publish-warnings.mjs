// What `npm publish` warns about a package, without publishing it and without the network. npm
// fixes some package.json mistakes on its own at publish time (`"bin[x]" script name ... was
// invalid and removed`, a name it renamed, a field it dropped) and says so only there: `npm pack`
// stays silent. So the check runs `npm publish --dry-run` for real, against a registry on
// 127.0.0.1 that knows no package (the versions look-up gets a 404) with a throwaway token in a
// throwaway user config (else npm warns that nobody is logged in).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, tail } from './stage.mjs';

/** Starts a registry that answers every request 404; resolves its URL and a way to stop it. */
async function emptyRegistry() {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"error":"Not found"}');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Runs `npm publish --dry-run --ignore-scripts` in `dir` (build first: scripts do not run).
 * Resolves `{ warnings }`, every `npm warn` line it printed, or `{ error }` when it failed.
 */
export async function publishWarnings(dir) {
  const registry = await emptyRegistry();
  const home = mkdtempSync(join(tmpdir(), 'ft-checkpoints-publish-'));
  try {
    const userconfig = join(home, '.npmrc');
    const host = registry.url.replace(/^http:/, '');
    writeFileSync(userconfig, `registry=${registry.url}\n${host}:_authToken=dry-run-only\n`);
    const run = await runCommand(
      'npm',
      // --loglevel: under `npm run -s` the child would inherit `silent` and hide every warning.
      [
        'publish',
        '--dry-run',
        '--ignore-scripts',
        '--loglevel',
        'warn',
        '--userconfig',
        userconfig,
      ],
      { cwd: dir, timeoutMs: 120_000 },
    );
    if (run.code !== 0) {
      return { error: `npm publish --dry-run exit ${run.code ?? run.signal}: ${tail(run.stderr)}` };
    }
    const lines = `${run.stdout}\n${run.stderr}`.split('\n');
    return { warnings: lines.filter((line) => /^npm warn/i.test(line)) };
  } finally {
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  }
}
