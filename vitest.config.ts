import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Type-level tests (expectTypeOf, @ts-expect-error) are checked by `tsc` in `npm run typecheck`
    // and by vitest's typecheck pass here, so a broken type fails `npm test` twice over.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
