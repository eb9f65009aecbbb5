import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir } from './support/cli.js';
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

describe('SARIF fixes that empty a mapping and add to it', () => {
  // A SARIF fix is not verified as --fix is: its edits, computed together, were `securityContext: {}  # reviewed`
  // followed by the added key, which does not parse. The mapping's only key removed and one added must be one change.
  it('are the edits --fix makes, in block and flow style', async () => {
    const containers =
      '  - name: web\n    image: nginx:1.27\n    securityContext:  # reviewed\n      runAsUser: 0\n' +
      '  - {name: side, image: "busybox:1.36", securityContext: {runAsUser: 0}}\n';
    const dir = fixtureDir({
      'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containers}`,
    });
    expect(await expectSarifFixesAsFixEngine(path.join(dir, 'pod.yaml'))).toBeGreaterThan(5);
  });
});
