import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** `npm test`: everything that needs only Node and this repository. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    testTimeout: 30_000,
    // Forks, not threads: in-process CLI runs change the working directory, which worker threads may not do.
    pool: 'forks',
    setupFiles: ['test/support/setup.ts'],
    // vitest leaves a core free by default, which on a 2-core machine means one test file at a time.
    maxWorkers: availableParallelism(),
  },
});
