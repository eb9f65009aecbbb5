import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintInputs } from '../src/index.js';
import { SHARED } from './support/shared.js';

const CORPUS = path.join(SHARED, 'corpus');

/** The corpus files that hold duplicate keys (stats.json, examples.duplicateKeys): the API server rejects them. */
const DUPLICATE_KEY_FILES = [
  'kubernetes__examples/_archived/openshift-origin/etcd-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/etcd-discovery-controller.yaml',
  'kubernetes__examples/_archived/openshift-origin/openshift-controller.yaml',
];

describe('real manifests (../shared/corpus)', () => {
  it('processes every file; only the files with duplicate keys report a file error', async () => {
    expect(existsSync(CORPUS), `${CORPUS} is missing`).toBe(true);
    const results = await lintInputs([CORPUS], {});
    expect(results).toHaveLength(847);
    const withErrors = results.filter((r) => r.errors.length > 0).map((r) => path.relative(CORPUS, r.file));
    expect(withErrors.sort()).toEqual(DUPLICATE_KEY_FILES);
    for (const result of results) {
      for (const finding of result.findings) {
        expect(finding.line).toBeGreaterThanOrEqual(1);
        expect(finding.endLine * 1e6 + finding.endColumn).toBeGreaterThanOrEqual(finding.line * 1e6 + finding.column);
      }
    }
    expect(results.some((r) => r.findings.length > 0)).toBe(true);
  });
});
