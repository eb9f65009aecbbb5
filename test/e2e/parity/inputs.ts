import fg from 'fast-glob';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../support/cli.js';
import { sharedPath } from '../../support/shared.js';

/** A manifest the harness checks, and how the report names it. */
export interface ParityInput {
  path: string;
  label: string;
}

/** The real manifests of the shared folder. */
export function sharedCorpus(): string {
  return sharedPath('corpus');
}

/** The held-back sample kept in the repository, when there is one. */
export const HELD_BACK_SAMPLE = path.join(ROOT, 'test', 'fixtures', 'corpus');

/** Every `*.yaml`/`*.yml` below the folders, sorted, named relative to the repository. */
export async function parityInputs(folders: readonly string[]): Promise<ParityInput[]> {
  const inputs: ParityInput[] = [];
  for (const folder of folders) {
    if (!existsSync(folder)) throw new Error(`${folder} does not exist`);
    const files = await fg('**/*.{yaml,yml}', { cwd: folder, absolute: true, dot: true });
    for (const file of files.sort()) inputs.push({ path: file, label: path.relative(ROOT, file) });
  }
  return inputs;
}

/** The folders `npm run parity` and the end-to-end test check by default. */
export function defaultFolders(): string[] {
  return [sharedCorpus(), ...(existsSync(HELD_BACK_SAMPLE) ? [HELD_BACK_SAMPLE] : [])];
}
