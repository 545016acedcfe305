// The mock's banner suggests a command that works where it runs: in a clone, `node dist/cli.js`
// (or its absolute path from elsewhere); with `ft-checkpoints` on PATH (a global install, or
// `npm link` in a clone), `ft-checkpoints`; installed in a project, `npx ft-checkpoints`. Each
// case starts the built CLI as it is laid out there, then runs the command the banner suggests,
// through a shell, from the same directory.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmod, copyFile, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandHere } from '../src/cli/invocation.js';
import { CLI, CLI_API_KEY, startCli } from './helpers/cli.js';
import { tempFolders } from './helpers/temp.js';

const tempFolder = tempFolders('file');
const ROOT = dirname(dirname(CLI));
/** A PATH with node, npm and the shell's tools, and no `ft-checkpoints`. */
const BASE_PATH = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

/** The package as npm installs it (its `files`) into the project `dir`; returns its bin. */
async function installInto(dir: string): Promise<string> {
  const modules = join(dir, 'node_modules');
  const pkg = join(modules, 'fine-tuning-checkpoints');
  await mkdir(join(pkg, 'dist'), { recursive: true });
  await mkdir(join(modules, '.bin'));
  await copyFile(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  await copyFile(CLI, join(pkg, 'dist', 'cli.js'));
  await chmod(join(pkg, 'dist', 'cli.js'), 0o755);
  await symlink(join(ROOT, 'node_modules', 'openapi-fetch'), join(modules, 'openapi-fetch'));
  await symlink('../fine-tuning-checkpoints/dist/cli.js', join(modules, '.bin', 'ft-checkpoints'));
  return join(pkg, 'dist', 'cli.js');
}

/**
 * Starts the mock with `command` in `cwd`, and returns the command its banner suggests and the
 * result of running `<suggested> jobs` through a shell in `cwd`, against that mock.
 */
async function trySuggestion(command: string[], cwd: string, PATH: string) {
  const mock = startCli([], { PATH }, [...command, 'mock', '--port', '0'], cwd);
  try {
    await mock.waitFor(/Ctrl\+C/);
    const banner = mock.stdout();
    const suggested = /^ {2}(.+) jobs$/m.exec(banner)?.[1] ?? '';
    const url = /OPENAI_BASE_URL=(\S+)/.exec(banner)?.[1] ?? '';
    // Not spawnSync: the tests run concurrently, and it would stop every other one meanwhile.
    const run = await promisify(execFile)('sh', ['-c', `${suggested} jobs`], {
      cwd,
      encoding: 'utf8',
      env: { PATH, HOME: cwd, OPENAI_BASE_URL: url, OPENAI_API_KEY: CLI_API_KEY },
    });
    return { suggested, run };
  } finally {
    mock.child.kill('SIGTERM');
    await mock.done;
  }
}

describe('commandHere (pure)', () => {
  const installed = '/p/node_modules/fine-tuning-checkpoints/dist/cli.js';
  it.each([
    [{ script: '/c/ftc/dist/cli.js', cwd: '/c/ftc', onPath: undefined }, 'node dist/cli.js'],
    [
      { script: '/c/ftc/dist/cli.js', cwd: '/c/ftc/src', onPath: undefined },
      'node /c/ftc/dist/cli.js',
    ],
    [
      { script: '/c/my dir/dist/cli.js', cwd: '/c', onPath: undefined },
      "node 'my dir/dist/cli.js'",
    ],
    [{ script: '/c/ftc/dist/cli.js', cwd: '/tmp', onPath: '/c/ftc/dist/cli.js' }, 'ft-checkpoints'],
    [{ script: '/c/ftc/dist/cli.js', cwd: '/c/ftc', onPath: '/other/cli.js' }, 'node dist/cli.js'],
    [{ script: installed, cwd: '/p/src', onPath: undefined }, 'npx ft-checkpoints'],
    [{ script: installed, cwd: '/elsewhere', onPath: undefined }, `node ${installed}`],
  ])('%j: %s', (where, command) => {
    expect(commandHere(where)).toBe(command);
  });
});

describe.concurrent('the banner of the built CLI suggests a command that works there', () => {
  const listed = /^id +model +status +created/;

  it('in a clone: node dist/cli.js', async () => {
    const { suggested, run } = await trySuggestion(['node', 'dist/cli.js'], ROOT, BASE_PATH);
    expect(suggested).toBe('node dist/cli.js');
    expect(run.stdout).toMatch(listed);
  });

  it('from another directory: node and its absolute path', async () => {
    const cwd = await tempFolder('ft-banner-elsewhere-');
    const { suggested, run } = await trySuggestion(['node', CLI], cwd, BASE_PATH);
    expect(suggested).toBe(`node ${CLI}`);
    expect(run.stdout).toMatch(listed);
  });

  it('on PATH (a global install, npm link): ft-checkpoints', async () => {
    const prefix = await tempFolder('ft-banner-global-');
    const bin = await installInto(join(prefix, 'lib'));
    await mkdir(join(prefix, 'bin'));
    await symlink(bin, join(prefix, 'bin', 'ft-checkpoints'));
    const PATH = `${join(prefix, 'bin')}:${BASE_PATH}`;
    const cwd = await tempFolder('ft-banner-anywhere-');
    const { suggested, run } = await trySuggestion(['ft-checkpoints'], cwd, PATH);
    expect(suggested).toBe('ft-checkpoints');
    expect(run.stdout).toMatch(listed);
  });

  it('installed in a project: npx ft-checkpoints', async () => {
    const project = await tempFolder('ft-banner-project-');
    await installInto(project);
    const { suggested, run } = await trySuggestion(
      ['node_modules/.bin/ft-checkpoints'],
      project,
      BASE_PATH,
    );
    expect(suggested).toBe('npx ft-checkpoints');
    expect(run.stderr).not.toMatch(/not found|ERR/);
    expect(run.stdout).toMatch(listed);
  });
});
