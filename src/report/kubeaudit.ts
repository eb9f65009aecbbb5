import type { FileResult, Finding } from '../engine/types.js';
import type { ReportContext } from './context.js';

/*
 * kubeaudit's own output formats, for pipelines that parse them: `-p json` (one logrus JSON object per finding
 * per line), `-p logrus` (logrus text) and `-p pretty`. kubemend adds File, Line and Column to each.
 */

function fieldsOf(file: string, finding: Finding): Record<string, string | number> {
  const fields: Record<string, string | number> = {
    AuditResultName: finding.code,
    ResourceKind: finding.resource.kind,
    ResourceApiVersion: finding.resource.apiVersion,
    ResourceName: finding.resource.name ?? '',
    ...finding.metadata,
    File: file,
    Line: finding.line,
    Column: finding.column,
  };
  if (finding.resource.namespace) fields.ResourceNamespace = finding.resource.namespace;
  return fields;
}

function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function fileErrors(results: readonly FileResult[]): { file: string; message: string; line: number; column: number }[] {
  return results.flatMap((result) => result.errors.map((error) => ({ file: result.file, ...error })));
}

export function formatKubeauditJson(results: readonly FileResult[]): string {
  const time = new Date().toISOString();
  const lines: string[] = [];
  for (const error of fileErrors(results)) {
    lines.push(
      JSON.stringify(
        Object.fromEntries(
          sortedEntries({
            File: error.file,
            Line: error.line,
            Column: error.column,
            level: 'error',
            msg: error.message,
            time,
          }),
        ),
      ),
    );
  }
  for (const result of results) {
    for (const finding of result.findings) {
      const record = { ...fieldsOf(result.file, finding), level: finding.severity, msg: finding.details, time };
      lines.push(JSON.stringify(Object.fromEntries(sortedEntries(record))));
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** As logrus's TextFormatter quotes (needsQuoting): anything beyond letters, digits and `-._/@^+`, so `time=` too. */
function logfmtValue(value: unknown): string {
  const text = String(value);
  return /^[A-Za-z0-9\-._/@^+]*$/.test(text) ? text : JSON.stringify(text);
}

export function formatKubeauditLogrus(results: readonly FileResult[]): string {
  const time = new Date().toISOString();
  const lines: string[] = [];
  const line = (level: string, msg: string, fields: Record<string, unknown>) =>
    lines.push(
      [
        `time=${logfmtValue(time)}`,
        `level=${level}`,
        `msg=${logfmtValue(msg)}`,
        ...sortedEntries(fields).map(([k, v]) => `${k}=${logfmtValue(v)}`),
      ].join(' '),
    );
  for (const error of fileErrors(results))
    line('error', error.message, { File: error.file, Line: error.line, Column: error.column });
  for (const result of results)
    for (const finding of result.findings) line(finding.severity, finding.details, fieldsOf(result.file, finding));
  return lines.map((text) => `${text}\n`).join('');
}

export function formatKubeauditPretty(
  results: readonly FileResult[],
  { palette }: Pick<ReportContext, 'palette'>,
): string {
  const out: string[] = [];
  for (const error of fileErrors(results))
    out.push(palette.red(`Error: ${error.file}:${error.line}:${error.column}: ${error.message}`), '');
  let count = 0;
  for (const result of results) {
    const byResource = new Map<string, Finding[]>();
    for (const finding of result.findings) {
      const key = JSON.stringify(finding.resource);
      byResource.set(key, [...(byResource.get(key) ?? []), finding]);
    }
    for (const [key, findings] of byResource) {
      const resource = JSON.parse(key) as Finding['resource'];
      out.push(palette.blue('---------------- Results for ---------------'), '');
      out.push(
        palette.blue(`  apiVersion: ${resource.apiVersion}`),
        palette.blue(`  kind: ${resource.kind}`),
        palette.blue('  metadata:'),
      );
      out.push(palette.blue(`    name: ${resource.name ?? ''}`));
      if (resource.namespace) out.push(palette.blue(`    namespace: ${resource.namespace}`));
      out.push(
        palette.dim(`  file: ${result.file}`),
        '',
        palette.blue('--------------------------------------------'),
        '',
      );
      for (const finding of findings) {
        count++;
        const color =
          finding.severity === 'error' ? palette.red : finding.severity === 'warning' ? palette.yellow : palette.blue;
        out.push(
          color(`-- [${finding.severity}] ${finding.code}`),
          `   Message: ${finding.details}`,
          `   Location: ${result.file}:${finding.line}:${finding.column}`,
        );
        const metadata = sortedEntries(finding.metadata);
        if (metadata.length > 0) out.push('   Metadata:', ...metadata.map(([k, v]) => `      ${k}: ${String(v)}`));
        out.push('');
      }
    }
  }
  if (count === 0 && fileErrors(results).length === 0)
    out.push('All checks completed. 0 high-risk vulnerabilities found');
  return `${out.join('\n')}\n`;
}
