import type { FileResult } from '../engine/types.js';
import type { Formatter, ReportContext } from './context.js';
import type { ReportWriter } from './writer.js';

export type { BaselineSummary, Formatter, ReportContext } from './context.js';
export type { ReportWriter } from './writer.js';

/**
 * Every output format, each loaded only when chosen: a stylish lint in a pre-commit hook should not pay
 * for SARIF or JSON code.
 */
export const FORMATS: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).formatStylish,
  compact: async () => (await import('./compact.js')).formatCompact,
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  github: async () => (await import('./github.js')).formatGithub,
  'kubeaudit-pretty': async () => (await import('./kubeaudit.js')).formatKubeauditPretty,
  'kubeaudit-json': async () => (await import('./kubeaudit.js')).formatKubeauditJson,
  'kubeaudit-logrus': async () => (await import('./kubeaudit.js')).formatKubeauditLogrus,
};

/**
 * The formats that can be written file by file as results come (see ReportWriter). SARIF holds its results for its
 * one run object (its rules and artifacts are known at the end); kubeaudit's formats put every file error first.
 */
const WRITERS: Record<string, () => Promise<(context: ReportContext) => ReportWriter>> = {
  stylish: async () => (await import('./stylish.js')).stylishWriter,
  compact: async () => (await import('./compact.js')).compactWriter,
  json: async () => (await import('./json.js')).jsonWriter,
  github: async () => (await import('./github.js')).githubWriter,
};

/** A writer of the format, or undefined when it needs every result at once. */
export async function reportWriter(format: string, context: ReportContext): Promise<ReportWriter | undefined> {
  return (await WRITERS[format]?.())?.(context);
}

export async function formatResults(
  format: string,
  results: readonly FileResult[],
  context: ReportContext,
): Promise<string> {
  const load = FORMATS[format];
  if (!load) throw new Error(`unknown format "${format}"; known formats: ${Object.keys(FORMATS).join(', ')}`);
  // The formatters read nothing from the machine: what SARIF needs of it is read here, when a caller has not.
  const sarif =
    format === 'sarif' && !context.sarif
      ? (await import('./environment.js')).readSarifEnvironment(process.cwd())
      : context.sarif;
  return (await load())(results, sarif ? { ...context, sarif } : context);
}
