// Types for scripts/checks/operations.mjs, so TypeScript tests can import it.
export interface Body {
  schema: unknown;
  /** A JSON Pointer into the spec. */
  at: string;
}
export interface Operation {
  operationId: string;
  path: string;
  method: string;
  success: Body | undefined;
  error: Body | undefined;
  list:
    | {
        envelope: Record<string, unknown>;
        data: Record<string, unknown>;
        items: unknown;
        itemsAt: string;
      }
    | undefined;
}
export declare function operationsOf(spec: unknown, where: string): Operation[];
