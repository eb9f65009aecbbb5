import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import type { NodePath } from '../load/nodes.js';
import { LintRun, type LintOptions } from '../engine/run.js';
import { withTemporaryFolder } from '../fix/index.js';
import type { FileError, Finding, Patch } from '../engine/types.js';
import { pathAt } from '../kustomize/source-map.js';
import { HelmError, renderChart, type ChartInput, type HelmEngine } from './engine.js';
import { documentSources, templateFile, type DocumentSource } from './sources.js';
import { locateInTemplate, readTemplate, templateDocument, type TemplateSpot } from './template-map.js';
import {
  definedIn,
  landing,
  mergedValues,
  planMarkers,
  readValuesFiles,
  setOnCommandLine,
  type Landing,
  type MarkerPlan,
  type ValuesFile,
  type ValuesQuestion,
} from './values.js';

/*
 * One chart, rendered and linted: every finding placed at its template file and line, and, when its value comes
 * from the values, at the values key too (found with one extra render, see values.ts).
 */

export interface HelmRunOptions extends LintOptions {
  cwd: string;
}

/** Where a finding's value is set in the values: the file and key, and the rendered path it lands at. */
export interface ValuesOrigin extends Landing {
  file: ValuesFile;
  line: number;
  /** The values path of the finding's field: the leaf, or the missing field inside the values mapping. */
  field: NodePath;
}

export interface ChartFinding {
  /** The finding as the render gave it: its patches are for the rendered document. */
  rendered: Finding;
  /** Absolute path of the file it is reported in: the template, or Chart.yaml when no template is known. */
  file: string;
  spot: TemplateSpot | undefined;
  mapped: 'line' | 'file' | false;
  origin: ValuesOrigin | undefined;
}

export interface ChartAnalysis {
  chartDir: string;
  findings: ChartFinding[];
  /** Problems of the rendered output (a document that does not parse), reported at Chart.yaml. */
  errors: FileError[];
}

function offsetOf(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column - 1;
}

/**
 * The rendered path of a finding's field (`spec.template.spec.containers[].resources.limits`), its container's index
 * taken from the span's path, which names the container when the field is missing.
 */
function fieldPath(field: string | undefined, spanPath: NodePath | undefined): NodePath | undefined {
  if (field === undefined) return undefined;
  const out: (string | number)[] = [];
  for (const segment of field.split('.')) {
    if (!segment.endsWith('[]')) {
      out.push(segment);
      continue;
    }
    out.push(segment.slice(0, -2));
    const index = spanPath?.[out.length];
    if (spanPath?.[out.length - 1] !== out.at(-1) || typeof index !== 'number') return undefined;
    out.push(index);
  }
  return out;
}

/** The rendered path a finding is about: where its fix goes (its first patch), else the node its span starts at. */
function questionPath(finding: Finding, doc: Document, spanPath: NodePath | undefined): ValuesQuestion | undefined {
  const patch = finding.patches.find(
    (p) => p.patch.op !== 'appendDocument' && p.target.documentIndex === finding.documentIndex,
  )?.patch as Exclude<Patch, { op: 'appendDocument' }> | undefined;
  let renderedPath = patch?.path ?? fieldPath(finding.field, spanPath) ?? spanPath;
  if (!renderedPath) return undefined;
  const data = doc.toJS() as unknown;
  const at = (p: NodePath) =>
    p.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)?.[segment], data);
  // Removing an entry from a list is about that entry.
  if (patch?.op === 'removeFromList') {
    const list = at(renderedPath);
    const index = Array.isArray(list) ? list.findIndex((item) => item === patch.value) : -1;
    if (index >= 0) renderedPath = [...renderedPath, index];
  }
  const value = at(renderedPath);
  return value !== null && typeof value !== 'object' && value !== undefined
    ? { renderedPath, value }
    : { renderedPath };
}

function documentKey(source: DocumentSource | undefined): string {
  return `${source?.source ?? ''}#${source?.ordinal ?? 0}`;
}

/** Renders with the markers of `plan` and gives each rendered document's data by its source and ordinal. */
async function markedDocuments(
  engine: HelmEngine,
  input: ChartInput,
  cwd: string,
  plan: MarkerPlan,
): Promise<Map<string, unknown>> {
  const text = await withTemporaryFolder('kubemend-helm-', async (folder) => {
    const overlay = path.join(folder, 'markers.yaml');
    await writeFile(overlay, JSON.stringify(plan.overlay));
    return renderChart(engine, input, { cwd, extraValues: overlay });
  });
  const docs = parseAllDocuments(text) as Document[];
  const sources = documentSources(text, docs);
  return new Map(docs.map((doc, index) => [documentKey(sources[index]), doc.toJS() as unknown]));
}

