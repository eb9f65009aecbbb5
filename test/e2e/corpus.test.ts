import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_SAMPLE,
  describeCorpusLint,
  describeFixRoundTrip,
  repositoriesOf,
  yamlFilesUnder,
} from '../support/corpus.js';
import { sharedPath } from '../support/shared.js';

/** The full corpus of real manifests (847 files, 19.8 MB); `npm test` runs the same tests on its vendored sample. */
const CORPUS = sharedPath('corpus');

describeCorpusLint(CORPUS, 847);

describeFixRoundTrip('the full corpus', repositoriesOf(CORPUS), 847);

describe('the vendored sample (test/fixtures/corpus)', () => {
  const sample = yamlFilesUnder(CORPUS_SAMPLE).map((file) => path.relative(CORPUS_SAMPLE, file));

  it('holds byte-for-byte copies of files of the full corpus, from every repository of it', () => {
    for (const file of sample) {
      const copy = readFileSync(path.join(CORPUS_SAMPLE, file));
      expect(copy.equals(readFileSync(path.join(CORPUS, file))), `${file} differs from the corpus`).toBe(true);
    }
    expect(repositoriesOf(CORPUS_SAMPLE).map((folder) => path.basename(folder))).toEqual(
      repositoriesOf(CORPUS).map((folder) => path.basename(folder)),
    );
  });

  it('names each of its files in its SOURCES.md', () => {
    // SOURCES.md lists the files under a heading per repository: `### owner/repo (count)`, then `- \`path\``.
    const listed: string[] = [];
    let repository = '';
    for (const line of readFileSync(path.join(CORPUS_SAMPLE, 'SOURCES.md'), 'utf8').split('\n')) {
      const heading = /^### (\S+)\/(\S+) \(\d+\)$/.exec(line);
      if (heading) repository = `${heading[1]}__${heading[2]}`;
      const item = /^- `([^`]+)`/.exec(line);
      if (repository && item) listed.push(`${repository}/${item[1]}`);
    }
    expect(listed.sort()).toEqual(sample);
  });
});
