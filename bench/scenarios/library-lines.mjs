// Not a timing (issue 18): the library's size in code lines, per module: src/**/*.ts without the
// CLI and the mock, counting the lines that hold code (neither blank nor only comments), read
// with TypeScript's own parser. The rate-limit scheduler's modules are counted apart.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../lib/paths.mjs';

/** The scheduler's modules (issue 19), counted apart from the library's budget. */
export const SCHEDULER_MODULES = [
  'abort-fanout.ts',
  'pace.ts',
  'rate-limit-headers.ts',
  'redis-limiter.ts',
  'scheduler.ts',
];

/** The lines of `text` that hold a token of code (JSDoc and comments are trivia, not tokens). */
export function codeLines(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lines = new Set();
  const visit = (node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode)
      return;
    const children = node.getChildren(source);
    if (children.length > 0) return children.forEach(visit);
    if (node.kind === ts.SyntaxKind.EndOfFileToken) return;
    const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
    const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
    for (let line = first; line <= last; line++) lines.add(line);
  };
  visit(source);
  return lines.size;
}

export async function run() {
  const srcDir = join(repoRoot, 'src');
  const files = (await readdir(srcDir, { recursive: true }))
    .filter((name) => name.endsWith('.ts') && !/^(cli|mock)[\\/]/.test(name))
    .sort();
  const rows = await Promise.all(
    files.map(async (name) => ({
      id: name,
      name: `src/${name}${SCHEDULER_MODULES.includes(name) ? ' (scheduler)' : ''}`,
      median: codeLines(name, await readFile(join(srcDir, name), 'utf8')),
    })),
  );
  const sum = (list) => list.reduce((total, row) => total + row.median, 0);
  const scheduler = rows.filter((row) => SCHEDULER_MODULES.includes(row.id));
  const library = rows.filter((row) => !SCHEDULER_MODULES.includes(row.id));
  return {
    title: 'Library size: code lines per module (src/ without cli/ and mock/)',
    unit: 'code lines',
    better: 'lower',
    rows,
    table: {
      header: ['module', 'code lines'],
      rows: [
        ...rows.map((row) => [row.name, String(row.median)]),
        ['library (without the scheduler)', String(sum(library))],
        ["the scheduler's modules", String(sum(scheduler))],
      ],
    },
    library: sum(library),
    scheduler: sum(scheduler),
    details: [
      `library: ${sum(library)} code lines; the scheduler's modules: ${sum(scheduler)} (counted apart); ` +
        `${relative(repoRoot, srcDir)}/ without cli/ and mock/.`,
    ],
  };
}
