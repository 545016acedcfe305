// Throwaway copies of the project: the packed tarball installed into a fresh project, the way a
// user gets the package (so the scripts that test "the package as published" never load dist/
// straight from the repository), and a staging copy of the sources, where `sync:upstream` builds
// a changed tree before it writes anything into the real one.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

/**
 * The environment for a child npm: without the variables `npm run` sets that point at this
 * repository (npm_config_local_prefix, npm_package_*, npm_lifecycle_*), so the temp project is
 * its own root, and without OPENAI_* from the developer's shell.
 */
export function childEnv(extra = {}) {
  return {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) =>
          !/^npm_(config_local_prefix|config_prefix|package_|lifecycle_)/i.test(name) &&
          !/^OPENAI_/.test(name),
      ),
    ),
    ...extra,
  };
}

/**
 * Runs a command to the end without blocking the event loop (a mock served by this process must
 * keep answering). Resolves `{ code, signal, stdout, stderr, timedOut }`; never rejects.
 */
export function runCommand(command, args, { timeoutMs = 120_000, ...options } = {}) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(command, args, { env: childEnv(), ...options });
    } catch (error) {
      resolve({ code: null, signal: null, stdout, stderr: String(error), timedOut, error });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error}`, timedOut, error });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last few lines of some output, on one line, for a failure reason. */
export function tail(text, lines = 6) {
  return String(text ?? '')
    .trim()
    .split('\n')
    .slice(-lines)
    .join(' | ');
}

/**
 * The line of some output that says what went wrong (an uncaught error, as workerd prints it),
 * else its last lines: a runtime's stack trace alone rarely says why.
 */
export function essence(text) {
  const lines = String(text ?? '')
    .trim()
    .split('\n');
  const cause = lines.find((line) => /Uncaught|Disallowed|Error:/.test(line));
  const last = tail(text, 2);
  return cause === undefined || last.includes(cause.trim())
    ? tail(text)
    : `${cause.trim()} | ${last}`;
}

/**
 * `npm pack`s `root` and installs the tarball into `<temp>/app` (dependencies from npm's cache
 * first). Returns `{ work, app, tarball }`; throws an Error saying which step failed.
 */
export async function stagePackage(root, prefix = 'ft-checkpoints-stage-') {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const packed = await runCommand('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
  });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${tail(packed.stderr)}`);
  const tarball = join(work, JSON.parse(packed.stdout)[0].filename);
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'staged-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = await runCommand(
    'npm',
    [
      'install',
      tarball,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--loglevel=error',
    ],
    { cwd: app },
  );
  if (install.code !== 0) throw new Error(`npm install <tarball> failed: ${tail(install.stderr)}`);
  return { work, app, tarball };
}

/** What a staging copy leaves out: installed, built or cached, never a source of the build. */
const NOT_SOURCES = new Set(['node_modules', '.git', 'dist', 'coverage', '.vitest-report.json']);
const NOT_SOURCE_FOLDERS = ['docs/api', 'bench/.tmp'];

/**
 * Copies the project at `root` (its sources and configuration, not node_modules, .git or build
 * output) into a new temporary folder whose node_modules links to the project's, so that the
 * copy lints, generates and type-checks like the original. Returns `{ dir, remove }`.
 */
export async function stageProject(root, prefix = 'ft-checkpoints-staging-') {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(root, dir, {
      recursive: true,
      filter: (source) =>
        !NOT_SOURCES.has(basename(source)) && !NOT_SOURCE_FOLDERS.includes(relative(root, source)),
    });
    await symlink(await realpath(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
