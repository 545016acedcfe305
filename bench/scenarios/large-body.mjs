// Scenario 9: a hostile 300 MB answer. A server streams one 2xx body of that size (chunked, so
// no content-length warns the client) and each contender reads it in a child process of its
// own, sampling heap + array buffers. This package stops at maxResponseBytes (32 MiB by default)
// and fails the call; fetch + JSON.parse, with no bound, holds the whole body.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { runChild } from '../lib/child.mjs';
import { benchDir } from '../lib/paths.mjs';

const MiB = 1024 * 1024;
const ROWS = [
  { id: 'floor', name: 'fetch + text(), no bound' },
  { id: 'ours', name: 'this package (maxResponseBytes default)' },
];

/** A server answering every request with `bytes` of JSON-looking body, in 64 KiB chunks. */
async function startHugeServer(bytes) {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.on('error', () => {});
    res.write('{"object":"list","data":[');
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end(']}');
    };
    pump();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}/v1` };
}

export async function run({ quick }) {
  const bytes = quick ? 8 * MiB : 300 * 1000 * 1000;
  // --quick bounds the client lower, so that its bound still trips well inside the body.
  const maxResponseBytes = quick ? 1 * MiB : undefined;
  const bound = maxResponseBytes ?? 32 * MiB;
  const { server, baseUrl } = await startHugeServer(bytes);
  try {
    const rows = [];
    for (const row of ROWS) {
      const result = await runChild(
        join(benchDir, 'scenarios', 'large-body-child.mjs'),
        { id: row.id, baseUrl, maxResponseBytes },
        { execArgv: ['--expose-gc'], label: `large-body child for ${row.id}` },
      );
      rows.push({
        ...row,
        median: result.peakGrowthMB,
        min: result.peakGrowthMB,
        max: result.peakGrowthMB,
        samples: 1,
        outcome: result.outcome,
        seconds: result.seconds,
      });
    }
    return {
      title: `A ${(bytes / 1e6).toFixed(0)} MB response body: peak heap + buffers growth`,
      unit: 'MB',
      better: 'lower',
      sizes: { bytes, boundMB: bound / MiB },
      rows,
      details: rows.map(
        (row) =>
          `${row.name}: ${row.outcome}, peak growth ${row.median.toFixed(0)} MB, ${row.seconds.toFixed(1)} s.`,
      ),
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
