import { expandInputs } from '../load/inputs.js';
import type { ReadOptions } from '../load/read.js';
import { readInputs } from '../load/read-inputs.js';
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
 * Files of `options.context` are consulted by cross-file rules, never reported on.
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
  let findings = 0;
  for (const input of readInputs(ordered, options)) {
    if (input.error) run.addError(input.name, input.error);
    else findings += run.addBytes(input.name, input.bytes, input.role).findings.length;
    await progress.onProgress?.({ done: input.index + 1, total: ordered.length, findings });
  }
  return run.finish();
}
