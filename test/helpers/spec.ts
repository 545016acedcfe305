/**
 * The spec as a test oracle: JSON Schema validators compiled from openapi/checkpoints.yaml at test
 * time (never from a copy), and a check that a request the mock recorded is one the spec allows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import type { components } from '../../generated/checkpoints.js';
import type { RecordedRequest } from '../../src/mock/index.js';

type ListFineTuningJobCheckpointsResponse =
  components['schemas']['ListFineTuningJobCheckpointsResponse'];
type FineTuningJobCheckpoint = components['schemas']['FineTuningJobCheckpoint'];
type ErrorResponse = components['schemas']['ErrorResponse'];
type ApiError = components['schemas']['Error'];
type FineTuningJob = components['schemas']['FineTuningJob'];
type ListPaginatedFineTuningJobsResponse =
  components['schemas']['ListPaginatedFineTuningJobsResponse'];

/** Where the spec fragment lives, relative to this file. */
export const SPEC_PATH = fileURLToPath(new URL('../../openapi/checkpoints.yaml', import.meta.url));

/** A JSON Schema or any other node of the parsed spec. */
export type JsonObject = { [key: string]: unknown };

/** The parts of an OpenAPI operation parameter the helpers read. */
export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonObject;
}

/** The parts of the OpenAPI document the helpers read (the spec itself is untyped YAML). */
export interface SpecDocument {
  servers: { url: string }[];
  paths: Record<string, Record<string, JsonObject & { parameters?: SpecParameter[] }>>;
  components: { schemas: Record<string, JsonObject> } & JsonObject;
  [key: string]: unknown;
}

/** Validators compiled from the spec. */
export interface SpecValidators {
  /** The parsed spec. */
  spec: SpecDocument;
  /** `ListFineTuningJobCheckpointsResponse`, the 200 body. */
  listResponse: ValidateFunction<ListFineTuningJobCheckpointsResponse>;
  /** `FineTuningJobCheckpoint`, one item of `data`. */
  checkpoint: ValidateFunction<FineTuningJobCheckpoint>;
  /** `ErrorResponse`, the 4XX/5XX body. */
  errorResponse: ValidateFunction<ErrorResponse>;
  /** `Error`, the object inside `ErrorResponse`. */
  error: ValidateFunction<ApiError>;
  /** `FineTuningJob`, the 200 body of `retrieveFineTuningJob`. */
  job: ValidateFunction<FineTuningJob>;
  /** `ListPaginatedFineTuningJobsResponse`, the 200 body of `listPaginatedFineTuningJobs`. */
  jobsResponse: ValidateFunction<ListPaginatedFineTuningJobsResponse>;
  /** Compiles any schema taken from the spec; its `#/components/...` refs resolve in the spec. */
  compile(schema: JsonObject): ValidateFunction;
}

/** Base URI the spec's components are registered under, so `#/components/...` refs resolve. */
const SPEC_ID = 'urn:fine-tuning-checkpoints:openapi';

/** Reads and parses a YAML spec file. */
export function readSpec(path: string = SPEC_PATH): SpecDocument {
  return parse(readFileSync(path, 'utf8')) as SpecDocument;
}

/**
 * Every `x-...` key anywhere under `node` (OpenAPI extensions ajv must be told about), and every
 * string value of a `format` key (formats ajv must be told about).
 */
function extensionKeywords(
  node: unknown,
  found = { keywords: new Set<string>(), formats: new Set<string>() },
) {
  if (Array.isArray(node)) {
    for (const item of node) extensionKeywords(item, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) found.keywords.add(key);
      else if (key === 'format' && typeof value === 'string') found.formats.add(value);
      else extensionKeywords(value, found);
    }
  }
  return found;
}

