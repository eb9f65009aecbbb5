import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import type { FileResult, Finding, Severity } from '../engine/types.js';
import { SEVERITY_RANK } from '../engine/types.js';
import { describeFsError, errorCode } from '../load/fs-errors.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TROUBLE = 2;

/** A usage or configuration problem: printed as one line, exit 2 (or `exitCode`). */
export function usageError(message: string, exitCode = EXIT_TROUBLE): CommanderError {
  return new CommanderError(exitCode, 'kubemend.usage', message);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function keepAtLeast(results: FileResult[], minimum: Severity): FileResult[] {
  const shown = (finding: Finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[minimum];
  return results.map((result) => ({
    ...result,
    findings: result.findings.filter(shown),
    suppressed: result.suppressed.filter(shown),
  }));
}

/** Writes a report to a file, or to `stream` when no file (or `-`) is named. */
export function writeReport(output: string, file: string | undefined, stream: NodeJS.WritableStream): void {
  if (file === undefined || file === '-') {
    if (output) stream.write(output);
    return;
  }
  try {
    writeFileSync(file, output);
  } catch (error) {
    throw cannotWriteReport(file, error);
  }
}

export function cannotWriteReport(file: string, error: unknown): CommanderError {
  const reason =
    errorCode(error) === 'ENOENT' ? `the folder ${path.dirname(file)} does not exist` : describeFsError(error);
  return usageError(`cannot write the report to ${file}: ${reason}`);
}

export function hasFileErrors(results: readonly FileResult[]): boolean {
  return results.some((result) => result.errors.length > 0);
}
