import type { FileResult, Severity, Suppression } from '../engine/types.js';
import type { ReportContext } from './index.js';
import type { Palette } from './colors.js';

function severityLabel(severity: Severity, palette: Palette): string {
  const label = severity.padEnd(7);
  return severity === 'error' ? palette.red(label) : severity === 'warning' ? palette.yellow(label) : palette.blue(label);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

const SUPPRESSED_BY: Record<Suppression['kind'], [string, string]> = {
  comment: ['a comment', 'comments'],
  annotation: ['an annotation', 'annotations'],
  config: ['the config', 'the config'],
  baseline: ['the baseline', 'the baseline'],
};

/** `7 suppressed (3 by comments, 4 by the baseline)`, or nothing when nothing was. */
function suppressedLine(results: readonly FileResult[]): string | undefined {
  const counts = new Map<Suppression['kind'], number>();
  for (const { suppressed } of results) for (const { suppression } of suppressed) counts.set(suppression.kind, (counts.get(suppression.kind) ?? 0) + 1);
  const all = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (all === 0) return undefined;
  const parts = (Object.keys(SUPPRESSED_BY) as Suppression['kind'][]).flatMap((kind) => {
    const count = counts.get(kind);
    return count ? [`${count} by ${SUPPRESSED_BY[kind][count === 1 ? 0 : 1]}`] : [];
  });
  return `${all} suppressed (${parts.join(', ')})`;
}

function baselineLine({ file, matched, stale }: NonNullable<ReportContext['baseline']>): string | undefined {
  if (stale === 0) return undefined;
  return `${file}: ${matched} matched, ${stale} no longer found (stale); drop them with \`kubemend --write-baseline\``;
}

/**
 * ESLint-style text: a block per file with something to say, then one summary line, and how many findings were
 * suppressed. Empty when all is clean and nothing was suppressed.
 */
export function formatStylish(results: readonly FileResult[], { palette, baseline }: Pick<ReportContext, 'palette' | 'baseline'>): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  for (const result of results) {
    if (result.findings.length === 0 && result.errors.length === 0) continue;
    const rows: string[][] = [];
    for (const error of result.errors) {
      errors++;
      rows.push([`${error.line}:${error.column}`, severityLabel('error', palette), error.message, palette.dim('file-error')]);
    }
    for (const finding of result.findings) {
      if (finding.severity === 'error') errors++;
      else if (finding.severity === 'warning') warnings++;
      else infos++;
      if (finding.fixable) fixable++;
      const where = `${finding.resource.kind}/${finding.resource.name ?? '(unnamed)'}`;
      rows.push([`${finding.line}:${finding.column}`, severityLabel(finding.severity, palette), `${where}: ${finding.message}`, palette.dim(`${finding.rule}/${finding.code}`)]);
    }
    const width = Math.max(...rows.map((row) => row[0]!.length));
    out.push(palette.underline(result.file));
    for (const [position, severity, message, code] of rows) out.push(`  ${palette.dim(position!.padEnd(width))}  ${severity}  ${message}  ${code}`);
    out.push('');
  }
  const total = errors + warnings + infos;
  // Suppressions are counted, never shown; a run whose findings are all suppressed says only that.
  const notes = [suppressedLine(results), baseline && baselineLine(baseline)].filter((note) => note !== undefined);
  if (total === 0) return notes.length === 0 ? '' : `${notes.map((note) => palette.dim(note)).join('\n')}\n`;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) counts.push(`${infos} info`);
  const summary = `✖ ${plural(total, 'problem')} (${counts.join(', ')})`;
  out.push(errors > 0 ? palette.bold(palette.red(summary)) : palette.bold(palette.yellow(summary)));
  if (fixable > 0) out.push(`  ${fixable} fixable with \`kubemend --fix\` (preview with \`--fix-dry-run\`)`);
  for (const note of notes) out.push(`  ${note}`);
  return `${out.join('\n')}\n`;
}
