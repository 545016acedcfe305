// One way to write the YAML files of openapi/: stringified by `yaml`, then formatted by prettier
// with the repository's settings, so that `npm run format:check` accepts what the sync writes and
// the same data always gives the same bytes.
import { fileURLToPath } from 'node:url';

const repoFile = fileURLToPath(new URL('../../openapi/checkpoints.yaml', import.meta.url));

/** `data` as formatted YAML (no line folding by `yaml`: prettier decides the layout). */
export async function formatYaml(data) {
  const [{ stringify }, prettier] = await Promise.all([import('yaml'), import('prettier')]);
  const options = (await prettier.resolveConfig(repoFile)) ?? {};
  return prettier.format(stringify(data, { lineWidth: 0, aliasDuplicateObjects: false }), {
    ...options,
    filepath: repoFile,
  });
}

/** `data` as formatted JSON (for lock.json), with the same prettier settings. */
export async function formatJson(data) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(repoFile)) ?? {};
  return prettier.format(JSON.stringify(data), { ...options, parser: 'json' });
}
