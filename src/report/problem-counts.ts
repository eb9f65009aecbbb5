import { SEVERITY_RANK, type FileResult, type Severity } from '../engine/types.js';
import { compareText } from '../engine/compare-text.js';

/** What stylish calls a file error in its code column and its summary. */
export const FILE_ERROR = 'file-error';

export interface CodeCount {
  /** `rule/Code`, or `file-error`. */
  name: string;
  code: string;
  severity: Severity;
  count: number;
  fixable: number;
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
  fixable: number;
  /** One row per code and severity, most frequent first: they add up to errors + warnings + infos. */
  byCode: CodeCount[];
}

/** Problems (findings and file errors) counted by severity and by code, file by file (see ReportWriter). */
export class ProblemTally {
  private readonly byCode = new Map<string, CodeCount>();

  add(result: FileResult): void {
    for (const _ of result.errors) this.count(FILE_ERROR, FILE_ERROR, 'error', false);
    for (const finding of result.findings)
      this.count(`${finding.rule}/${finding.code}`, finding.code, finding.severity, finding.fixable);
  }

  counts(): ProblemCounts {
    const rows = [...this.byCode.values()].sort(
      (a, b) =>
        b.count - a.count || compareText(a.name, b.name) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
    );
    const total = (severity: Severity) =>
      rows.filter((row) => row.severity === severity).reduce((sum, row) => sum + row.count, 0);
    return {
      errors: total('error'),
      warnings: total('warning'),
      infos: total('info'),
      fixable: rows.reduce((sum, row) => sum + row.fixable, 0),
      byCode: rows,
    };
  }

  /** A code's severity can vary (deprecatedapis by version, a config per code): each severity is a row of its own. */
  private count(name: string, code: string, severity: Severity, fixable: boolean): void {
    const key = `${name} ${severity}`;
    const row = this.byCode.get(key) ?? { name, code, severity, count: 0, fixable: 0 };
    row.count++;
    if (fixable) row.fixable++;
    this.byCode.set(key, row);
  }
}
