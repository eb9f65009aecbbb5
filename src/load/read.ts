import { readFileSync } from 'node:fs';
import { STDIN } from './inputs.js';
import type { LocatedError } from './errors.js';

export const STDIN_NAME = '<stdin>';

/** How a file is named in reports: as given, or `<stdin>`. */
export function displayName(file: string): string {
  return file === STDIN ? STDIN_NAME : file;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: kubemend cannot read this file';
  if (code === 'EISDIR') return 'this is a directory, not a file';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The bytes of a named file or of stdin (`-`: `stdin` when the caller has read it already, else file descriptor 0);
 * a read failure becomes an error located at 1:1.
 */
export function readManifest(file: string, stdin?: Uint8Array): { bytes: Uint8Array } | { error: Pick<LocatedError, 'message' | 'line' | 'column'> } {
  if (file === STDIN && stdin !== undefined) return { bytes: stdin };
  try {
    return { bytes: readFileSync(file === STDIN ? 0 : file) };
  } catch (error) {
    return { error: { message: describeReadError(error), line: 1, column: 1 } };
  }
}
