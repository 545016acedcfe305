// Types for scripts/checks/emit.mjs, so TypeScript tests can import it.
export declare function generateChecks(
  spec: unknown,
  options: { specName: string; checksModule: string; banner: string },
): { checks: string; operations: string };
export declare function reachableComponents(
  components: Record<string, unknown>,
  roots: unknown[],
): string[];
