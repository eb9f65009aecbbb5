import path from 'node:path';
import { CONFORMANCE_DIR } from '../support/conformance.js';
import { CORPUS_SAMPLE, describeFixRoundTrip, repositoriesOf } from '../support/corpus.js';

// The full corpus runs in test/e2e/corpus.test.ts.
describeFixRoundTrip(
  'the corpus sample and the kubeaudit fixtures',
  [...repositoriesOf(CORPUS_SAMPLE), path.join(CONFORMANCE_DIR, 'fixtures')],
  173 + 136,
);
