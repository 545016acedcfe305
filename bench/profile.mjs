#!/usr/bin/env node
// Where a contender's time goes: runs its one-page or full-iteration loop against a bench server
// under V8's CPU profiler (node:inspector, same data as `node --cpu-prof`), writes the
// .cpuprofile to bench/.tmp/ (open it in Chrome DevTools) and prints the top self-time functions
// and the self time per package/file.
//   node bench/profile.mjs [floor|openapi-fetch|openai|ours|ours-prefetch] [one-page|iteration]
import { writeFile, mkdir } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { JOB_ID, createAll } from './contenders/index.mjs';
import { sumSteps } from './contenders/consume.mjs';
import { tmpDir } from './lib/paths.mjs';
import { withServer } from './lib/with-server.mjs';

const [id = 'ours', mode = 'one-page'] = process.argv.slice(2);
const PAGES = 1000;
const LIMIT = 10;

await withServer({ checkpoints: PAGES * LIMIT }, async (server) => {
  const [{ client }] = await createAll([id], server.baseUrl);
  const work = async () => {
    if (mode === 'one-page') for (let i = 0; i < 1000; i++) await client.getPage(JOB_ID, LIMIT);
    else await client.iterate(JOB_ID, LIMIT, sumSteps().consume);
  };
  for (let i = 0; i < 3; i++) await work(); // warm up the JIT and the connection pool
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let i = 0; i < 5; i++) await work();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await mkdir(tmpDir, { recursive: true });
  const file = join(tmpDir, `${id}-${mode}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  summarize(profile, file);
});

function summarize(profile, file) {
  const self = new Map(); // node id → sampled µs
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(
      profile.samples[i],
      (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0),
    );
  }
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const idle = profile.nodes
    .filter((node) => node.callFrame.functionName === '(idle)')
    .reduce((sum, node) => sum + (self.get(node.id) ?? 0), 0);
  const busy = [...self.values()].reduce((a, b) => a + b, 0) - idle;
  const label = ({ functionName, url, lineNumber }) =>
    `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;

  const byFile = new Map();
  const bySelf = new Map();
  const byTotal = new Map(); // inclusive: each function counted once per stack
  const visit = (id, onStack) => {
    const node = nodes.get(id);
    const key = label(node.callFrame);
    const us = self.get(id) ?? 0;
    if (node.callFrame.functionName !== '(idle)') {
      const where = shortUrl(node.callFrame.url);
      byFile.set(where, (byFile.get(where) ?? 0) + us);
      bySelf.set(key, (bySelf.get(key) ?? 0) + us);
    }
    const stack = onStack.includes(key) ? onStack : [...onStack, key];
    let subtree = us;
    for (const child of node.children ?? []) subtree += visit(child, stack);
    if (!onStack.includes(key)) byTotal.set(key, (byTotal.get(key) ?? 0) + subtree);
    return subtree;
  };
  visit(profile.nodes[0].id, []);
  byTotal.delete(label(profile.nodes[0].callFrame));

  const top = (map, n, filter = () => true) =>
    [...map]
      .filter(([k]) => filter(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  const ours = (k) => /dist\/|src\/|openapi-fetch\/|bench\//.test(k);
  console.log(
    `${id} ${mode}: ${(busy / 1000).toFixed(0)} ms busy (idle excluded; % of busy) → ${file}`,
  );
  console.log(`\nself time by file:\n${top(byFile, 15)}`);
  console.log(`\nself time by function:\n${top(bySelf, 25)}`);
  console.log(`\ninclusive time, JS outside node core:\n${top(byTotal, 25, ours)}`);
}

function shortUrl(url) {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length);
  return url.replace(/^file:\/\/.*\/main\//, '');
}
