// Runs the bundled smoke worker under miniflare (which needs Node >= 22, so the runner starts this
// file with a pinned newer Node). Miniflare runs workerd with Cloudflare's own rules, among them
// "no I/O at global scope", which plain workerd configs do not all enforce.
//
// Usage: node miniflare-run.mjs <miniflare entry> <worker bundle> <mock URL>
// Prints the worker's JSON answer on one line.
import { pathToFileURL } from 'node:url';

const [miniflareEntry, scriptPath, mockUrl] = process.argv.slice(2);
const { Miniflare } = await import(pathToFileURL(miniflareEntry).href);
const miniflare = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: '2026-07-01',
});
try {
  const response = await miniflare.dispatchFetch(
    `http://smoke.test/?mock=${encodeURIComponent(mockUrl)}`,
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
  console.log(text.trim());
} finally {
  await miniflare.dispose();
}
