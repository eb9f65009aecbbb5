import { expandInputs } from '../load/inputs.js';
import { displayName, readManifest } from '../load/read.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';

export { STDIN_NAME } from '../load/read.js';

export interface InputSource {
  /** The bytes of stdin, when the caller has read them already. */
  stdin?: Uint8Array;
  /** Called after each file (the CLI's progress line); awaited, so it may load what it needs to draw. */
  onProgress?: (progress: { done: number; total: number; findings: number }) => void | Promise<void>;
}

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * `-` reads `source.stdin` when given, else the process's standard input.
 */
export async function lintInputs(inputs: readonly string[], options: LintOptions, source: InputSource = {}): Promise<FileResult[]> {
  const { ordered } = await expandInputs(inputs);
  const run = new LintRun(options);
  let findings = 0;
  for (const [index, entry] of ordered.entries()) {
    if (!('file' in entry)) {
      run.addError(entry.input, { message: entry.message, line: 1, column: 1 });
      continue;
    }
    const { file } = entry;
    const read = readManifest(file, source.stdin);
    if ('error' in read) run.addError(displayName(file), read.error);
    else findings += run.addBytes(displayName(file), read.bytes).findings.length;
    await source.onProgress?.({ done: index + 1, total: ordered.length, findings });
  }
  return run.finish();
}
