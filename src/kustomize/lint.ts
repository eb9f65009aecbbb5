import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, type Document } from 'yaml';
import { KUSTOMIZATION_FILE_NAMES } from '../load/kustomization.js';
import { LintRun, type LintOptions } from '../engine/run.js';
import type { FileError, FileResult, Finding } from '../engine/types.js';
import { findEngine, render, type KustomizeEngine, type Render } from './engine.js';
import { placePatch, type SourcePatch } from './fix-placement.js';
import {
  ORIGIN_ANNOTATION,
  TRANSFORMATIONS_ANNOTATION,
  SourceFiles,
  locateSource,
  pathAt,
  type RenderedResource,
  type SourceSpot,
} from './source-map.js';
import { compareText } from '../engine/compare-text.js';

export { KustomizeError } from './engine.js';

export interface KustomizeOptions extends LintOptions {
  /** `--kustomize-command`: the engine to render with. */
  command?: string;
  /** The engine, when already found. */
  engine?: KustomizeEngine;
  /** The source files, read once for the whole run. */
  files?: SourceFiles;
  /** How results name a file (default: relative to cwd). */
  nameOf?: (file: string) => string;
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

/** A finding of a rendered kustomization, placed in its source file, with its fix placed there too when it can be. */
export interface PlacedFinding {
  /** The file the finding is shown in, as results name it (relative to the working directory). */
  file: string;
  finding: Finding;
  /** The fix in the source files; undefined when the finding has none or it could not be placed. */
  fix: SourcePatch[] | undefined;
  /** Identifies the finding in a render (positions aside), with its kustomization: what verification counts. */
  key: string;
}

/** The placed findings of a run, and the errors of the rendered output (at the kustomization file). */
export interface Placed {
  findings: PlacedFinding[];
  errors: { file: string; error: FileError }[];
}

/** Identifies a rendered finding across renders: its rule and code, resource, container and field. */
function renderedKey(finding: Finding): string {
  const { resource } = finding;
  return (
    `${finding.rule}/${finding.code} ${resource.kind}/${resource.namespace ?? ''}/${resource.name ?? ''} ` +
    `${finding.container ?? ''} ${finding.field ?? ''}`
  );
}

/** Renders one kustomization and lints the result: the rendered findings, errors, and what each document is. */
export async function lintRender(engine: KustomizeEngine, dir: string, options: KustomizeOptions) {
  const rendered = await render(engine, dir);
  const run = new LintRun(options);
  const result = run.addText(kustomizationFileOf(path.resolve(options.cwd, dir)), rendered.text);
  run.finish();
  const docs = parseAllDocuments(rendered.text) as Document[];
  return {
    result,
    docs,
    rendered,
    keys: result.findings.map(renderedKey),
    resourceAt: (documentIndex: number) => {
      const doc = docs[documentIndex];
      return doc ? renderedResource(doc, rendered) : undefined;
    },
  };
}

/**
 * Renders each kustomization with the real engine, lints the rendered resources and places every finding in the
 * source file and line its value comes from (see source-map.ts), and its fix in the source files (fix-placement.ts);
 * what cannot be placed is reported at the kustomization file, `mapped: false`, and a fix that cannot be placed
 * makes the finding not fixable, saying why. Throws a KustomizeError (one line) when no engine can render.
 */
export async function placeKustomizations(dirs: readonly string[], options: KustomizeOptions): Promise<Placed> {
  const engine = options.engine ?? (await findEngine(options.command, options.env));
  const files = options.files ?? new SourceFiles();
  const nameOf = options.nameOf ?? ((file: string) => path.relative(options.cwd, file) || file);
  const placedFindings: PlacedFinding[] = [];
  const errors: Placed['errors'] = [];
  for (const dir of dirs) {
    const { result, docs, rendered, keys, resourceAt } = await lintRender(engine, dir, options);
    const kustomization = result.file;
    for (const error of result.errors) errors.push({ file: nameOf(kustomization), error });
    const lineStarts = [0, ...[...rendered.text.matchAll(/\n/g)].map((match) => match.index + 1)];
    result.findings.forEach((finding, n) => {
      const doc = docs[finding.documentIndex];
      const resource = resourceAt(finding.documentIndex);
      const renderedPath = doc ? pathAt(doc.contents, offsetOf(lineStarts, finding.line, finding.column)) : undefined;
      const spot: SourceSpot = (resource && renderedPath && locateSource(resource, renderedPath, files)) || {
        file: kustomization,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        mapped: false,
      };
      const placements = finding.patches.map(({ target, patch }) => {
        const targetResource = resourceAt(target.documentIndex);
        return targetResource
          ? placePatch(targetResource, patch, files, nameOf)
          : { reason: 'its fix is for a document that is not in the render' };
      });
      const unplaced = placements.find((placement) => 'reason' in placement);
      const fix = placements.flatMap((placement) => ('placed' in placement ? [placement.placed] : []));
      placedFindings.push({
        file: nameOf(spot.file),
        finding: placed(finding, spot, unplaced && 'reason' in unplaced ? unplaced.reason : undefined, fix),
        fix: unplaced || fix.length === 0 ? undefined : fix,
        key: `${dir} ${keys[n]!}`,
      });
    });
  }
  return { findings: placedFindings, errors };
}

/** Groups placed findings into results by file, each file's findings in line order. */
export function resultsOf({ findings, errors }: Placed): FileResult[] {
  const byFile = new Map<string, FileResult>();
  const resultFor = (file: string) => {
    let result = byFile.get(file);
    if (!result) byFile.set(file, (result = { file, findings: [], errors: [], suppressed: [] }));
    return result;
  };
  for (const { file, error } of errors)
    resultFor(file).errors.push({ ...error, message: `rendered output: ${error.message}` });
  for (const { file, finding } of findings) resultFor(file).findings.push(finding);
  const results = [...byFile.values()];
  for (const result of results)
    result.findings.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.code, b.code));
  return results;
}

/** `--kustomize`: the findings of each rendered kustomization, in their source files. */
export async function lintKustomizations(dirs: readonly string[], options: KustomizeOptions): Promise<FileResult[]> {
  return resultsOf(await placeKustomizations(dirs, options));
}

/**
 * The finding at its source spot. Its patches are left out: they are for the render, and their placement in the
 * sources is carried beside (PlacedFinding.fix). A fix that cannot be placed makes it not fixable, saying why.
 */
function placed(finding: Finding, spot: SourceSpot, unplaceable: string | undefined, fix: SourcePatch[]): Finding {
  const { line, column, endLine, endColumn, mapped } = spot;
  const moved = { ...finding, line, column, endLine, endColumn, mapped, patches: [] };
  if (unplaceable === undefined) return { ...moved, fixable: finding.fixable && fix.length > 0 };
  const why = `Not fixable automatically in the sources: ${unplaceable}`;
  return {
    ...moved,
    fixable: false,
    message: `${finding.message} (not fixable in the sources)`,
    details: `${finding.details.replace(/\.$/, '')}. ${why}`,
  };
}
