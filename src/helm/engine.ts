import path from 'node:path';
import { failureReason, run } from '../kustomize/engine.js';

/*
 * kubemend renders a chart with the real `helm template`, never an imitation of it. The chart is only read: helm
 * writes nothing into it, and the values kubemend adds for a render are in a temporary file.
 */

export class HelmError extends Error {}

export interface HelmEngine {
  command: string;
  env: NodeJS.ProcessEnv;
}

/** What to render: a chart folder and the values the user gives it. */
export interface ChartInput {
  chart: string;
  /** `--values` files, in order (later ones win). */
  values: string[];
  /** `--set key=value` entries, which win over every file. */
  set: string[];
}

const INSTALL = 'install helm 3 (https://helm.sh/docs/intro/install/)';

/**
 * `--helm-command` when given, else `helm` on PATH; a HelmError of one line when it cannot run or is helm 2 (whose
 * `template` needs Tiller-era flags and renders no `# Source:` the same way).
 */
export async function findHelm(chosen: string | undefined, env: NodeJS.ProcessEnv): Promise<HelmEngine> {
  const command = chosen ?? 'helm';
  let version: string;
  try {
    version = (await run(command, ['version', '--short'], env)).stdout;
  } catch {
    throw new HelmError(
      chosen !== undefined
        ? `--helm-command ${chosen}: cannot run it; ${INSTALL}`
        : `--helm needs helm on PATH: ${INSTALL}`,
    );
  }
  const major = /v(\d+)\./.exec(version)?.[1];
  if (major !== undefined && Number(major) < 3)
    throw new HelmError(`${command} is helm ${version.trim()}, too old for --helm: ${INSTALL}`);
  return { command, env };
}

/**
 * A helm message naming a template, located in the chart folder: `parse error at (chart/templates/x.yaml:12)` and
 * `execution error at (chart/templates/x.yaml:12:3)` by line (and column); `YAML parse error on chart/templates/x.yaml`
 * by file only, as its line is one of the rendered output.
 */
function located(message: string, input: ChartInput, cwd: string): string {
  const at = /\(([^():\s]+\/templates\/[^():\s]+):(\d+)(?::(\d+))?\)/.exec(message);
  const on = at ? undefined : /\bon ([^():\s]+\/templates\/[^():\s]+?):? /.exec(message);
  const source = at?.[1] ?? on?.[1];
  if (source === undefined) return message;
  const file = path.relative(cwd, path.resolve(cwd, input.chart, ...source.split('/').slice(1))) || source;
  const position = at ? `:${at[2]}${at[3] !== undefined ? `:${at[3]}` : ''}` : '';
  return `${file}${position}: ${message}`;
}

/**
 * Renders a chart: `helm template <chart> -f … --set …`, with `extraValues` (kubemend's own, a temporary file)
 * after the user's files. Throws a HelmError of one line, helm's own message located, when helm fails.
 */
export async function renderChart(
  engine: HelmEngine,
  input: ChartInput,
  options: { cwd: string; extraValues?: string; chartDir?: string },
): Promise<string> {
  const valueArgs = [...input.values, ...(options.extraValues ? [options.extraValues] : [])].flatMap((file) => [
    '--values',
    path.resolve(options.cwd, file),
  ]);
  const args = [
    'template',
    path.resolve(options.cwd, options.chartDir ?? input.chart),
    ...valueArgs,
    ...input.set.flatMap((entry) => ['--set', entry]),
  ];
  try {
    return (await run(engine.command, args, engine.env)).stdout;
  } catch (error) {
    const message = `helm template ${input.chart} failed: ${failureReason(error)}`;
    throw new HelmError(located(message, input, options.cwd));
  }
}
