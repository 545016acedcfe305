// Types for scripts/upstream/extract.mjs, so TypeScript tests can import it.
export declare function extractOperations(
  text: string,
  options: { operations: string[]; keepSchemas: string[]; label: string },
): Promise<{ extract: Record<string, unknown>; yaml: string }>;
export declare function operationIds(doc: object): string[];
