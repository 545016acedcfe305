// Reading the full upstream document: a local file, a URL, or the newest commit of the configured
// repository on GitHub. Everything from the network is checked before it is trusted.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SyncError } from './config.mjs';

/** OpenAI's document is ~3 MB; anything far larger is not it. */
const MAX_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

async function fetchText(url, headers = {}) {
  let response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new SyncError(`cannot read ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok) throw new SyncError(`cannot read ${url}: HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new SyncError(`cannot read ${url}: ${length} bytes is too large`);
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new SyncError(`cannot read ${url}: too large`);
  return text;
}

/**
 * Reads `--spec <path-or-url>`: a URL is fetched, anything else is a file path relative to `cwd`.
 * Returns `{ text, source }`, `source` being what the lock may record about where the text came
 * from: `{ url }` for a URL, nothing for a file (its path is a local, often temporary, detail).
 */
export async function readSpecArgument(spec, cwd = process.cwd()) {
  if (/^https?:\/\//i.test(spec)) return { text: await fetchText(spec), source: { url: spec } };
  try {
    return { text: await readFile(resolve(cwd, spec), 'utf8'), source: {} };
  } catch (error) {
    throw new SyncError(`cannot read ${spec}: ${error.code ?? error.message}`);
  }
}

/**
 * Reads the configured source (`{ repository, branch, path }`) at the newest commit of `branch`
 * that touched `path`, through GitHub's REST API: at `GITHUB_API_URL` (set by GitHub Actions;
 * https://api.github.com otherwise), with the token in GITHUB_TOKEN when there is one (a higher
 * rate limit). Returns `{ text, source }` with the commit's sha and date in `source`.
 */
export async function readConfiguredSource({ repository, branch, path }, env = process.env) {
  const api = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
  const headers = { 'user-agent': 'fine-tuning-checkpoints-sync' };
  if (env.GITHUB_TOKEN) headers.authorization = `Bearer ${env.GITHUB_TOKEN}`;
  const commitsUrl = `${api}/repos/${repository}/commits?sha=${encodeURIComponent(branch)}&path=${encodeURIComponent(path)}&per_page=1`;
  let commits;
  try {
    commits = JSON.parse(
      await fetchText(commitsUrl, { ...headers, accept: 'application/vnd.github+json' }),
    );
  } catch (error) {
    if (error instanceof SyncError) throw error;
    throw new SyncError(`cannot read ${commitsUrl}: not JSON`);
  }
  const commit = Array.isArray(commits) ? commits[0] : undefined;
  const sha = commit?.sha;
  const date = commit?.commit?.committer?.date;
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new SyncError(`${repository}: no commit on ${branch} touches ${path}`);
  }
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(date)) {
    throw new SyncError(`${repository}@${sha}: the commit has no valid date`);
  }
  // The file at exactly that commit (the raw media type serves files up to 100 MB).
  const contentsUrl = `${api}/repos/${repository}/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${sha}`;
  return {
    text: await fetchText(contentsUrl, { ...headers, accept: 'application/vnd.github.raw+json' }),
    source: { repository, branch, path, commit: sha, date: date.slice(0, 10) },
  };
}
