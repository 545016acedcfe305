// The atomic half of `sync:upstream`: the changed sources are written into a staging copy of the
// project, which is built there as `npm run generate` and `npm run typecheck` would build it. Only
// a tree that lints, generates and type-checks is copied back into the project; otherwise the
// project is left as it was and each reason is a conflict, one line each, naming it.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { buildFragments, listSpecs, regenerate } from '../pipeline.mjs';
import { runCommand, stageProject } from '../lib/stage.mjs';

/** The folders a build writes, mirrored into the project when the build is clean. */
const BUILT_TREES = ['openapi', 'generated'];

/** `{ kind, where, message }` as one report line: `conflict: lint openapi/x.yaml#/paths: …`. */
export function conflictLine({ kind, where, message }) {
  return `conflict: ${kind}${where ? ` ${where}` : ''}: ${String(message).split('\n')[0].trim()}`;
}

/** Every lint problem of the staged specs, warnings included (the lint config is strict). */
async function lintConflicts(stage) {
  const { loadConfig, lint } = await import('@redocly/openapi-core');
  const config = await loadConfig({ configPath: join(stage, 'redocly.yaml') });
  const conflicts = [];
  for (const spec of await listSpecs(stage)) {
    for (const problem of await lint({ ref: spec, config })) {
      const location = problem.location?.[0];
      const file = location?.source?.absoluteRef ?? spec;
      conflicts.push({
        kind: 'lint',
        where: `${relative(stage, file)}${location?.pointer ?? ''}`,
        message: `${problem.message} (${problem.ruleId})`,
      });
    }
  }
  return conflicts;
}

/** `npm run typecheck` on the staged tree (`tsc -p tsconfig.json`): one conflict per error. */
async function typeConflicts(stage) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const { code, stdout, stderr } = await runCommand(
    process.execPath,
    [tsc, '-p', 'tsconfig.json', '--pretty', 'false'],
    { cwd: stage, timeoutMs: 300_000 },
  );
  if (code === 0) return [];
  const output = stdout + stderr;
  const errors = [...output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)].map(
    ([, file, line, column, id, message]) => ({
      kind: 'typecheck',
      where: `${file}:${line}:${column}`,
      message: `${message} (${id})`,
    }),
  );
  return errors.length > 0
    ? errors
    : [{ kind: 'typecheck', where: '', message: output.trim() || `tsc exited ${code}` }];
}

/** Each file under `dir/tree` by its path relative to `dir`, with its contents. */
async function readTree(dir, tree) {
  const files = new Map();
  const walk = async (folder) => {
    let entries;
    try {
      entries = await readdir(join(dir, folder), { withFileTypes: true });
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(path, await readFile(join(dir, path), 'utf8'));
    }
  };
  await walk(tree);
  return files;
}

/**
 * What the staged build changed under {@link BUILT_TREES}: `{ path, contents }` per file written
 * or rewritten, `{ path, contents: undefined }` per file removed. Paths relative to the project.
 */
async function changedFiles(stage, root) {
  const changes = [];
  for (const tree of BUILT_TREES) {
    const [built, current] = await Promise.all([readTree(stage, tree), readTree(root, tree)]);
    for (const [path, contents] of built) {
      if (current.get(path) !== contents) changes.push({ path, contents });
    }
    for (const path of current.keys()) {
      if (!built.has(path)) changes.push({ path, contents: undefined });
    }
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Builds the project at `root` with `files` (`{ [relativePath]: contents }`) written over it, in
 * a staging copy: the fragments (extract + overlay), the lint, the generation (whatever
 * `regenerate()` in scripts/pipeline.mjs does) and the type check. Writes nothing into `root`.
 * Resolves `{ conflicts, changes }`: the conflicts (`{ kind, where, message }`; none when the
 * build is clean) and the files the build changed, for {@link applyChanges}.
 */
export async function buildInStage(root, files) {
  const { dir: stage, remove } = await stageProject(root);
  try {
    for (const [path, contents] of Object.entries(files)) {
      await writeFile(join(stage, path), contents);
    }
    let fragments;
    try {
      fragments = await buildFragments(stage);
    } catch (error) {
      const problems = error.problems ?? [String(error.message)];
      return { conflicts: problems.map((message) => ({ kind: 'overlay', message })), changes: [] };
    }
    for (const { path, contents } of fragments) await writeFile(join(stage, path), contents);
    const lint = await lintConflicts(stage);
    if (lint.length > 0) return { conflicts: lint, changes: [] };
    try {
      await regenerate(stage);
    } catch (error) {
      return { conflicts: [{ kind: 'generate', message: String(error.message) }], changes: [] };
    }
    const types = await typeConflicts(stage);
    if (types.length > 0) return { conflicts: types, changes: [] };
    return { conflicts: [], changes: await changedFiles(stage, root) };
  } finally {
    await remove();
  }
}

/**
 * Writes the changes of a clean staged build into the project: each file through a temporary
 * sibling and a rename, so that no file is ever half-written.
 */
export async function applyChanges(root, changes) {
  for (const { path, contents } of changes) {
    const target = join(root, path);
    if (contents === undefined) {
      await rm(target, { force: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.sync-${process.pid}`;
    await writeFile(temporary, contents);
    await rename(temporary, target);
  }
}
