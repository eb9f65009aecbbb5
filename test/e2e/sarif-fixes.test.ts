import { describe, expect, it } from 'vitest';
import { yamlFilesUnder } from '../support/corpus.js';
import { expectSarifFixesAsFixEngine } from '../support/sarif-fixes.js';
import { sharedPath } from '../support/shared.js';

describe('SARIF fixes on the full corpus', () => {
  it('are, for every fixable finding, the edits --fix makes of it alone', async () => {
    let compared = 0;
    for (const file of yamlFilesUnder(sharedPath('corpus'))) compared += await expectSarifFixesAsFixEngine(file);
    expect(compared).toBeGreaterThan(1000);
  }, 1_800_000);
});
