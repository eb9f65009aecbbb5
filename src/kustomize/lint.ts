import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, type Document } from 'yaml';
import { KUSTOMIZATION_FILE_NAMES } from '../load/kustomization.js';
import { LintRun, type LintOptions } from '../engine/run.js';
import type { FileResult, Finding } from '../engine/types.js';
import { findEngine, render, type Render } from './engine.js';
import {
  ORIGIN_ANNOTATION,
  TRANSFORMATIONS_ANNOTATION,
  SourceFiles,
  locateSource,
  pathAt,
  type RenderedResource,
  type SourceSpot,
} from './source-map.js';

export { KustomizeError } from './engine.js';

export interface KustomizeOptions extends LintOptions {
  /** `--kustomize-command`: the engine to render with. */
  command?: string;
  /** Where file names in results are relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function annotation(doc: Document, key: string): string | undefined {
  const value = doc.getIn(['metadata', 'annotations', key]);
  return typeof value === 'string' ? value : undefined;
}

/** What the origin and transformer annotations say about a rendered document. */
function renderedResource(doc: Document, rendered: Render): RenderedResource {
  const origin = parse(annotation(doc, ORIGIN_ANNOTATION) ?? '{}') as { path?: string; repo?: string } | null;
  const transformations = parse(annotation(doc, TRANSFORMATIONS_ANNOTATION) ?? '[]') as
    { configuredIn?: string }[] | null;
  return {
    kind: String(doc.get('kind') ?? ''),
    root: doc.contents,
    // A resource from a remote base is in no file here.
    origin: origin?.path && !origin.repo ? path.resolve(rendered.base, origin.path) : undefined,
    transformedIn: (transformations ?? []).flatMap((entry) =>
      entry.configuredIn ? [path.resolve(rendered.base, entry.configuredIn)] : [],
    ),
  };
}

function offsetOf(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column - 1;
}

function kustomizationFileOf(dir: string): string {
  const found = KUSTOMIZATION_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  return found ?? path.join(dir, KUSTOMIZATION_FILE_NAMES[0]);
}

/**
 * Renders each kustomization with the real engine, lints the rendered resources and reports every finding in the
 * source file and line its value comes from (see source-map.ts); what cannot be placed is reported at the
 * kustomization file, `mapped: false`. Fixes are not offered: they would change the render, not the sources.
 * Throws a KustomizeError (one line) when no engine can render.
 */
export async function lintKustomizations(dirs: readonly string[], options: KustomizeOptions): Promise<FileResult[]> {
  const engine = await findEngine(options.command, options.env);
  const byFile = new Map<string, FileResult>();
  const resultFor = (file: string) => {
    const name = path.relative(options.cwd, file) || file;
    let result = byFile.get(name);
    if (!result) byFile.set(name, (result = { file: name, findings: [], errors: [], suppressed: [] }));
    return result;
  };
  const files = new SourceFiles();
  for (const dir of dirs) {
    const rendered = await render(engine, dir);
    const kustomization = kustomizationFileOf(path.resolve(options.cwd, dir));
    const run = new LintRun(options);
    const result = run.addText(kustomization, rendered.text);
    run.finish();
    for (const error of result.errors)
      resultFor(kustomization).errors.push({ ...error, message: `rendered output: ${error.message}` });
    const docs = parseAllDocuments(rendered.text) as Document[];
    const lineStarts = [0, ...[...rendered.text.matchAll(/\n/g)].map((match) => match.index + 1)];
    for (const finding of result.findings) {
      const doc = docs[finding.documentIndex];
      const renderedPath = doc ? pathAt(doc.contents, offsetOf(lineStarts, finding.line, finding.column)) : undefined;
      const spot: SourceSpot = (doc &&
        renderedPath &&
        locateSource(renderedResource(doc, rendered), renderedPath, files)) || {
        file: kustomization,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        mapped: false,
      };
      resultFor(spot.file).findings.push(placed(finding, spot));
    }
  }
  const results = [...byFile.values()];
  for (const result of results)
    result.findings.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  return results;
}

function placed(finding: Finding, spot: SourceSpot): Finding {
  const { line, column, endLine, endColumn, mapped } = spot;
  return { ...finding, line, column, endLine, endColumn, mapped, fixable: false, patches: [] };
}
