// Types for scripts/upstream/extract.mjs, so TypeScript tests can import it.
import type { NormalisationNote } from './normalise.d.mts';

interface ExtractOptions {
  operations: string[];
  keepSchemas: string[];
  label: string;
}
/** A document parsed by Redocly (`parsed` is the data). */
export interface ParsedDocument {
  parsed: Record<string, unknown>;
}
export declare function parseOpenApi(text: string, label: string): Promise<ParsedDocument>;
export declare function cutOperations(
  document: ParsedDocument,
  options: ExtractOptions,
): Promise<Record<string, unknown>>;
export declare function extractOperations(
  source: string | ParsedDocument,
  options: ExtractOptions,
): Promise<{ extract: Record<string, unknown>; yaml: string; notes: NormalisationNote[] }>;
export declare function operationIds(doc: object): string[];
