import type { FileResult, Finding, SuppressedFinding } from '../engine/types.js';
import type { ReportContext } from './context.js';

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

export function formatJson(results: readonly FileResult[], context: Pick<ReportContext, 'baseline'> = {}): string {
  const document = {
    version: JSON_FORMAT_VERSION,
    results: results.map(({ file, findings, errors, suppressed }) => ({
      file,
      findings: findings.map(publicFinding),
      errors,
      suppressed: suppressed.map(publicSuppressed),
    })),
    ...(context.baseline ? { baseline: context.baseline } : {}),
  };
  return `${JSON.stringify(document)}\n`;
}