/** Deep copy of `schema` with local refs (`#/...`) pointed at the registered spec. */
function anchorRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchorRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${SPEC_ID}${value}`
        : anchorRefs(value),
    ]),
  );
}

/**
 * Compiles the spec's schemas with ajv's JSON Schema 2020-12 dialect (OpenAPI 3.1's). Strict
 * mode stays on; the OpenAPI-only keywords (`x-...`, `example`) and the spec's formats are
 * declared instead, so a real typo in a schema still fails compilation. `unixtime` is checked
 * (an integer); the other formats (`uri`, in operations other than the checkpoints one) are
 * annotations here.
 */
export function compileSpecValidators(path: string = SPEC_PATH): SpecValidators {
  const spec = readSpec(path);
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const { keywords, formats } = extensionKeywords(spec);
  for (const format of formats) if (format !== 'unixtime') ajv.addFormat(format, true);
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const keyword of [...keywords, 'example']) ajv.addKeyword(keyword);
  // The container the refs point into: a keyword with no assertion, so strict mode accepts the
  // root while every schema under it is still compiled (and checked) when referenced.
  ajv.addKeyword('components');
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: spec.components.schemas } });
  const component = <T>(name: string) => {
    if (!(name in spec.components.schemas)) throw new Error(`spec has no schema ${name}`);
    return ajv.compile<T>({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
  };
  return {
    spec,
    listResponse: component<ListFineTuningJobCheckpointsResponse>(
      'ListFineTuningJobCheckpointsResponse',
    ),
    checkpoint: component<FineTuningJobCheckpoint>('FineTuningJobCheckpoint'),
    errorResponse: component<ErrorResponse>('ErrorResponse'),
    error: component<ApiError>('Error'),
    job: component<FineTuningJob>('FineTuningJob'),
    jobsResponse: component<ListPaginatedFineTuningJobsResponse>(
      'ListPaginatedFineTuningJobsResponse',
    ),
    compile: (schema) => ajv.compile(anchorRefs(schema) as JsonObject),
  };
}

let shared: SpecValidators | undefined;

/** One compiled set of validators per test file, for helpers that need them. */
function sharedValidators(): SpecValidators {
  shared ??= compileSpecValidators();
  return shared;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Checks a request the mock recorded against the spec's operation: method, path template (under
 * the server URL's base path), path and query parameters, and bearer auth. Returns one message
 * per problem; an empty array means the request is one the spec allows.
 */
export function validateRequestAgainstSpec(recorded: RecordedRequest): string[] {
  const { spec, compile } = sharedValidators();
  const problems: string[] = [];
  const basePath = new URL(spec.servers[0]?.url ?? 'http://localhost').pathname.replace(/\/$/, '');

  // The operation whose path template the request's path matches, among all the spec defines.
  const templates = Object.keys(spec.paths).map((template) => {
    const names: string[] = [];
    const pattern = escapeRegExp(basePath + template).replace(
      /\\\{(\w+)\\\}/g,
      (_, name: string) => {
        names.push(name);
        return '([^/]*)';
      },
    );
    return { template, names, match: new RegExp(`^${pattern}$`).exec(recorded.path) };
  });
  const [first] = templates;
  if (first === undefined) return ['spec defines no path'];
  const found = templates.find(
    (t): t is typeof first & { match: RegExpExecArray } => t.match !== null,
  );
  const { template } = found ?? first;
  const item = spec.paths[template] ?? {};
  const operation = item[recorded.method.toLowerCase()];
  if (operation === undefined) {
    problems.push(`method ${recorded.method} is not defined for ${template}`);
  }
  const parameters: SpecParameter[] = operation?.parameters ?? item.get?.parameters ?? [];

  // Path: each {name} matches one non-empty segment.
  if (found === undefined) {
    const known = templates.map((t) => basePath + t.template).join(', ');
    problems.push(`path ${recorded.path} does not match ${known}`);
  } else {
    const { names, match } = found;
    names.forEach((name, i) => {
      const raw = match[i + 1] ?? '';
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        problems.push(`path parameter ${name} is not valid percent-encoding: ${raw}`);
        return;
      }
      if (value === '') problems.push(`path parameter ${name} is empty`);
      const param = parameters.find((p) => p.in === 'path' && p.name === name);
      if (param !== undefined && !compile(param.schema)(value)) {
        problems.push(`path parameter ${name} does not match its schema`);
      }
    });
  }

  // Query: read from the raw URL so a repeated name is seen, not hidden by the record's map.
  const queryParams = parameters.filter((p) => p.in === 'query');
  const q = recorded.url.indexOf('?');
  const entries = [...new URLSearchParams(q === -1 ? '' : recorded.url.slice(q + 1))];
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (seen.has(name)) problems.push(`query parameter ${name} is repeated`);
    seen.add(name);
    const param = queryParams.find((p) => p.name === name);
    if (param === undefined) {
      problems.push(`query parameter ${name} is not defined by the spec`);
      continue;
    }
    if (param.schema.type === 'integer') {
      // A query value is text: it must be written as an integer, then meet the schema as one.
      if (!/^-?\d+$/.test(value)) {
        problems.push(`query parameter ${name}=${JSON.stringify(value)} is not an integer`);
      } else if (!compile(param.schema)(Number(value))) {
        problems.push(`query parameter ${name}=${value} does not match its schema`);
      }
    } else if (!compile(param.schema)(value)) {
      problems.push(`query parameter ${name}=${JSON.stringify(value)} does not match its schema`);
    }
    // Not a schema rule, but an empty cursor can never name a checkpoint: a client bug.
    if (name === 'after' && value === '') problems.push('query parameter after is empty');
  }
  for (const param of parameters) {
    if (param.required && param.in === 'query' && !seen.has(param.name)) {
      problems.push(`required query parameter ${param.name} is missing`);
    }
  }

  // Security: the spec's only scheme is HTTP bearer.
  const token = /^bearer\s+(\S.*)$/i.exec(recorded.headers.authorization ?? '');
  if (token === null) problems.push('authorization header is not "Bearer <token>"');

  return problems;
}

/**
 * What the fidelity test compares between the upstream extract and the fragment, both
 * dereferenced by Redocly: the operation (everything but its responses), its parameters, its
 * responses, the security that applies to it, the servers, and the component schemas.
 */
export async function fidelityView(
  path: string,
  operationPath: string,
  method = 'get',
): Promise<JsonObject> {
  const { bundle, createConfig } = await import('@redocly/openapi-core');
  const config = await createConfig({});
  const { bundle: document } = await bundle({ ref: path, config, dereference: true });
  const doc = document.parsed as JsonObject & {
    paths: Record<string, Record<string, JsonObject>>;
    components: { schemas: JsonObject; securitySchemes: JsonObject };
  };
  const found = doc.paths[operationPath]?.[method];
  if (found === undefined) throw new Error(`${path} has no ${method} ${operationPath}`);
  const { parameters, responses, ...operation } = found;
  return JSON.parse(
    JSON.stringify({
      operation,
      parameters,
      responses,
      security: operation.security ?? doc.security,
      securitySchemes: doc.components.securitySchemes,
      servers: doc.servers,
      schemas: doc.components.schemas,
    }),
  ) as JsonObject;
}

/**
 * Every place where `ours` differs from `upstream`, as `{ pointer, kind }`: `added` (only in
 * ours), `removed` (only upstream) or `changed`. Pointers are JSON pointers into the views.
 */
export function differences(
  upstream: unknown,
  ours: unknown,
  pointer = '',
): { pointer: string; kind: 'added' | 'removed' | 'changed' }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(upstream) && Array.isArray(ours) && upstream.length === ours.length) {
    return upstream.flatMap((item, i) => differences(item, ours[i], `${pointer}/${i}`));
  }
  if (!isObject(upstream) || !isObject(ours)) {
    return JSON.stringify(upstream) === JSON.stringify(ours) ? [] : [{ pointer, kind: 'changed' }];
  }
  const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const found: { pointer: string; kind: 'added' | 'removed' | 'changed' }[] = [];
  for (const key of new Set([...Object.keys(upstream), ...Object.keys(ours)])) {
    const at = `${pointer}/${escape(key)}`;
    if (!(key in ours)) found.push({ pointer: at, kind: 'removed' });
    else if (!(key in upstream)) found.push({ pointer: at, kind: 'added' });
    else found.push(...differences(upstream[key], ours[key], at));
  }
  return found;
}
