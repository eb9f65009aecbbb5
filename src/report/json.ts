import type { FileResult, Finding } from '../engine/types.js';

/** Version of the JSON document; bumped on any incompatible change (see README, "JSON output"). */
export const JSON_FORMAT_VERSION = 1;

/** The documented fields only: internal ones (patches, metadata) are not part of the format. */
function publicFinding(finding: Finding) {
  const { rule, code, severity, message, line, column, endLine, endColumn, resource, container, fixable, override, mapped } = finding;
  return { rule, code, severity, message, line, column, endLine, endColumn, resource, container, fixable, ...(override ? { override } : {}), ...(mapped !== undefined ? { mapped } : {}) };
}

export function formatJson(results: readonly FileResult[]): string {
  const document = { version: JSON_FORMAT_VERSION, results: results.map(({ file, findings, errors }) => ({ file, findings: findings.map(publicFinding), errors })) };
  return `${JSON.stringify(document)}\n`;
}
