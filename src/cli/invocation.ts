/**
 * How to run this CLI from where it runs, for the mock's banner to suggest a command that works
 * there: `ft-checkpoints` when that command on PATH is this very file (a global install, or
 * `npm link` in a clone), `npx ft-checkpoints` when it is installed in the project the shell is
 * in, else `node <its path>` (in a clone: `node dist/cli.js`).
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { PROGRAM } from './exit.js';

/** What the suggestion depends on: all paths real (symlinks resolved). */
interface Whereabouts {
  /** This CLI's file. */
  readonly script: string;
  /** The working directory. */
  readonly cwd: string;
  /** The file `ft-checkpoints` on PATH runs, or `undefined` when PATH has none. */
  readonly onPath: string | undefined;
}

/** Whether `path` is `dir` or lies below it. */
function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || !(rel.startsWith('..') || isAbsolute(rel));
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that runs this CLI from `cwd` (pure).
 *
 * @example
 * ```ts
 * commandHere({ script: '/src/ftc/dist/cli.js', cwd: '/src/ftc', onPath: undefined }); // 'node dist/cli.js'
 * ```
 */
export function commandHere({ script, cwd, onPath }: Whereabouts): string {
  if (onPath === script) return PROGRAM;
  // Installed in a project: npx finds it from anywhere inside that project.
  const marker = `${sep}node_modules${sep}`;
  const at = script.lastIndexOf(marker);
  if (at !== -1 && within(script.slice(0, at), cwd)) return `npx ${PROGRAM}`;
  return `node ${shellWord(within(cwd, script) ? relative(cwd, script) : script)}`;
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The real file that `name` runs from the directories of `pathVariable`, if any runs. */
function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    return realpath(candidate);
  }
  return undefined;
}

/** The facts of this process: its script, working directory and PATH (effects: the file system). */
export function whereaboutsOf(
  script: string,
  env: Readonly<Record<string, string | undefined>>,
): Whereabouts {
  const cwd = process.cwd();
  return {
    script: realpath(script) ?? script,
    cwd: realpath(cwd) ?? cwd,
    onPath: findOnPath(PROGRAM, env.PATH),
  };
}
