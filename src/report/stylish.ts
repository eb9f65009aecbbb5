import type { FileResult, Finding, Severity, Suppression } from '../engine/types.js';
import type { ReportContext } from './context.js';
import type { Palette } from './colors.js';
import { plural } from './words.js';
import { FILE_ERROR, ProblemTally, type CodeCount, type ProblemCounts } from './problem-counts.js';
import { asLines, writeAll, type ReportWriter } from './writer.js';

function paint(severity: Severity, palette: Palette): (text: string) => string {
  return severity === 'error' ? palette.red : severity === 'warning' ? palette.yellow : palette.blue;
}

function severityLabel(severity: Severity, palette: Palette): string {
  return paint(severity, palette)(severity.padEnd(7));
}

function resourceName(finding: Finding): string {
  return `${finding.resource.kind}/${finding.resource.name ?? '(unnamed)'}`;
}

/** `Deployment/web: container "app" runs privileged`: the short message, after the resource it is about. */
export function findingLine(finding: Finding): string {
  return `${resourceName(finding)}: ${finding.message}`;
}

/** A finding of a Helm chart whose value comes from the values: the key to change there. */
function valuesHint(finding: Finding): string {
  return finding.values ? `: set \`${finding.values.key}\` in ${finding.values.file}:${finding.values.line}` : '';
}

/**
 * A block per file with something to say: its file errors, then its findings under the resource they are about, as
 * `line:col  severity  message  code`. Naming each resource once keeps lines short when names are long.
 */
function fileBlock(result: FileResult, palette: Palette): string[] {
  const positions = [...result.errors, ...result.findings].map(({ line, column }) => `${line}:${column}`);
  // Not Math.max(...list): a file of 100,000s of findings would overflow the call stack.
  const width = positions.reduce((widest, position) => Math.max(widest, position.length), 0);
  const row = (
    indent: string,
    at: { line: number; column: number },
    severity: Severity,
    message: string,
    code: string,
  ) =>
    `${indent}${palette.dim(`${at.line}:${at.column}`.padEnd(width))}  ${severityLabel(severity, palette)}  ${message}  ${palette.dim(code)}`;
  const lines = [palette.underline(result.file)];
  for (const error of result.errors) lines.push(row('  ', error, 'error', error.message, FILE_ERROR));
  let resource: string | undefined;
  for (const finding of result.findings) {
    const name = resourceName(finding);
    const key = `${finding.documentIndex} ${name} ${finding.resource.namespace ?? ''}`;
    // Rendered Helm output read from stdin: the template the resource was rendered from.
    const template = finding.template !== undefined ? ` ${palette.dim(`(template ${finding.template})`)}` : '';
    if (key !== resource) lines.push(`  ${palette.bold(name)}${template}`);
    resource = key;
    lines.push(row('    ', finding, finding.severity, `${finding.message}${valuesHint(finding)}`, finding.code));
  }
  return [...lines, ''];
}

/** Problems per code, most frequent first, when there is more than one code (one would repeat the summary line). */
function byCodeTable(rows: readonly CodeCount[], palette: Palette): string[] {
  if (rows.length < 2) return [];
  const countWidth = String(rows[0]!.count).length;
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  const lines = rows.map((row) => {
    const fixable = row.fixable > 0 ? `  ${row.fixable === row.count ? 'all' : row.fixable} fixable` : '';
    return `  ${String(row.count).padStart(countWidth)}  ${severityLabel(row.severity, palette)}  ${row.name.padEnd(nameWidth)}${fixable}`.trimEnd();
  });
  return ['', palette.bold('Problems by rule:'), ...lines];
}

const SUPPRESSED_BY: Record<Suppression['kind'], [string, string]> = {
  comment: ['a comment', 'comments'],
  annotation: ['an annotation', 'annotations'],
  config: ['the config', 'the config'],
  baseline: ['the baseline', 'the baseline'],
};

/** `7 suppressed (3 by comments, 4 by the baseline)`, or nothing when nothing was. */
function suppressedLine(counts: ReadonlyMap<Suppression['kind'], number>): string | undefined {
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

function summaryLines(counts: ProblemCounts, notes: readonly string[], palette: Palette): string[] {
  const total = counts.errors + counts.warnings + counts.infos;
  const parts = [
    plural(counts.errors, 'error'),
    plural(counts.warnings, 'warning'),
    ...(counts.infos > 0 ? [`${counts.infos} info`] : []),
  ];
  const summary = `✖ ${plural(total, 'problem')} (${parts.join(', ')})`;
  const lines = [counts.errors > 0 ? palette.bold(palette.red(summary)) : palette.bold(palette.yellow(summary))];
  if (counts.fixable > 0)
    lines.push(`  ${counts.fixable} fixable: run again with \`--fix\` (preview with \`--fix-dry-run\`)`);
  for (const note of notes) lines.push(`  ${note}`);
  lines.push(...byCodeTable(counts.byCode, palette));
  const example = counts.byCode.find((row) => row.name !== FILE_ERROR);
  if (example)
    lines.push('', palette.dim(`Why and how to fix: kubemend explain <code>, e.g. kubemend explain ${example.code}`));
  return lines;
}

/**
 * ESLint-style text: a block per file with something to say, a summary line, how many findings were suppressed, the
 * problems per code and how to read more about them. Empty when all is clean and nothing was suppressed.
 */
export function formatStylish(
  results: readonly FileResult[],
  context: Pick<ReportContext, 'palette' | 'baseline'>,
): string {
  return writeAll(stylishWriter(context), results);
}

export function stylishWriter({ palette, baseline }: Pick<ReportContext, 'palette' | 'baseline'>): ReportWriter {
  const tally = new ProblemTally();
  const suppressed = new Map<Suppression['kind'], number>();
  return {
    add(result) {
      tally.add(result);
      for (const { suppression } of result.suppressed)
        suppressed.set(suppression.kind, (suppressed.get(suppression.kind) ?? 0) + 1);
      return result.findings.length > 0 || result.errors.length > 0 ? asLines(fileBlock(result, palette)) : '';
    },
    end() {
      const counts = tally.counts();
      // Suppressions are counted, never shown; a run whose findings are all suppressed says only that.
      const notes = [suppressedLine(suppressed), baseline && baselineLine(baseline)].filter(
        (note) => note !== undefined,
      );
      if (counts.byCode.length === 0)
        return notes.length === 0 ? '' : `${notes.map((note) => palette.dim(note)).join('\n')}\n`;
      return asLines(summaryLines(counts, notes, palette));
    },
  };
}
