// Types for scripts/upstream/config.mjs, so TypeScript tests can import it.
export declare const SYNC_FILES: {
  config: string;
  lock: string;
  extract: string;
  overlay: string;
  fragment: string;
};
