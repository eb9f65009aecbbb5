import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '../engine/types.js';
import { fixFileText, withTemporaryFolder, type DocumentPatch } from '../fix/index.js';
import { analyseChart, type ChartAnalysis, type ChartFinding, type HelmRunOptions } from './analyse.js';
import { HelmError, type ChartInput, type HelmEngine } from './engine.js';
import type { ValuesFile } from './values.js';
import { findingValuesPatches } from './values-patches.js';

/*
 * `--fix --helm` changes values files only, never templates: a finding is fixed there when its value (or the
 * mapping that lacks its field) comes from the values. The edits are the fix engine's (minimal, comments kept); the
 * chart is then rendered again with the edited values, from a temporary copy, and the edits are kept only when every
 * finding they were for is gone from that render.
 */

/** A values file as the fix would leave it. */
export interface ValuesChange {
  file: string;
  before: string;
  after: string;
  /** How many findings the change fixes. */
  fixed: number;
}

export interface ChartFix {
  changes: ValuesChange[];
  /** Why fixes were not made, one line each. */
  problems: string[];
}

/** The same finding in two renders: its code, resource and container (lines move when values change). */
function identity(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  return [finding.code, kind, namespace ?? '', name ?? '', finding.container ?? ''].join('\0');
}

/** The chart rendered with edited values, from temporary copies (the chart folder when its values.yaml changed). */
async function renderEdited(
  engine: HelmEngine,
  input: ChartInput,
  analysis: ChartAnalysis,
  edited: Map<ValuesFile, string>,
  options: HelmRunOptions,
): Promise<ChartAnalysis> {
  return withTemporaryFolder('kubemend-helm-fix-', async (folder) => {
    let chartDir: string | undefined;
    const values = input.values.map((file) => path.resolve(options.cwd, file));
    for (const [index, [file, text]] of [...edited].entries()) {
      const userIndex = values.indexOf(file.file);
      if (userIndex >= 0) {
        values[userIndex] = path.join(folder, `values-${index}.yaml`);
        await writeFile(values[userIndex]!, text);
      } else {
        chartDir = path.join(folder, 'chart');
        await cp(analysis.chartDir, chartDir, { recursive: true });
        await writeFile(path.join(chartDir, 'values.yaml'), text);
      }
    }
    return analyseChart(engine, { ...input, values }, options, { chartDir, origins: false });
  });
}

/**
 * The values edits that fix a chart's values-driven findings (those `only` accepts), verified by a render of the
 * edited values; nothing is changed when the render still has a finding they were for.
 */
export async function fixChart(
  engine: HelmEngine,
  input: ChartInput,
  analysis: ChartAnalysis,
  options: HelmRunOptions & { only?: (finding: Finding) => boolean },
): Promise<ChartFix> {
  const perFile = new Map<ValuesFile, { patches: DocumentPatch[]; findings: ChartFinding[] }>();
  for (const [index, found] of analysis.findings.entries()) {
    if (options.only && !options.only(found.rendered)) continue;
    const moved = findingValuesPatches(found.rendered, found.origin);
    if (!('patches' in moved) || !found.origin) continue;
    const entry = perFile.get(found.origin.file) ?? { patches: [], findings: [] };
    perFile.set(found.origin.file, entry);
    entry.findings.push(found);
    for (const patch of moved.patches) entry.patches.push({ patch, documentIndex: 0, sources: [String(index)] });
  }
  const problems: string[] = [];
  const edited = new Map<ValuesFile, string>();
  const fixedIn = new Map<ValuesFile, ChartFinding[]>();
  for (const [file, { patches, findings }] of perFile) {
    const shown = path.relative(options.cwd, file.file) || file.file;
    let fix;
    try {
      fix = fixFileText(file.text, patches);
    } catch (error) {
      problems.push(`${shown}: not fixed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const rejected = new Set(fix.rejected.flatMap((rejection) => rejection.sources));
    for (const rejection of fix.rejected) problems.push(`${shown}: not fixed: ${rejection.reason}`);
    if (fix.text === file.text) continue;
    edited.set(file, fix.text);
    fixedIn.set(
      file,
      findings.filter((found) => !rejected.has(String(analysis.findings.indexOf(found)))),
    );
  }
  if (edited.size === 0) return { changes: [], problems };
  let after: ChartAnalysis;
  try {
    after = await renderEdited(engine, input, analysis, edited, options);
  } catch (error) {
    if (!(error instanceof HelmError)) throw error;
    problems.push(
      `${input.chart}: values not changed: the chart does not render with the edited values (${error.message})`,
    );
    return { changes: [], problems };
  }
  const remaining = new Set(after.findings.map((found) => identity(found.rendered)));
  const stillThere = [...fixedIn.values()].flat().filter((found) => remaining.has(identity(found.rendered)));
  if (stillThere.length > 0) {
    const codes = [...new Set(stillThere.map((found) => found.rendered.code))].join(', ');
    problems.push(
      `${input.chart}: values not changed: with the edited values the chart still renders ${codes}, so the edits were dropped`,
    );
    return { changes: [], problems };
  }
  return {
    changes: [...edited].map(([file, text]) => ({
      file: file.file,
      before: file.text,
      after: text,
      fixed: fixedIn.get(file)?.length ?? 0,
    })),
    problems,
  };
}
