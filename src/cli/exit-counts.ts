import type { FileResult } from '../engine/types.js';

/** What a lint's exit code depends on, counted file by file as the report is written: no result is kept for it. */
export class ExitCounts {
  fileErrors = 0;
  errors = 0;
  warnings = 0;

  static of(results: readonly FileResult[]): ExitCounts {
    const counts = new ExitCounts();
    for (const result of results) counts.add(result);
    return counts;
  }

  add(result: FileResult): void {
    this.fileErrors += result.errors.length;
    for (const finding of result.findings) {
      if (finding.severity === 'error') this.errors++;
      else if (finding.severity === 'warning') this.warnings++;
    }
  }
}
