import { expandInputs } from '../load/inputs.js';
import { displayName, readManifest } from '../load/read.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';

export { STDIN_NAME } from '../load/read.js';

/**
 * Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors.
 * `-` reads `source.stdin` when given, else the process's standard input.
 */
export async function lintInputs(inputs: readonly string[], options: LintOptions, source: { stdin?: Uint8Array } = {}): Promise<FileResult[]> {
  const { ordered } = await expandInputs(inputs);
  const run = new LintRun(options);
  for (const entry of ordered) {
    if (!('file' in entry)) {
      run.addError(entry.input, { message: entry.message, line: 1, column: 1 });
      continue;
    }
    const { file } = entry;
    const read = readManifest(file, source.stdin);
    if ('error' in read) run.addError(displayName(file), read.error);
    else run.addBytes(displayName(file), read.bytes);
  }
  return run.finish();
}
