// A Redocly plugin for the upstream extract: it removes what the built-in `filter-in` decorator
// leaves behind when it keeps only a few operations of OpenAI's full document. `filter-in` drops
// every node whose operationId does not match, so webhooks (which have no operationId), top-level
// vendor extensions (`x-oaiMeta`: the whole API reference's navigation) and the tags of the
// removed operations survive it; `remove-unused-components` then keeps every component those
// webhooks reference. Stripping them first lets `remove-unused-components` do its job.

/** Removes webhooks and top-level `x-` extensions before the bundler walks the document. */
function StripUnrelated() {
  return {
    Root: {
      enter(root) {
        delete root.webhooks;
        for (const key of Object.keys(root)) if (key.startsWith('x-')) delete root[key];
      },
    },
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Keeps only the tags that a remaining operation uses (after `filter-in` removed the others). */
function RemoveUnusedTags() {
  return {
    Root: {
      leave(root) {
        if (!Array.isArray(root.tags)) return;
        const used = new Set();
        for (const item of Object.values(root.paths ?? {})) {
          for (const method of METHODS) for (const tag of item?.[method]?.tags ?? []) used.add(tag);
        }
        root.tags = root.tags.filter((tag) => used.has(tag.name));
        if (root.tags.length === 0) delete root.tags;
      },
    },
  };
}

/** The plugin, to pass in a Redocly config's `plugins` (ids `upstream-extract/<name>`). */
export const upstreamExtractPlugin = {
  id: 'upstream-extract',
  preprocessors: { oas3: { 'strip-unrelated': StripUnrelated } },
  decorators: { oas3: { 'remove-unused-tags': RemoveUnusedTags } },
};

export { METHODS };
