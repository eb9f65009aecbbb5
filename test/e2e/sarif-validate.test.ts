import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { fixtureDir, spawnCli, spawnProcess } from '../support/cli.js';
import { CONFORMANCE_DIR } from '../support/conformance.js';
import { expectSarifForGitHub } from '../support/sarif.js';
import { sharedPath } from '../support/shared.js';

const VALIDATE_SARIF = sharedPath('tools', 'validate-sarif');
const INPUTS = [sharedPath('corpus'), path.join(CONFORMANCE_DIR, 'fixtures')];

/**
 * The acceptance test of issue 6: kubemend's SARIF for the full corpus of real manifests and for kubeaudit's fixtures
 * passes the shared folder's validate-sarif (JSON schema, GitHub's upload rules, Microsoft's SARIF multitool). The
 * validator installs its pinned tools on first use, hence the long timeout; kubemend runs as a child process, so
 * the worker stays free to answer vitest while the whole corpus is linted.
 */
describe('acceptance: SARIF for the full corpus and the kubeaudit fixtures', () => {
  it('validates, and every result, rule and fingerprint is as GitHub needs it', async () => {
    const out = fixtureDir({});
    const files: string[] = [];
    for (const input of INPUTS) {
      const file = path.join(out, `${path.basename(input)}.sarif`);
      const cli = await spawnCli(['--format', 'sarif', '-o', file, path.basename(input)], { cwd: path.dirname(input) });
      expect(cli.stderr).not.toContain('internal error');
      expectSarifForGitHub(JSON.parse(readFileSync(file, 'utf8')) as Log);
      files.push(file);
    }
    const validate = await spawnProcess(process.execPath, [VALIDATE_SARIF, '--quiet', ...files]);
    expect(validate.status, `${validate.stdout}\n${validate.stderr}`).toBe(0);
  }, 600_000);
});
