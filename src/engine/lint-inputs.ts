import { expandInputs, STDIN } from '../load/inputs.js';
import { isKustomizationFile, KustomizePatches } from '../load/kustomization.js';
import { displayName, readManifest, type ReadOptions } from '../load/read.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';
import type { ContextOptions } from './project-context.js';

export { STDIN_NAME } from '../load/read.js';

export interface Progress {
  /** Called after each file (the CLI's progress line); awaited, so it may load what it needs to draw. */
  onProgress?: (progress: { done: number; total: number; findings: number }) => void | Promise<void>;
}

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * Kustomization files are not manifests and are passed by; the patches they list are linted as patches.
 * Files of `options.context` are consulted by cross-file rules, never reported on; `options.contextSource` is asked
 * for them once every file is linted, for what those files need.
 * `-` reads `options.stdin` when the caller has read it, else the process's standard input.
 */
export async function lintInputs(
  inputs: readonly string[],
  options: LintOptions & ReadOptions & ContextOptions,
  progress: Progress = {},
): Promise<FileResult[]> {
  const { ordered } = await expandInputs(inputs);
  const run = new LintRun(options);
  for (const { file, text } of options.context ?? []) run.addContext(file, text);
  const patches = new KustomizePatches();
  let findings = 0;
  for (const [index, entry] of ordered.entries()) {
    if (!('file' in entry)) {
      run.addError(entry.input, { message: entry.message, line: 1, column: 1 });
      continue;
    }
    const { file } = entry;
    if (isKustomizationFile(file)) continue;
    const read = readManifest(file, options);
    if ('error' in read) run.addError(displayName(file), read.error);
    else {
      const role = file !== STDIN && patches.isPatch(file) ? 'patch' : 'manifest';
      findings += run.addBytes(displayName(file), read.bytes, role).findings.length;
    }
    await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
  }
  const needed = run.contextNeeded();
  if (options.contextSource && needed.needsContext)
    for (const { file, text } of await options.contextSource(needed)) run.addContext(file, text);
  return run.finish();
}
