import type { FileResult } from '../engine/types.js';

/**
 * A report written as the results come, in input order: each file's text as soon as it is final, then what comes
 * after the last one (a summary, a closing bracket). A writer keeps counts, never results, so a lint of any size
 * holds one file's findings at a time.
 */
export interface ReportWriter {
  add(result: FileResult): string;
  end(): string;
}

/** The whole report of results already at hand: what a writer writes, at once. */
export function writeAll(writer: ReportWriter, results: readonly FileResult[]): string {
  let text = '';
  for (const result of results) text += writer.add(result);
  return text + writer.end();
}

/** Lines as a report writes them: each ended by a newline. */
export function asLines(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) text += `${line}\n`;
  return text;
}
