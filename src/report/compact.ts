import type { FileResult } from '../engine/types.js';
import { FILE_ERROR } from './problem-counts.js';
import { findingLine } from './stylish.js';
import { asLines, writeAll, type ReportWriter } from './writer.js';

/**
 * One line per problem, `file:line:col: severity code message`, the layout of compilers and grep that editors'
 * default error matchers read. Nothing when all is clean.
 */
export function formatCompact(results: readonly FileResult[]): string {
  return writeAll(compactWriter(), results);
}

export function compactWriter(): ReportWriter {
  return {
    add: ({ file, findings, errors }) =>
      asLines([
        ...errors.map((error) => `${file}:${error.line}:${error.column}: error ${FILE_ERROR} ${error.message}`),
        ...findings.map(
          (finding) =>
            `${file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.code} ${findingLine(finding)}`,
        ),
      ]),
    end: () => '',
  };
}
