import type { FileResult, Severity } from '../engine/types.js';
import type { ReportContext } from './index.js';
import type { Palette } from './colors.js';

function severityLabel(severity: Severity, palette: Palette): string {
  const label = severity.padEnd(7);
  return severity === 'error' ? palette.red(label) : severity === 'warning' ? palette.yellow(label) : palette.blue(label);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** ESLint-style text: a block per file with something to say, then one summary line. Empty when all is clean. */
export function formatStylish(results: readonly FileResult[], { palette }: Pick<ReportContext, 'palette'>): string {
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
  if (total === 0) return '';
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) counts.push(`${infos} info`);
  const summary = `✖ ${plural(total, 'problem')} (${counts.join(', ')})`;
  out.push(errors > 0 ? palette.bold(palette.red(summary)) : palette.bold(palette.yellow(summary)));
  if (fixable > 0) out.push(`  ${fixable} fixable with \`kubemend --fix\` (preview with \`--fix-dry-run\`)`);
  return `${out.join('\n')}\n`;
}
