import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import type { LintOptions } from '../engine/run.js';
import type { FileResult } from '../engine/types.js';
import { writeFileAtomic } from '../fix/index.js';
import { analyseChart, type ChartAnalysis } from '../helm/analyse.js';
import { fixChart } from '../helm/fix.js';
import { HelmError, chartResults, helmFor, lintCharts, type ChartInput } from '../helm/lint.js';
import { describeFsError } from '../load/fs-errors.js';
import { plural } from '../report/words.js';
import { onlyFilter } from './fix-action.js';
import type { CliSession } from './io.js';
import { EXIT_TROUBLE, usageError } from './shared.js';

/** The charts to render: `--helm` ones with `--values` and `--set`, then the config's (`helm:`) with their own values. */
export function helmCharts(
  options: { helm: string[]; values: string[]; set: string[] },
  config: Pick<ResolvedConfig, 'helm'>,
): ChartInput[] {
  if (options.helm.length === 0 && options.values.length + options.set.length > 0)
    throw usageError('--values and --set are for the charts --helm names: add --helm <chart>');
  return [
    ...options.helm.map((chart) => ({ chart, values: options.values, set: options.set })),
    ...config.helm.map((chart) => ({ chart, values: [], set: [] })),
  ];
}

/** Runs a helm step; a HelmError is said in one line and makes the exit status 2 (undefined is returned). */
export async function sayingHelmErrors<T>(session: CliSession, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof HelmError)) throw error;
    session.say(error.message);
    session.exitCode = EXIT_TROUBLE;
    return undefined;
  }
}

/** Findings of `--helm` renders, in their templates; undefined (exit 2, said why) when a chart cannot render. */
export function helmResults(
  session: CliSession,
  charts: ChartInput[],
  command: string | undefined,
  lintOptions: LintOptions,
): Promise<FileResult[] | undefined> {
  return sayingHelmErrors(session, () =>
    lintCharts(charts, { ...lintOptions, command, cwd: session.io.cwd, env: session.io.env }),
  );
}

export interface HelmFixOutcome {
  results: FileResult[];
  usedStdout: boolean;
}

/**
 * `--fix --helm` (or `--diff`): the values edits of every chart, verified by a render, written atomically (or shown as
 * a diff); then what the charts render is reported, nothing of it fixable any more. Undefined when helm fails.
 */
export function fixHelmResults(
  session: CliSession,
  charts: ChartInput[],
  command: string | undefined,
  lintOptions: LintOptions,
  mode: { write: boolean; only: readonly string[] },
): Promise<HelmFixOutcome | undefined> {
  const options = { ...lintOptions, command, cwd: session.io.cwd, env: session.io.env };
  const only = onlyFilter(mode.only, lintOptions.knownRules ?? lintOptions.rules);
  return sayingHelmErrors(session, async () => {
    const engine = await helmFor(options);
    const analyses: ChartAnalysis[] = [];
    const written = { problems: 0, files: 0 };
    let usedStdout = false;
    for (const chart of charts) {
      const before = await analyseChart(engine, chart, options);
      const fix = await fixChart(engine, chart, before, { ...options, ...(only ? { only } : {}) });
      for (const problem of fix.problems) session.say(problem);
      for (const change of fix.changes) {
        const shown = path.relative(session.io.cwd, change.file) || change.file;
        if (!mode.write) {
          const { createTwoFilesPatch } = await import('diff');
          session.io.stdout.write(createTwoFilesPatch(shown, shown, change.before, change.after));
          usedStdout = true;
          continue;
        }
        try {
          await writeFileAtomic(change.file, change.after);
          written.problems += change.fixed;
          written.files++;
        } catch (error) {
          session.say(`${shown}: cannot write the fixed values: ${describeFsError(error)}; the file is unchanged`);
          session.exitCode = EXIT_TROUBLE;
        }
      }
      analyses.push(mode.write && fix.changes.length > 0 ? await analyseChart(engine, chart, options) : before);
    }
    if (written.problems > 0)
      session.say(`fixed ${plural(written.problems, 'problem')} in ${plural(written.files, 'values file')}`);
    const results = chartResults(analyses, options.cwd).map((result) => ({
      ...result,
      findings: result.findings.map((finding) => ({ ...finding, fixable: false })),
    }));
    return { results, usedStdout };
  });
}
