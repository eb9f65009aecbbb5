import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { ConfigIssue } from '../engine/config-issue.js';
import type { FileError, Finding, Severity } from '../engine/types.js';
import type { Span } from '../load/positions.js';
import { PARSE_ERROR_RULE, readmeSectionUrl, ruleDocUrl } from '../report/sarif-rules.js';
import { readPackageInfo, type PackageInfo } from '../package-info.js';

export const SOURCE = 'kubemend';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

let pkg: PackageInfo | undefined;

function packageInfo(): PackageInfo {
  pkg ??= readPackageInfo();
  return pkg;
}

/** kubemend's spans are 1-based and count UTF-16 code units, as LSP positions do (0-based). */
export function rangeOf(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** From a 1-based line and column to the end of that line: errors have a start only. */
export function restOfLine(text: string, line: number, column: number): Range {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) break;
    start = newline + 1;
  }
  const newline = text.indexOf('\n', start);
  const end = (newline === -1 ? text.length : newline) - (text[newline - 1] === '\r' ? 1 : 0);
  return {
    start: { line: line - 1, character: column - 1 },
    end: { line: line - 1, character: Math.max(end - start, column - 1) },
  };
}

export function findingDiagnostic(finding: Finding): Diagnostic {
  return {
    range: rangeOf(finding),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocUrl(packageInfo(), finding.rule) },
    source: SOURCE,
    message: finding.message,
  };
}

export function fileErrorDiagnostic(error: FileError, text: string): Diagnostic {
  return {
    range: restOfLine(text, error.line, error.column),
    severity: DiagnosticSeverity.Error,
    code: PARSE_ERROR_RULE,
    codeDescription: { href: readmeSectionUrl(packageInfo()) },
    source: SOURCE,
    message: error.message,
  };
}

export function configIssueDiagnostic(issue: ConfigIssue, text: string): Diagnostic {
  return {
    range: restOfLine(text, issue.line ?? 1, issue.column ?? 1),
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: issue.key ? `${issue.key}: ${issue.problem}` : issue.problem,
  };
}

/** On a document whose config file cannot be used: nothing is linted, as the CLI lints nothing then. */
export function notLintedDiagnostic(configFile: string, text: string): Diagnostic {
  return {
    range: restOfLine(text, 1, 1),
    severity: DiagnosticSeverity.Warning,
    source: SOURCE,
    message: `not linted: the configuration ${configFile} has errors (shown on that file); fix it to see the findings`,
  };
}

/**
 * Whether a document with file errors is meant as a Kubernetes manifest: a top-level apiVersion or kind. Other
 * YAML (values files, CI workflows) gets no diagnostics, broken or not: kubemend has nothing to say about it.
 */
export function looksLikeManifest(text: string): boolean {
  return /^\{?\s*(?:apiVersion|kind)\s*:|"(?:apiVersion|kind)"\s*:/m.test(text);
}
