import { readFileSync } from 'node:fs';
import { expandInputs, STDIN } from '../load/inputs.js';
import { LintRun, type LintOptions } from './run.js';
import type { FileResult } from './types.js';

export const STDIN_NAME = '<stdin>';

function readInput(file: string): Uint8Array {
  return readFileSync(file === STDIN ? 0 : file);
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: kubemend cannot read this file';
  if (code === 'EISDIR') return 'this is a directory, not a file';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/** Lints every file the inputs name, one at a time so only one AST is alive; inputs that name nothing become file errors. */
export async function lintInputs(inputs: readonly string[], options: LintOptions): Promise<FileResult[]> {
  const { files, missing } = await expandInputs(inputs);
  const run = new LintRun(options);
  for (const { input, message } of missing) run.addError(input, { message, line: 1, column: 1 });
  for (const file of files) {
    const name = file === STDIN ? STDIN_NAME : file;
    let bytes: Uint8Array;
    try {
      bytes = readInput(file);
    } catch (error) {
      run.addError(name, { message: describeReadError(error), line: 1, column: 1 });
      continue;
    }
    run.addBytes(name, bytes);
  }
  return run.finish();
}
