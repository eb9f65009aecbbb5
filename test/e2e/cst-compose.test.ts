import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { expectBuiltAsComposed } from '../support/built-documents.js';
import { yamlFilesUnder } from '../support/corpus.js';
import { fixtureDir } from '../support/fixture-dir.js';
import { sharedPath } from '../support/shared.js';

/*
 * The documents the loader builds from yaml's CST (src/load/cst-compose.ts) against those yaml's Composer gives, on
 * the full corpus and on synthetic workloads (`npm test` runs the same check on the vendored sample and edge cases).
 */

/** Yields to the event loop between files, so that the test runner hears from this worker during the long check. */
async function expectAllBuiltAsComposed(files: string[]): Promise<{ documents: number; built: number }> {
  const total = { documents: 0, built: 0 };
  for (const file of files) {
    await nextTurn();
    const counts = expectBuiltAsComposed(readFileSync(file, 'utf8'));
    total.documents += counts.documents;
    total.built += counts.built;
  }
  return total;
}

describe('documents built from the CST', () => {
  it('equal what yaml composes on the full corpus', async () => {
    const { documents, built } = await expectAllBuiltAsComposed(yamlFilesUnder(sharedPath('corpus')));
    expect(built).toBeGreaterThan(documents * 0.9);
  }, 300_000);

  it('equal what yaml composes on 2,000 synthetic workloads, and are every one of them', async () => {
    const out = fixtureDir({});
    const generator = sharedPath('tools', 'gen-manifests');
    execFileSync(process.execPath, [generator, '--docs', '2000', '--files', '200', '--out', out, '--seed', 'compose']);
    expect(await expectAllBuiltAsComposed(yamlFilesUnder(out))).toEqual({ documents: 2000, built: 2000 });
  }, 300_000);
});
