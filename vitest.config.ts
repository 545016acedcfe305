import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Type-level tests (expectTypeOf, @ts-expect-error) are checked by `tsc` in `npm run typecheck`
    // and by vitest's typecheck pass here, so a broken type fails `npm test` twice over.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // At least two files at a time. Vitest's default (one per core but one) runs a 2-core machine's
    // files one by one, though most of a file's time is spent waiting on the child processes and
    // servers it starts, not in its own worker.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A guard against hangs, not a speed limit: on a busy 2-core machine, a test that runs a few
    // child processes (the CLI, the pipeline scripts) next to another file's can take several
    // times its usual few seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
