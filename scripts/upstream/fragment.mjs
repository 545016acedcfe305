// The fragment is built, not written: the vendored upstream extract plus the project's additions
// (an OpenAPI Overlay 1.0 document), applied by Redocly's bundler. `npm run generate` writes it;
// `npm run check:generated` fails when the committed fragment is anything else.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatYaml } from './yaml.mjs';

const OVERLAY_SUFFIX = '.overlay.yaml';

/** The banner of a built fragment, naming its two sources. */
function fragmentBanner(name) {
  return [
    `# Built by \`npm run generate\` from openapi/upstream/${name}.yaml (OpenAI's OpenAPI document,`,
    '# vendored by `npm run sync:upstream`) plus the additions in',
    `# openapi/${name}${OVERLAY_SUFFIX}. DO NOT EDIT BY HAND: edit the overlay (or re-sync), then`,
    '# run `npm run generate`; `npm run check:generated` fails when this file is anything but the',
    '# extract plus the additions. test/contract.test.ts checks that the additions only add.',
    '',
  ].join('\n');
}

/**
 * The fragments a project builds: one per `openapi/<name>.overlay.yaml` that has an extract
 * `openapi/upstream/<name>.yaml`. Each is `{ name, fragment, extract, overlay }` (absolute paths).
 */
export async function listFragmentSources(root) {
  const specDir = join(root, 'openapi');
  const names = (await readdir(specDir)).filter((file) => file.endsWith(OVERLAY_SUFFIX)).sort();
  const upstream = new Set(await readdir(join(specDir, 'upstream')).catch(() => []));
  return names
    .map((file) => file.slice(0, -OVERLAY_SUFFIX.length))
    .filter((name) => upstream.has(`${name}.yaml`))
    .map((name) => ({
      name,
      fragment: join(specDir, `${name}.yaml`),
      extract: join(specDir, 'upstream', `${name}.yaml`),
      overlay: join(specDir, `${name}${OVERLAY_SUFFIX}`),
    }));
}

/** Whether a file name under openapi/ is an overlay (an input of a fragment, not a spec). */
export function isOverlayFile(fileName) {
  return fileName.endsWith(OVERLAY_SUFFIX);
}

/**
 * The actions whose target selects nothing in the built fragment. Redocly skips such an action
 * silently (as the Overlay spec allows); here it is an error, so that an addition never vanishes
 * unnoticed when upstream moves the node it was made to (say, a metric removed upstream).
 */
async function idleActions(overlayPath, fragment) {
  const [{ readFile }, { parse }, { paths }] = await Promise.all([
    import('node:fs/promises'),
    import('yaml'),
    import('jsonpath-rfc9535'),
  ]);
  const { actions = [] } = parse(await readFile(overlayPath, 'utf8')) ?? {};
  return actions
    .map((action, index) => ({ index: index + 1, target: action?.target }))
    .filter(({ target }) => typeof target === 'string' && paths(fragment, target).length === 0);
}

/**
 * A fragment that cannot be built: `problems` holds one line per reason (an overlay action Redocly
 * cannot apply, or one that matches nothing), the message all of them.
 */
export class FragmentError extends Error {
  name = 'FragmentError';
  constructor(problems) {
    super(problems.join('; '));
    this.problems = problems;
  }
}

/**
 * Applies the overlay to the extract and returns the fragment's text. Pure: same inputs,
 * byte-identical output. Throws a {@link FragmentError} on an overlay problem: an action Redocly
 * cannot apply, or one that matches nothing.
 */
export async function buildFragment({ name, extract, overlay }) {
  const { bundle, createConfig } = await import('@redocly/openapi-core');
  const config = await createConfig({});
  const result = await bundle({ ref: extract, config, overlays: [overlay] });
  const where = `openapi/${name}${OVERLAY_SUFFIX}`;
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new FragmentError(errors.map((p) => `${where}: ${p.message}`));
  const idle = await idleActions(overlay, result.bundle.parsed);
  if (idle.length > 0) {
    throw new FragmentError(
      idle.map(
        ({ index, target }) =>
          `${where}: action ${index} (${target}) matches nothing in the extract; upstream changed under the addition: update or remove it`,
      ),
    );
  }
  return fragmentBanner(name) + (await formatYaml(result.bundle.parsed));
}
