// Types for scripts/lib/publish-warnings.mjs, so TypeScript tests can import it.
export declare function publishWarnings(
  dir: string,
): Promise<{ warnings: string[]; error?: undefined } | { warnings?: undefined; error: string }>;
