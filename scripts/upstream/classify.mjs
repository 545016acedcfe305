// What changed between two extracts, each change rated by the versioning policy in CHANGELOG.md:
// `major` (breaking), `minor` or `patch`. The rules below and the policy's table say the same
// thing; test/pipeline-sync.test.ts checks each breaking case of the policy. When in doubt a
// change is rated `major`: a reviewer can always rate it lower, never notice one rated too low.
import { METHODS } from './plugin.mjs';

/** Keywords that only document: a change to one of them changes JSDoc, never a type. */
const DOC_KEYWORDS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'externalDocs',
]);
const isDocKeyword = (key) => DOC_KEYWORDS.has(key) || key.startsWith('x-');
/** Keywords compared structurally below; any other keyword that changes is rated major. */
const STRUCTURAL = new Set([
  'type',
  'enum',
  'properties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  '$ref',
  'deprecated',
]);

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Follows local `$ref`s (`#/components/...`) in `doc`. */
function resolver(doc) {
  return function deref(node) {
    let current = node;
    for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
      const pointer = current.$ref
        .replace(/^#\//, '')
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      current = pointer.reduce((value, key) => value?.[key], doc);
    }
    return current ?? {};
  };
}

/** The JSON types a schema's own `type` admits, sorted (`anyOf` alternatives are compared one by one). */
function typesOf(schema) {
  if (Array.isArray(schema.type)) return [...schema.type].sort();
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

/**
 * Compares two schemas, in a request (`ctx.response` false: what callers send) or a response
 * (what callers read, and build in fixtures and mocks). Pushes `{ bump, at, change }`. Schemas
 * compared by name (in {@link classifyChanges}) count as responses: the stricter of the two.
 */
function compareSchema(before, after, ctx, at, changes, seen = new Set()) {
  // Both sides name the same component schema: it is compared once, by name, in classifyChanges.
  if (typeof before?.$ref === 'string' && before.$ref === after?.$ref) {
    if (before.$ref.startsWith('#/components/schemas/')) return;
  }
  const a = ctx.before(before);
  const b = ctx.after(after);
  // A recursive schema reaches the same place again: compare it once, and never too deep.
  if (seen.has(at) || at.split('.').length > 40) return;
  seen.add(at);
  const add = (bump, change) => changes.push({ bump, at, change });
  const place = ctx.response ? 'response' : 'request';

  if (!same(typesOf(a), typesOf(b))) {
    add(
      'major',
      `type changed from ${typesOf(a).join('|') || 'any'} to ${typesOf(b).join('|') || 'any'}`,
    );
  }
  // enum values
  const enumA = a.enum ?? [];
  const enumB = b.enum ?? [];
  for (const value of enumA)
    if (!enumB.some((v) => same(v, value)))
      add('major', `enum value ${JSON.stringify(value)} removed`);
  for (const value of enumB) {
    if (!enumA.some((v) => same(v, value))) {
      add(
        ctx.response ? 'major' : 'minor',
        `new enum value ${JSON.stringify(value)} in a ${place}`,
      );
    }
  }
  if (a.enum === undefined && b.enum !== undefined) add('major', 'now restricted to an enum');
  if (a.enum !== undefined && b.enum === undefined) add('major', 'no longer restricted to an enum');

  // properties and required
  const propsA = a.properties ?? {};
  const propsB = b.properties ?? {};
  const reqA = new Set(a.required ?? []);
  const reqB = new Set(b.required ?? []);
  for (const name of Object.keys(propsA)) {
    if (!(name in propsB)) add('major', `field ${name} removed (or renamed)`);
  }
  for (const name of Object.keys(propsB)) {
    if (!(name in propsA)) {
      if (reqB.has(name)) add('major', `new required field ${name} in a ${place}`);
      else add('minor', `new optional field ${name} in a ${place}`);
    }
  }
  for (const name of Object.keys(propsA)) {
    if (!(name in propsB)) continue;
    if (reqA.has(name) && !reqB.has(name)) {
      add(ctx.response ? 'major' : 'minor', `field ${name} became optional in a ${place}`);
    }
    if (!reqA.has(name) && reqB.has(name))
      add('major', `field ${name} became required in a ${place}`);
    compareSchema(propsA[name], propsB[name], ctx, `${at}.${name}`, changes, seen);
  }
  // items and compositions, element by element
  if (a.items || b.items) {
    if (!a.items || !b.items) add('major', 'array items added or removed');
    else compareSchema(a.items, b.items, ctx, `${at}[]`, changes, seen);
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const listA = a[keyword] ?? [];
    const listB = b[keyword] ?? [];
    if (listA.length !== listB.length)
      add('major', `${keyword} changed from ${listA.length} to ${listB.length} alternatives`);
    else
      listA.forEach((item, i) =>
        compareSchema(item, listB[i], ctx, `${at}(${keyword} ${i})`, changes, seen),
      );
  }
  if (!a.deprecated && b.deprecated) add('minor', 'marked deprecated');
  compareKeywords(a, b, (k) => STRUCTURAL.has(k), at, changes);
}

/** Every keyword not handled elsewhere: doc keywords are a patch, anything else is major. */
function compareKeywords(a, b, handled, at, changes) {
  for (const keyword of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (handled(keyword) || same(a[keyword], b[keyword])) continue;
    if (isDocKeyword(keyword)) changes.push({ bump: 'patch', at, change: `${keyword} changed` });
    else changes.push({ bump: 'major', at, change: `${keyword} changed` });
  }
}

/** The operations of a document by `METHOD path`. */
function operationsOf(doc) {
  const operations = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      if (item?.[method])
        operations.set(`${method.toUpperCase()} ${path}`, { item, operation: item[method] });
    }
  }
  return operations;
}

