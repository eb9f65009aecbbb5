import type { FileResult } from '../engine/types.js';
import type { Rule } from '../engine/types.js';
import type { SourceOf } from '../fix/index.js';
import type { Palette } from './colors.js';

/** What the baseline did in this run (--baseline, --write-baseline): counts of findings. */
export interface BaselineSummary {
  /** The baseline file, as the user knows it. */
  file: string;
  matched: number;
  new: number;
  /** Findings the baseline lists that no longer occur (in the files linted, or in files that are gone). */
  stale: number;
}

/** What a formatter may need besides the results; each format reads only its own fields. */
export interface ReportContext {
  rules: readonly Rule[];
  palette: Palette;
  /** Present when a baseline was used or written. */
  baseline?: BaselineSummary;
  /** SARIF: write overridden and suppressed findings with `suppressions` instead of leaving them out. */
  sarifIncludeSuppressed?: boolean;
  /** SARIF: `automationDetails.id` is `<category>/`. */
  sarifCategory?: string;
  /**
   * The text of each linted file as the linter read it (SARIF: line hashes and fixes); formatters read nothing
   * from disk. Undefined for standard input.
   */
  sources?: SourceOf;
  /** Where a formatter's warnings go (e.g. SARIF over GitHub's limits); reporters never print. */
  warn?: (message: string) => void;
}

export type Formatter = (results: readonly FileResult[], context: ReportContext) => string | Promise<string>;

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
  return (await load())(results, context);
}
