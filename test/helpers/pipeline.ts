/**
 * The harness of the pipeline tests: a temporary copy of the project to run the scripts on (never
 * the work tree), a runner for the scripts, and a snapshot of the files a script may write.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../../scripts/pipeline.mjs';
import { SYNC_FILES } from '../../scripts/upstream/config.mjs';

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
/** Copied too when the project has them: Redocly reads its lint-ignore file beside redocly.yaml. */
const OPTIONAL_ENTRIES = ['.redocly.lint-ignore.yaml'];

/**
 * A fresh copy of the project, in `dir` (a new temporary folder by default; remove that one with
 * {@link removeCopy}). Resolves the copy's root.
 */
export async function freshCopy(dir?: string): Promise<string> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'ft-checkpoints-pipeline-')));
  for (const entry of PROJECT_ENTRIES) {
    await cp(join(repoRoot, entry), join(root, entry), { recursive: true });
  }
  for (const entry of OPTIONAL_ENTRIES.filter((name) => existsSync(join(repoRoot, name)))) {
    await cp(join(repoRoot, entry), join(root, entry));
  }
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
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

/** The last line of a script's output: `sync:upstream`'s verdict. */
export function lastLine(output: string): string | undefined {
  return output.trim().split('\n').at(-1);
}

/** A copy's openapi/upstream/lock.json, parsed. */
export async function readLock(root: string): Promise<Doc> {
  return JSON.parse(await readFile(join(root, SYNC_FILES.lock), 'utf8'));
}

/** `tsc -p tsconfig.json` on a copy: what `npm run typecheck` runs. */
export async function typeCheck(root: string): Promise<ScriptResult> {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  try {
    const { stdout, stderr } = await run(process.execPath, [
      tsc,
      '-p',
      join(root, 'tsconfig.json'),
    ]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

/** A parsed OpenAPI document (or part of one), shaped per test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, shaped per test
export type Doc = any;

/** The small stand-ins for upstream's documents (see each file's header). */
export const UPSTREAM_FIXTURES = join(repoRoot, 'test/fixtures/upstream');

/** A YAML or JSON file, parsed. */
export async function readYaml(path: string): Promise<Doc> {
  return parse(await readFile(path, 'utf8'));
}

/** `doc` written as YAML to `dir/name`; resolves the file's path. */
export async function writeYaml(dir: string, name: string, doc: Doc): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, stringify(doc, { aliasDuplicateObjects: false }));
  return path;
}

/** The project's sync configuration (openapi/upstream/sync.json) and its vendored extract. */
export async function vendoredState(root: string = repoRoot): Promise<{
  config: { operations: string[]; keepSchemas: string[] };
  extract: Doc;
}> {
  const [config, extract] = await Promise.all([
    readYaml(join(root, SYNC_FILES.config)),
    readYaml(join(root, SYNC_FILES.extract)),
  ]);
  return { config, extract };
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `primary`'s entries, then those of `secondary` that `primary` lacks (tags matched by name). */
function mergeEntries(primary: Doc, secondary: Doc): Doc {
  if (Array.isArray(primary) && Array.isArray(secondary)) {
    const names = new Set(primary.map((tag: Doc) => tag?.name));
    return [...primary, ...secondary.filter((tag: Doc) => !names.has(tag?.name))];
  }
  if (!isMap(primary) || !isMap(secondary)) return primary ?? secondary;
  const merged = { ...primary };
  for (const [key, value] of Object.entries(secondary)) if (!(key in merged)) merged[key] = value;
  return merged;
}

/**
 * A full upstream document made of two: everything `primary` has, plus the paths, webhooks,
 * components, tags and top-level keys of `secondary` that `primary` lacks. Tests use it to sync a
 * project whatever operations its sync.json configures: the vendored extract plus a fixture's
 * other operations (what the extraction must cut away, or an operation to add), or a fixture's
 * revision of an operation plus the vendored rest.
 */
export function combineDocuments(primary: Doc, secondary: Doc): Doc {
  const combined: Doc = { ...primary };
  for (const [key, value] of Object.entries(secondary)) {
    if (!(key in combined)) combined[key] = value;
    else if (key === 'paths' || key === 'webhooks' || key === 'tags') {
      combined[key] = mergeEntries(primary[key], value);
    } else if (key === 'components') {
      const components: Doc = { ...primary.components };
      for (const [kind, entries] of Object.entries(value as Doc)) {
        components[kind] = mergeEntries(components[kind], entries);
      }
      combined.components = components;
    }
  }
  return combined;
}
