// Types for scripts/upstream/lock.mjs, so TypeScript tests can import it.
export declare function sha256(text: string): string;
