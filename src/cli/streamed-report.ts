import type { LintOptions } from '../engine/run.js';
import type { ReadOptions } from '../load/read.js';
import type { Severity } from '../engine/types.js';
import { lintInputsStream } from '../engine/lint-inputs.js';
import { nameHelmTemplates } from '../helm/stdin.js';
import type { ReportWriter } from '../report/index.js';
import { ExitCounts } from './exit-counts.js';
import type { CliSession } from './io.js';
import { ProgressLine } from './progress.js';
import type { ReportSink } from './report-sink.js';
import { keepAtLeast } from './shared.js';

export interface StreamedReport {
  writer: ReportWriter;
  sink: ReportSink;
  minSeverity: Severity;
  showProgress: boolean;
}

/**
 * Lints the inputs and writes each file's part of the report as soon as it and every file before it are final, then
 * lets it go: a lint of any size holds one file's findings (see lintInputsStream), and counts for the exit code.
 */
export async function lintAndReport(
  session: CliSession,
  inputs: string[],
  lintOptions: LintOptions & ReadOptions,
  { writer, sink, minSeverity, showProgress }: StreamedReport,
): Promise<ExitCounts> {
  const counts = new ExitCounts();
  const progress = ProgressLine.for(session.io, showProgress);
  try {
    const linted = lintInputsStream(inputs, lintOptions, {
      onProgress: progress && ((state) => progress.update(state)),
    });
    for await (const each of linted) {
      const shown = keepAtLeast([each], minSeverity);
      nameHelmTemplates(shown, lintOptions.stdin);
      counts.add(shown[0]!);
      await sink.write(writer.add(shown[0]!));
    }
    await sink.write(writer.end());
    sink.close();
    return counts;
  } catch (error) {
    sink.abandon();
    throw error;
  } finally {
    progress?.finish();
  }
}
