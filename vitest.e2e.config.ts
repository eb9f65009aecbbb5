import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the real tools (pre-commit, kubeaudit, kustomize, helm, the SARIF validator) and the project's
 * shared folder beside the checkout. A missing tool or folder fails its test with one line saying what to install.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    setupFiles: ['test/support/setup.ts'],
  },
});
