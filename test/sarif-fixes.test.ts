import { describe, expect, it } from 'vitest';
import { CORPUS_SAMPLE, repositoriesOf, yamlFilesUnder } from './support/corpus.js';
import { expectSarifFixesAsFixEngine } from './support/sarif-fixes.js';

// Two files of each repository of the sample, as each fixable finding costs a --fix run; the full corpus, every
// file: test/e2e/sarif-fixes.test.ts.
describe('SARIF fixes on the vendored corpus sample', () => {
  it('are, for every fixable finding, the edits --fix makes of it alone', async () => {
    let compared = 0;
    for (const repository of repositoriesOf(CORPUS_SAMPLE))
      for (const file of yamlFilesUnder(repository).slice(0, 2)) compared += await expectSarifFixesAsFixEngine(file);
    expect(compared).toBeGreaterThan(20);
  }, 120_000);
});
