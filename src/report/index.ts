import type { FileResult } from '../engine/types.js';
import type { Formatter, ReportContext } from './context.js';

export type { BaselineSummary, Formatter, ReportContext } from './context.js';

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
