import type { NodePath } from '../load/nodes.js';
import type { Span } from '../load/positions.js';
import type { ContainerRole, Workload } from '../load/workloads.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface CodeMeta {
  severity: Severity;
  /** One sentence: what the code means. */
  description: string;
}

export interface RuleMeta {
  /** kubeaudit's auditor name where there is one. */
  id: string;
  description: string;
  codes: Record<string, CodeMeta>;
}

/** What a rule says about one problem; the engine adds the span, the resource and the severity. */
export interface Report {
  code: string;
  message: string;
  /** From the document root: the offending node, or where the missing field belongs. */
  path: NodePath;
  container?: { name: string | undefined; role: ContainerRole };
}

export interface WorkloadRule {
  meta: RuleMeta;
  checkWorkload(workload: Workload, report: (report: Report) => void): void;
}

export type Rule = WorkloadRule;

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
}

export interface Finding extends Span {
  rule: string;
  code: string;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  container: string | null;
  fixable: boolean;
}

export interface FileError {
  message: string;
  line: number;
  column: number;
}

export interface FileResult {
  /** As given on the command line; `<stdin>` for standard input. */
  file: string;
  findings: Finding[];
  errors: FileError[];
}
