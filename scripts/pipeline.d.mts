// Types for scripts/pipeline.mjs, so TypeScript tests can import it.
export declare const repoRoot: string;
export declare function layout(root?: string): {
  root: string;
  specDir: string;
  generatedDir: string;
};
export declare function listSpecs(root?: string): Promise<string[]>;
export declare function lintSpecs(specs: string[], root?: string): Promise<void>;
export declare function generateSource(
  specPath: string,
  root?: string,
): Promise<{ fileName: string; contents: string }>;
export declare function generateAll(
  root?: string,
): Promise<{ fileName: string; contents: string }[]>;
export declare function rootFromArgv(argv?: string[]): string;
export declare function buildFragments(
  root?: string,
): Promise<{ path: string; contents: string }[]>;
export declare function regenerate(root?: string): Promise<{
  fragments: { path: string; contents: string }[];
  files: { fileName: string; contents: string }[];
}>;
export declare function generateChecksSources(
  specPath: string,
  root?: string,
): Promise<{ fileName: string; contents: string }[]>;
