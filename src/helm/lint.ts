import path from 'node:path';
import type { FileResult, Finding } from '../engine/types.js';
import { analyseChart, type ChartAnalysis, type ChartFinding, type HelmRunOptions } from './analyse.js';
import { findHelm, type ChartInput, type HelmEngine } from './engine.js';
import { valuesKey } from './values.js';
import { findingValuesPatches } from './values-patches.js';
import { compareText } from '../engine/compare-text.js';

export { HelmError, type ChartInput } from './engine.js';

export interface HelmOptions extends HelmRunOptions {
  /** `--helm-command`: the helm to render with. */
  command?: string;
  env: NodeJS.ProcessEnv;
}

/** Results by the file they are reported in, named relative to the working directory. */
class ResultsByFile {
  private readonly byFile = new Map<string, FileResult>();

  constructor(private readonly cwd: string) {}

  for(file: string): FileResult {
    const name = path.relative(this.cwd, file) || file;
    let result = this.byFile.get(name);
    if (!result) this.byFile.set(name, (result = { file: name, findings: [], errors: [], suppressed: [] }));
    return result;
  }

  sorted(): FileResult[] {
    const results = [...this.byFile.values()];
    for (const result of results)
      result.findings.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.code, b.code));
    return results;
  }
}

/** A chart finding as reported: at its template line, with its values key; fixable when its values can fix it. */
export function placedFinding(found: ChartFinding, cwd: string): Finding {
  const { rendered, origin, spot } = found;
  const { line, column, endLine, endColumn } = spot ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const inValues = findingValuesPatches(rendered, origin);
  const why = 'reason' in inValues && rendered.fixable ? `\n\nNot fixable with --fix --helm: ${inValues.reason}.` : '';
  return {
    ...rendered,
    line,
    column,
    endLine,
    endColumn,
    mapped: found.mapped,
    ...(origin
      ? {
          values: {
            file: path.relative(cwd, origin.file.file) || origin.file.file,
            key: valuesKey(origin.field),
            line: origin.line,
          },
        }
      : {}),
    details: `${rendered.details}${why}`,
    fixable: 'patches' in inValues,
    patches: [],
  };
}

/** The findings of analysed charts, in their template files (Chart.yaml for what no template is known for). */
export function chartResults(analyses: readonly ChartAnalysis[], cwd: string): FileResult[] {
  const results = new ResultsByFile(cwd);
  for (const analysis of analyses) {
    const chartFile = path.join(analysis.chartDir, 'Chart.yaml');
    for (const error of analysis.errors)
      results.for(chartFile).errors.push({ ...error, message: `rendered output: ${error.message}` });
    for (const found of analysis.findings) results.for(found.file).findings.push(placedFinding(found, cwd));
  }
  return results.sorted();
}

/** Finds helm (a HelmError of one line when it cannot run). */
export function helmFor(options: HelmOptions): Promise<HelmEngine> {
  return findHelm(options.command, options.env);
}

/**
 * Renders each chart with the real `helm template`, lints the output and reports every finding at its template file
 * and line, with the values key its value comes from. Throws a HelmError (one line) when a chart cannot render.
 */
export async function lintCharts(inputs: readonly ChartInput[], options: HelmOptions): Promise<FileResult[]> {
  const engine = await helmFor(options);
  const analyses: ChartAnalysis[] = [];
  for (const input of inputs) analyses.push(await analyseChart(engine, input, options));
  return chartResults(analyses, options.cwd);
}
