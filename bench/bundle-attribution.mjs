// Where the consumer bundle's bytes go: `node bench/bundle-attribution.mjs` bundles the bundle
// scenario's consumer (bench/consumers/ours.mjs) against src/ instead of dist/, so that every byte
// of the minified output can be traced to its source module through the source map, and prints,
// per module: its minified bytes, its bytes gzipped alone, and its marginal gzip bytes (the whole
// bundle gzipped, minus the bundle without that module's bytes gzipped). The marginal column is
// what removing the module would save; it sums to less than the total, because gzip shares
// repeated text between modules. A diagnostic for bench/notes.md, not a scenario.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-size.mjs';
import { benchDir, repoRoot } from './lib/paths.mjs';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The source index of every segment of a source map's `mappings`, line by line. */
function decodeMappings(mappings) {
  let source = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const fields = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          if (digit & 32) {
            shift += 5;
          } else {
            fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        column += fields[0];
        if (fields.length > 1) source += fields[1];
        return { column, source: fields.length > 1 ? source : -1 };
      });
  });
}

/** The module a source path belongs to: `src/x.ts`, `generated/x.ts`, or the package name. */
function moduleOf(path) {
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageName) return packageName[1];
  return relative(repoRoot, join(benchDir, path)).replace(/^(\.\.\/)+/, '');
}

const gzipped = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;

const entry = (await readFile(join(benchDir, 'consumers', 'ours.mjs'), 'utf8')).replace(
  `'../../dist/index.js'`,
  JSON.stringify(join(repoRoot, 'src', 'index.ts')),
);
// The settings of bench/bundle-size.mjs, plus a source map.
const result = await build({
  stdin: { contents: entry, resolveDir: benchDir, sourcefile: 'consumer.mjs', loader: 'js' },
  ...bundleOptions,
  sourcemap: 'external',
  outfile: join(benchDir, 'consumer.js'),
});
const code = result.outputFiles.find((file) => file.path.endsWith('.js')).text;
const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map')).text);

// Each output character's module; characters no mapping covers are the bundler's glue.
const segmentsByLine = decodeMappings(map.mappings);
const owners = [];
code.split('\n').forEach((line, index, lines) => {
  const segments = segmentsByLine[index] ?? [];
  const lineOwners = Array.from(line, () => '(glue)');
  segments.forEach(({ column, source }, at) => {
    const end = segments[at + 1]?.column ?? line.length;
    const owner = source < 0 ? '(glue)' : moduleOf(map.sources[source]);
    lineOwners.fill(owner, column, end);
  });
  owners.push(...lineOwners);
  if (index < lines.length - 1) owners.push('(glue)'); // the newline
});

const total = gzipped(code);
const rows = [...new Set(owners)].map((name) => {
  let own = '';
  let rest = '';
  for (let at = 0; at < code.length; at++) {
    if (owners[at] === name) own += code[at];
    else rest += code[at];
  }
  return { name, minified: own.length, alone: gzipped(own), marginal: total - gzipped(rest) };
});
rows.sort((a, b) => b.marginal - a.marginal);

console.log(`consumer bundle (src/): ${code.length} bytes minified, ${total} bytes min+gzip\n`);
console.log('| module | minified | gzip alone | marginal gzip |');
console.log('| --- | ---: | ---: | ---: |');
for (const { name, minified, alone, marginal } of rows) {
  console.log(`| ${name} | ${minified} | ${alone} | ${marginal} |`);
}
