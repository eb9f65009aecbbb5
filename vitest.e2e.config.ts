import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: the opt-in end-to-end suite in test/e2e. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
