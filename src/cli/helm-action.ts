import type { ResolvedConfig } from '../engine/config.js';
import type { LintOptions } from '../engine/run.js';
import type { FileResult } from '../engine/types.js';
import { HelmError, lintCharts, type ChartInput } from '../helm/lint.js';
import type { CliSession } from './io.js';
import { EXIT_TROUBLE } from './shared.js';

/** The charts to render: `--helm` ones with `--values` and `--set`, then the config's (`helm:`) with their own values. */
export function helmCharts(
  options: { helm: string[]; values: string[]; set: string[] },
  config: Pick<ResolvedConfig, 'helm'>,
): ChartInput[] {
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