/** The values origins of the questions: one extra render with every marker, else one with the leaves' only. */
async function valuesOrigins(
  engine: HelmEngine,
  input: ChartInput,
  cwd: string,
  values: ValuesFile[],
  questions: { question: ValuesQuestion; key: string }[],
): Promise<(ValuesOrigin | undefined)[]> {
  const merged = mergedValues(values);
  for (const mappings of [true, false]) {
    const plan = planMarkers(
      merged,
      questions.map((q) => q.question),
      mappings,
    );
    if (plan.candidates.length === 0) break;
    let marked: Map<string, unknown>;
    try {
      marked = await markedDocuments(engine, input, cwd, plan);
    } catch (error) {
      // A marker the chart cannot take (a number it computes with, a schema): try fewer markers, then none.
      if (error instanceof HelmError) continue;
      throw error;
    }
    return questions.map(({ question, key }) => {
      const landed = marked.has(key) ? landing(marked.get(key), question, plan) : undefined;
      if (!landed || setOnCommandLine(input.set, landed.candidate.valuesPath)) return undefined;
      const defined = definedIn(values, landed.candidate.valuesPath);
      const field = [...landed.candidate.valuesPath, ...question.renderedPath.slice(landed.renderedAt.length)];
      return defined ? { ...landed, ...defined, field } : undefined;
    });
  }
  return questions.map(() => undefined);
}

/** Reads a template once per analysis. */
function templateReader(): (file: string) => { text: string; docs: ReturnType<typeof readTemplate> } | undefined {
  const cache = new Map<string, { text: string; docs: ReturnType<typeof readTemplate> } | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const text = readFileSync(file, 'utf8');
        cache.set(file, { text, docs: readTemplate(text) });
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

/** Renders and lints one chart; throws a HelmError (one line) when helm cannot render it. */
export async function analyseChart(
  engine: HelmEngine,
  input: ChartInput,
  options: HelmRunOptions,
  renderAs: { chartDir?: string; origins?: boolean } = {},
): Promise<ChartAnalysis> {
  const chartDir = path.resolve(options.cwd, input.chart);
  const text = await renderChart(engine, input, { cwd: options.cwd, chartDir: renderAs.chartDir });
  const chartFile = path.join(chartDir, 'Chart.yaml');
  const run = new LintRun(options);
  const result = run.addText(chartFile, text);
  run.finish();
  const docs = parseAllDocuments(text) as Document[];
  const sources = documentSources(text, docs);
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((match) => match.index + 1)];
  const template = templateReader();
  const findings: ChartFinding[] = [];
  const questions: { question: ValuesQuestion; key: string; index: number }[] = [];
  for (const finding of result.findings) {
    const doc = docs[finding.documentIndex];
    const source = sources[finding.documentIndex];
    const spanPath = doc ? pathAt(doc.contents, offsetOf(lineStarts, finding.line, finding.column)) : undefined;
    const file = source?.source ? templateFile(chartDir, source.source) : undefined;
    const read = file ? template(file) : undefined;
    const templateDoc =
      read && source
        ? templateDocument(read.docs, source.ordinal, source.count, finding.resource.kind, read.text)
        : undefined;
    const spot = templateDoc && spanPath ? locateInTemplate(templateDoc, spanPath) : undefined;
    findings.push({
      rendered: finding,
      file: read && file ? file : chartFile,
      spot,
      mapped: read ? (spot?.certain ? 'line' : 'file') : false,
      origin: undefined,
    });
    const question = doc ? questionPath(finding, doc, spanPath) : undefined;
    if (question) questions.push({ question, key: documentKey(source), index: findings.length - 1 });
  }
  if (questions.length > 0 && renderAs.origins !== false) {
    const values = readValuesFiles(
      chartDir,
      input.values.map((file) => path.resolve(options.cwd, file)),
    );
    const origins = await valuesOrigins(engine, input, options.cwd, values, questions);
    questions.forEach(({ index }, n) => (findings[index]!.origin = origins[n]));
  }
  return { chartDir, findings, errors: result.errors };
}