function compareParameters(before, after, ctx, at, changes) {
  const key = (p) => `${p.in} ${p.name}`;
  const listA = new Map(before.map((p) => ctx.before(p)).map((p) => [key(p), p]));
  const listB = new Map(after.map((p) => ctx.after(p)).map((p) => [key(p), p]));
  for (const name of listA.keys())
    if (!listB.has(name))
      changes.push({ bump: 'major', at, change: `parameter ${name} removed (or renamed)` });
  for (const [name, p] of listB) {
    if (listA.has(name)) continue;
    changes.push(
      p.required
        ? { bump: 'major', at, change: `new required parameter ${name}` }
        : { bump: 'minor', at, change: `new optional parameter ${name}` },
    );
  }
  for (const [name, a] of listA) {
    const b = listB.get(name);
    if (!b) continue;
    if (!a.required && b.required)
      changes.push({ bump: 'major', at, change: `parameter ${name} became required` });
    if (a.required && !b.required)
      changes.push({ bump: 'minor', at, change: `parameter ${name} became optional` });
    compareSchema(
      a.schema ?? {},
      b.schema ?? {},
      { ...ctx, response: false },
      `${at} parameter ${name}`,
      changes,
    );
    compareKeywords(
      a,
      b,
      (k) => ['in', 'name', 'required', 'schema'].includes(k),
      `${at} parameter ${name}`,
      changes,
    );
  }
}

function compareContent(a = {}, b = {}, ctx, at, changes) {
  for (const media of Object.keys(a))
    if (!(media in b)) changes.push({ bump: 'major', at, change: `media type ${media} removed` });
  for (const media of Object.keys(b))
    if (!(media in a)) changes.push({ bump: 'major', at, change: `new media type ${media}` });
  for (const media of Object.keys(a)) {
    if (!(media in b)) continue;
    compareSchema(a[media].schema ?? {}, b[media].schema ?? {}, ctx, `${at} ${media}`, changes);
    compareKeywords(a[media], b[media], (k) => k === 'schema', `${at} ${media}`, changes);
  }
}

