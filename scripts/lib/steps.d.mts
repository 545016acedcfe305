// Types for scripts/lib/steps.mjs, so TypeScript tests can import it.
export interface Step {
  name: string;
  command: string[];
  needs?: string[];
  says?: string | RegExp;
  stream?: boolean;
  env?: Record<string, string>;
}
export declare function stripAnsi(text: string): string;
export declare function lastLine(output: string, pattern?: RegExp): string;
export declare function runSteps(
  steps: Step[],
  options: { jobs?: number; verbose?: boolean; color?: boolean; write: (text: string) => void },
): Promise<string[]>;
