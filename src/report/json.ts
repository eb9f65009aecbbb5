import type { FileResult, Finding, SuppressedFinding } from '../engine/types.js';
import type { ReportContext } from './context.js';
import { writeAll, type ReportWriter } from './writer.js';

/** Version of the JSON document; bumped on any incompatible change (see README, "JSON output"). */
export const JSON_FORMAT_VERSION = 1;

/** The documented fields only: internal ones (patches, metadata) are not part of the format. */
function publicFinding(finding: Finding) {
  const {
    rule,
    code,
    severity,
    message,
    details,
    line,
    column,
    endLine,
    endColumn,
    resource,
    container,
    fixable,
    override,
    mapped,
    values,
    template,
  } = finding;
  const located = { line, column, endLine, endColumn };
  return {
    rule,
    code,
    severity,
    message,
    details,
    ...located,
    resource,
    container,
    fixable,
    ...(override ? { override } : {}),
    ...(mapped !== undefined ? { mapped } : {}),
    ...(values ? { values } : {}),
    ...(template !== undefined ? { template } : {}),
  };
}

function publicSuppressed(finding: SuppressedFinding) {
  const { kind, reason, until } = finding.suppression;
  return { ...publicFinding(finding), fixable: false, suppression: { kind, reason, until } };
}

function publicResult({ file, findings, errors, suppressed }: FileResult) {
  return { file, findings: findings.map(publicFinding), errors, suppressed: suppressed.map(publicSuppressed) };
}

/** `{"version":1,"results":[…],"baseline":…}` on one line, each file's entry written as it comes. */
export function jsonWriter(context: Pick<ReportContext, 'baseline'> = {}): ReportWriter {
  const head = `{"version":${JSON_FORMAT_VERSION},"results":[`;
  let started = false;
  return {
    add(result) {
      const text = `${started ? ',' : head}${JSON.stringify(publicResult(result))}`;
      started = true;
      return text;
    },
    end() {
      const baseline = context.baseline ? `,"baseline":${JSON.stringify(context.baseline)}` : '';
      return `${started ? '' : head}]${baseline}}\n`;
    },
  };
}

export function formatJson(results: readonly FileResult[], context: Pick<ReportContext, 'baseline'> = {}): string {
  return writeAll(jsonWriter(context), results);
}