function compareOperation(a, b, ctx, at, changes) {
  compareParameters(
    [...(a.item.parameters ?? []), ...(a.operation.parameters ?? [])],
    [...(b.item.parameters ?? []), ...(b.operation.parameters ?? [])],
    ctx,
    at,
    changes,
  );
  const resA = a.operation.responses ?? {};
  const resB = b.operation.responses ?? {};
  for (const status of Object.keys(resA))
    if (!(status in resB))
      changes.push({ bump: 'major', at, change: `response ${status} removed` });
  for (const status of Object.keys(resB))
    if (!(status in resA)) changes.push({ bump: 'major', at, change: `new response ${status}` });
  for (const status of Object.keys(resA)) {
    if (!(status in resB)) continue;
    const ra = ctx.before(resA[status]);
    const rb = ctx.after(resB[status]);
    compareContent(
      ra.content,
      rb.content,
      { ...ctx, response: true },
      `${at} → ${status}`,
      changes,
    );
    compareKeywords(ra, rb, (k) => k === 'content', `${at} → ${status}`, changes);
  }
  if (a.operation.requestBody || b.operation.requestBody) {
    compareContent(
      ctx.before(a.operation.requestBody ?? {}).content,
      ctx.after(b.operation.requestBody ?? {}).content,
      { ...ctx, response: false },
      `${at} request body`,
      changes,
    );
  }
  const handled = ['parameters', 'responses', 'requestBody'];
  compareKeywords(a.operation, b.operation, (k) => handled.includes(k), at, changes);
}

/**
 * The changes from extract `before` to extract `after` (parsed documents), each
 * `{ bump: 'major' | 'minor' | 'patch', at, change }`, in a stable order.
 */
export function classifyChanges(before, after) {
  const changes = [];
  const ctx = { before: resolver(before), after: resolver(after), response: true };
  if (!same(before.servers, after.servers))
    changes.push({ bump: 'major', at: 'servers', change: 'servers changed' });
  if (!same(before.security, after.security))
    changes.push({ bump: 'major', at: 'security', change: 'security requirements changed' });
  const schemesA = before.components?.securitySchemes ?? {};
  const schemesB = after.components?.securitySchemes ?? {};
  for (const name of new Set([...Object.keys(schemesA), ...Object.keys(schemesB)])) {
    if (!(name in schemesA) || !(name in schemesB))
      changes.push({
        bump: 'major',
        at: `security scheme ${name}`,
        change: name in schemesA ? 'removed' : 'added',
      });
    else
      compareKeywords(
        schemesA[name],
        schemesB[name],
        () => false,
        `security scheme ${name}`,
        changes,
      );
  }
  // info is documentation only (title, description, version, contact): a patch whatever changed.
  const infoChanges = [];
  compareKeywords(before.info ?? {}, after.info ?? {}, () => false, 'info', infoChanges);
  changes.push(...infoChanges.map((change) => ({ ...change, bump: 'patch' })));

  const opsA = operationsOf(before);
  const opsB = operationsOf(after);
  for (const name of opsA.keys())
    if (!opsB.has(name))
      changes.push({ bump: 'major', at: name, change: 'operation removed (or its path changed)' });
  for (const name of opsB.keys())
    if (!opsA.has(name)) changes.push({ bump: 'minor', at: name, change: 'new operation' });
  for (const [name, a] of opsA)
    if (opsB.has(name)) compareOperation(a, opsB.get(name), ctx, name, changes);

  // Schema names are part of the API too (`components['schemas']['Name']`).
  const schemasA = before.components?.schemas ?? {};
  const schemasB = after.components?.schemas ?? {};
  for (const name of Object.keys(schemasA))
    if (!(name in schemasB))
      changes.push({ bump: 'major', at: `schema ${name}`, change: 'schema removed (or renamed)' });
  for (const name of Object.keys(schemasB))
    if (!(name in schemasA))
      changes.push({ bump: 'minor', at: `schema ${name}`, change: 'new schema' });
  // Schemas that no operation reaches (kept by name, such as ErrorResponse) are read by clients.
  for (const name of Object.keys(schemasA)) {
    if (name in schemasB)
      compareSchema(schemasA[name], schemasB[name], ctx, `schema ${name}`, changes);
  }
  return dedupe(changes);
}

/** A schema reached both by name and through an operation reports a change once per place. */
function dedupe(changes) {
  const seen = new Set();
  return changes.filter((c) => {
    const key = `${c.bump}|${c.at}|${c.change}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one-line verdict that ends the sync's output. */
export function verdict(changes, unchanged) {
  if (unchanged) return 'upstream: unchanged';
  return changes.some((c) => c.bump === 'major')
    ? 'upstream: changed (breaking)'
    : 'upstream: changed (non-breaking)';
}
