import { CORPUS_SAMPLE, describeCorpusLint } from './support/corpus.js';

// The full corpus runs in test/e2e/corpus.test.ts.
describeCorpusLint(CORPUS_SAMPLE, 173);
