import type { ToolFinding } from './model.js';

/** One line of `-p json` (kubeaudit's, and kubemend's copy of it): logrus fields, the finding's metadata among them. */
type JsonLine = Record<string, string | undefined>;

/** The fields every finding line has (kubemend adds its position); the rest is the finding's metadata. */
const LINE_FIELDS = new Set([
  'AuditResultName',
  'ResourceKind',
  'ResourceApiVersion',
  'ResourceNamespace',
  'ResourceName',
  'level',
  'msg',
  'time',
  'File',
  'Line',
  'Column',
]);

function toFinding(line: JsonLine): ToolFinding {
  const metadata = Object.fromEntries(Object.entries(line).filter(([key]) => !LINE_FIELDS.has(key))) as Record<
    string,
    string
  >;
  return {
    code: line.AuditResultName!,
    severity: line.level ?? '',
    resource: { kind: line.ResourceKind ?? '', namespace: line.ResourceNamespace ?? '', name: line.ResourceName ?? '' },
    container: line.Container ?? '',
    metadata,
  };
}

/** The findings of `-p json` output (one object per line), and the other lines (errors) as they were printed. */
export function parseJsonLines(stdout: string): { findings: ToolFinding[]; others: JsonLine[] } {
  const findings: ToolFinding[] = [];
  const others: JsonLine[] = [];
  for (const text of stdout.split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as JsonLine;
    if (line.AuditResultName) findings.push(toFinding(line));
    else others.push(line);
  }
  return { findings, others };
}
