// Types for scripts/upstream/classify.mjs, so TypeScript tests can import it.
export interface Change {
  bump: 'major' | 'minor' | 'patch';
  at: string;
  change: string;
}
export declare function classifyChanges(before: object, after: object): Change[];
export declare function verdict(changes: Change[], unchanged: boolean): string;
