import type { FileResult } from '../engine/types.js';
import { FILE_ERROR } from './problem-counts.js';
import { findingLine } from './stylish.js';

/**
 * One line per problem, `file:line:col: severity code message`, the layout of compilers and grep that editors'
 * default error matchers read. Nothing when all is clean.
 */
export function formatCompact(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const { file, findings, errors } of results) {
    for (const error of errors)
      lines.push(`${file}:${error.line}:${error.column}: error ${FILE_ERROR} ${error.message}`);
    for (const finding of findings) {
      lines.push(
        `${file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.code} ${findingLine(finding)}`,
      );
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
