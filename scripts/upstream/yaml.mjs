// One way to write the YAML files of openapi/: stringified by `yaml`, then formatted by prettier
// with the repository's settings, so that `npm run format:check` accepts what the sync writes and
// the same data always gives the same bytes.
import { fileURLToPath } from 'node:url';

const repoFile = fileURLToPath(new URL('../../openapi/checkpoints.yaml', import.meta.url));

/** `data` as formatted YAML (no line folding by `yaml`: prettier decides the layout). */
export async function formatYaml(data) {
  const { stringify } = await import('yaml');
  return formatYamlText(stringify(data, { lineWidth: 0, aliasDuplicateObjects: false }));
}

/** YAML text formatted by prettier, comments and all (for files edited as text). */
export async function formatYamlText(text) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(repoFile)) ?? {};
  return prettier.format(text, { ...options, filepath: repoFile });
}

/**
 * `data` as formatted JSON (lock.json, sync.json), with the same prettier settings. Objects stay
 * one key per line (prettier keeps an object expanded when its source is); short arrays fit on one.
 */
export async function formatJson(data) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(repoFile)) ?? {};
  return prettier.format(JSON.stringify(data, null, 2), { ...options, parser: 'json' });
}
