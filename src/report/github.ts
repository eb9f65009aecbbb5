import path from 'node:path';
import type { FileResult, Severity } from '../engine/types.js';
import { findingMessage } from './sarif-message.js';
import { asLines, writeAll, type ReportWriter } from './writer.js';

/*
 * GitHub Actions workflow commands: `::error file=…,line=…::message` lines become annotations on the run and on the
 * pull request's diff. Escaping as GitHub's toolkit does (@actions/core): the message escapes %, CR and LF;
 * property values also escape `:` and `,`, which would otherwise end the value.
 */

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Annotation {
  command: string;
  file: string;
  line: number;
  column: number;
  /** GitHub takes columns only for a one-line span; a longer one is shown by its lines. */
  end?: { line: number; column: number };
  title: string;
  message: string;
}

function format({ command, file, line, column, end, title, message }: Annotation): string {
  const position = !end
    ? [
        ['line', line],
        ['col', column],
      ]
    : end.line === line
      ? [
          ['line', line],
          ['col', column],
          ['endLine', end.line],
          ['endColumn', end.column],
        ]
      : [
          ['line', line],
          ['endLine', end.line],
        ];
  const properties = [['file', file], ...position, ['title', title]].map(
    ([key, value]) => `${key}=${escapeProperty(String(value))}`,
  );
  return `::${command} ${properties.join(',')}::${escapeData(message)}`;
}

/** One annotation per finding and per file error; nothing when all is clean. Paths are as given (on Windows with `/`). */
export function formatGithub(results: readonly FileResult[]): string {
  return writeAll(githubWriter(), results);
}

export function githubWriter(): ReportWriter {
  return { add: (result) => asLines(annotationsOf(result)), end: () => '' };
}

function annotationsOf({ file, findings, errors }: FileResult): string[] {
  const lines: string[] = [];
  const name = path.sep === '\\' ? file.replaceAll('\\', '/') : file;
  for (const error of errors) {
    lines.push(
      format({
        command: 'error',
        file: name,
        line: error.line,
        column: error.column,
        title: 'kubemend: file error',
        message: error.message,
      }),
    );
  }
  for (const finding of findings) {
    lines.push(
      format({
        command: COMMAND[finding.severity],
        file: name,
        line: finding.line,
        column: finding.column,
        end: { line: finding.endLine, column: finding.endColumn },
        title: `kubemend ${finding.rule}/${finding.code}`,
        message: findingMessage(finding, finding.details),
      }),
    );
  }
  return lines;
}
