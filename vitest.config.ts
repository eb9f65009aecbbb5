import { defineConfig } from 'vitest/config';

/** `npm test`: everything that needs only Node and this repository. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    testTimeout: 30_000,
    // Forks, not threads: in-process CLI runs change the working directory, which worker threads may not do.
    pool: 'forks',
  },
});
