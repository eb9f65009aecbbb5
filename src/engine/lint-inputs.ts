import { expandInputs, STDIN } from '../load/inputs.js';
import { isKustomizationFile, KustomizePatches } from '../load/kustomization.js';
import { displayName, readManifest, type ReadOptions } from '../load/read.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';
import type { ContextOptions } from './project-context.js';

export { STDIN_NAME } from '../load/read.js';

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * Kustomization files are not manifests and are passed by; the patches they list are linted as patches.
 * Files of `options.context` are consulted by cross-file rules, never reported on.
 * `-` reads `options.stdin` when the caller has read it, else the process's standard input.
 */
export async function lintInputs(inputs: readonly string[], options: LintOptions & ReadOptions & ContextOptions): Promise<FileResult[]> {
  const { files, errors } = await expandInputs(inputs);
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  for (const { input, message } of errors) run.addError(input, { message, line: 1, column: 1 });
  const patches = new KustomizePatches();
  for (const file of files) {
    if (isKustomizationFile(file)) continue;
    const read = readManifest(file, options);
    if ('error' in read) run.addError(displayName(file), read.error);
    else run.addBytes(displayName(file), read.bytes, file !== STDIN && patches.isPatch(file) ? 'patch' : 'manifest');
  }
  return run.finish();
}
