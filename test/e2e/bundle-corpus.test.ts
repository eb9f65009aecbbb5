import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';

/** bin/ runs the esbuild bundle of the command line (dist/cli/); the library runs the modules tsc compiled. */
const CORPUS = sharedPath('corpus');

describe('the bundled command line on the full corpus', () => {
  it.each([
    ['stylish', ['--no-color']],
    ['json', ['--format', 'json']],
    ['sarif', ['--format', 'sarif']],
  ])('prints byte for byte what the unbundled code prints: %s', async (_, format) => {
    const args = [...format, '--jobs', '1', CORPUS];
    const bundled = await spawnCli(args);
    const unbundled = await runCli(args);
    expect(bundled.stdout.length).toBeGreaterThan(100_000);
    expect(bundled.stdout).toBe(unbundled.stdout);
    expect(bundled.stderr).toBe(unbundled.stderr);
    expect(bundled.status).toBe(unbundled.status);
  });
});
