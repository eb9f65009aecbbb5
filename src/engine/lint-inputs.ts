import { expandInputs } from '../load/inputs.js';
import { displayName, readManifest, type ReadOptions } from '../load/read.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';

export { STDIN_NAME } from '../load/read.js';

export interface Progress {
  /** Called after each file (the CLI's progress line); awaited, so it may load what it needs to draw. */
  onProgress?: (progress: { done: number; total: number; findings: number }) => void | Promise<void>;
}

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * `-` reads `options.stdin` when the caller has read it, else the process's standard input.
 */
export async function lintInputs(
  inputs: readonly string[],
  options: LintOptions & ReadOptions,
  progress: Progress = {},
): Promise<FileResult[]> {
  const { ordered } = await expandInputs(inputs);
  const run = new LintRun(options);
  let findings = 0;
  for (const [index, entry] of ordered.entries()) {
    if (!('file' in entry)) {
      run.addError(entry.input, { message: entry.message, line: 1, column: 1 });
      continue;
    }
    const { file } = entry;
    const read = readManifest(file, options);
    if ('error' in read) run.addError(displayName(file), read.error);
    else findings += run.addBytes(displayName(file), read.bytes).findings.length;
    await progress.onProgress?.({ done: index + 1, total: ordered.length, findings });
  }
  return run.finish();
}
