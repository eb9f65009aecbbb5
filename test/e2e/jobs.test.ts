import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';

/** The full corpus (19.8 MB) is above the default threshold: --jobs 2 lints it in two threads as it is. */
const CORPUS = sharedPath('corpus');

describe('--jobs on the full corpus', () => {
  it.each([
    ['stylish', ['--no-color']],
    ['json', ['--format', 'json']],
    ['sarif', ['--format', 'sarif']],
  ])('two threads print byte for byte what one prints: %s', async (_, format) => {
    const one = await spawnCli([...format, '--jobs', '1', CORPUS]);
    const two = await spawnCli([...format, '--jobs', '2', CORPUS]);
    expect(one.stdout.length).toBeGreaterThan(100_000);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.status).toBe(one.status);
  });
});
