/**
 * The harness of the pipeline tests: a temporary copy of the project to run the scripts on (never
 * the work tree), a runner for the scripts, and a snapshot of the files a script may write.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../scripts/pipeline.mjs';

const run = promisify(execFile);

/** What a copy needs to lint, generate, sync and type-check. */
const PROJECT_ENTRIES = [
  'openapi',
  'generated',
  'src',
  'redocly.yaml',
  '.prettierrc.json',
  'tsconfig.json',
  'package.json',
];

/** A fresh copy of the project in a temporary folder; remove it with {@link removeCopy}. */
export async function freshCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ft-checkpoints-pipeline-'));
  for (const entry of PROJECT_ENTRIES) {
    await cp(join(repoRoot, entry), join(dir, entry), { recursive: true });
  }
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export async function removeCopy(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface ScriptResult {
  code: number;
  output: string;
  /** The folder a failing check:generated kept for inspection (already removed by the harness). */
  kept?: string;
}

/**
 * Runs `scripts/<name>` with `--root root` and `args` (in `env`); resolves with its exit code and output. A
 * folder that a failing drift check keeps on purpose is named in its message: the harness checks
 * that it exists, then removes it, so that a passing test run leaves nothing in the temp folder.
 */
export async function script(
  name: string,
  root: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  let result: ScriptResult;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot, 'scripts', name), '--root', root, ...args],
      { env },
    );
    result = { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    result = { code: failure.code, output: failure.stdout + failure.stderr };
  }
  const kept = /Fresh output is in (\S+?)\.(?:\s|$)/.exec(result.output)?.[1];
  if (kept !== undefined) {
    if (!existsSync(kept)) throw new Error(`${name} named ${kept} as kept, but it does not exist`);
    await rm(kept, { recursive: true, force: true });
    result.kept = kept;
  }
  return result;
}

/** Every file under `dir` (except node_modules) with its contents, to prove a run wrote nothing. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return files;
}
