// Types for scripts/upstream/add.mjs, so TypeScript tests can import it.
export declare function closestOperationIds(
  wanted: string,
  known: string[],
  count?: number,
): string[];
export declare function configWithOperations(
  configText: string,
  operationIds: string[],
): Promise<string>;
export declare function overlayWithStubs(
  overlayText: string,
  extract: object,
  operationIds: string[],
): Promise<{ text: string; stubs: string[] }>;
