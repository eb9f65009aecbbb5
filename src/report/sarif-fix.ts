import { readFileSync } from 'node:fs';
import type { ArtifactChange, ArtifactLocation, Fix, Region, Replacement } from 'sarif';
import { parseAllDocuments, visit, type Document } from 'yaml';
import type { Finding, TargetedPatch } from '../engine/types.js';
import type { NodePath } from '../load/nodes.js';
import { LineIndex } from '../load/positions.js';
import { CONTAINER_LISTS } from '../load/workloads.js';
import { decodeManifest } from '../load/text.js';
import { fixFileText, type DocumentPatch } from '../fix/apply-file.js';
import { editsForPatch, FixError } from '../fix/apply-patch.js';
import { mergePatches, planAliases, type PathPatch } from '../fix/plan.js';
import { renderFlow, type RenderStyle } from '../fix/render.js';
import { detectStyle } from '../fix/style.js';
import type { TextEdit } from '../fix/text-edits.js';
import { describeResource } from './sarif-message.js';

/*
 * SARIF `fixes`: what `kubemend --fix` would change for one finding alone, as replacements in the files as they are.
 *
 * `fixFileText` parses a document four times and converts it to data twice; with thousands of fixable findings, most
 * of them several to a document, that would make SARIF output several times slower. So the common case (patches to
 * the finding's own document that the engine makes in one step) takes the engine's own steps on a document parsed
 * once for all its findings: `mergePatches`, `planAliases` and `editsForPatch`, which make exactly the edits
 * `fixFileText` makes of that document (without its final re-verification, which `--fix` still does). Other
 * fixes go through `fixFileText` itself: on the document alone when they take several steps (aliases, several
 * patches) or add a document at the end of the file, on the whole file when they reach other documents or files.
 *
 * The document is found by the finding's line between document markers, so a file of several MB is not parsed again
 * for a few fixes; the indentation style is therefore read from the document, where `--fix` reads it from the whole
 * file. They differ where the document does not show the file's style: lists indented under their key in one document
 * and not in another, or a NetworkPolicy added after a Namespace (which has no lists) to a file whose lists are not.
 */

const SOURCE = 'finding';

/** Where a file's changes go in the SARIF, and where to read it; undefined for standard input, which is gone. */
export type Locate = (file: string) => { location: ArtifactLocation; absolute: string } | undefined;

interface Slice {
  start: number;
  text: string;
  doc: Document.Parsed;
  style: RenderStyle;
  hasAliases: boolean;
}

/** A line that is a YAML document marker: `---` starts a document, `...` ends one (they cannot occur inside one). */
interface Marker {
  line: number;
  offset: number;
  ends: boolean;
}

function isMarkerAt(text: string, offset: number): boolean {
  const marker = text.startsWith('---', offset) || text.startsWith('...', offset);
  const after = text[offset + 3];
  return marker && (after === undefined || after === ' ' || after === '\t' || after === '\r' || after === '\n');
}

function documentMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  for (let offset = 0, line = 1; offset < text.length; line++) {
    if (isMarkerAt(text, offset)) markers.push({ line, offset, ends: text[offset] === '.' });
    const newline = text.indexOf('\n', offset);
    if (newline === -1) break;
    offset = newline + 1;
  }
  return markers;
}

/** One file's text, with what its fixes need: lines for regions, and its documents, each parsed once. */
class FileText {
  private lines: LineIndex | undefined;
  private markers: Marker[] | undefined;
  private readonly slices = new Map<number, Slice | undefined>();

  constructor(readonly text: string) {}

  /**
   * The document holding `line`: from the marker that opens it to the one after it. The finding's line picks it,
   * which needs no parse of the file (document indices would: several MB for a few fixes).
   */
  documentAt(line: number): Slice | undefined {
    this.markers ??= documentMarkers(this.text);
    let start = 0;
    let end = this.text.length;
    for (const marker of this.markers) {
      if (marker.line > line) {
        end = marker.offset;
        break;
      }
      start = marker.ends ? lineAfter(this.text, marker.offset) : marker.offset;
    }
    if (!this.slices.has(start)) this.slices.set(start, parseSlice(this.text.slice(start, end), start));
    return this.slices.get(start);
  }

  /** A SARIF region for `[start, end)`: 1-based, UTF-16 columns, BOM not counted, `endColumn` exclusive. */
  region(start: number, end: number): Region {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  }

  /** SARIF has no line after a final line break: the end of such a file is past the break on the last line. */
  private position(offset: number): { line: number; column: number } {
    this.lines ??= new LineIndex(this.text);
    if (offset > 0 && offset === this.text.length && this.text[offset - 1] === '\n') {
      const lineBreak = this.lines.position(offset - 1);
      return { line: lineBreak.line, column: lineBreak.column + 1 };
    }
    return this.lines.position(offset);
  }
}

function lineAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function parseSlice(text: string, start: number): Slice | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]!.errors.length > 0) return undefined;
  const doc = docs[0] as Document.Parsed;
  let hasAliases = false;
  visit(doc, { Alias: () => ((hasAliases = true), visit.BREAK) });
  return { start, text, doc, style: detectStyle(text, [doc]), hasAliases };
}

/** The one span where `after` differs from `before`. */
function changedSpan(before: string, after: string): TextEdit {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** What `fixFileText` changes in `before`, or undefined when a patch was rejected or nothing changes. */
function engineEdits(before: string, patches: readonly DocumentPatch[]): TextEdit[] | undefined {
  const { text, rejected } = fixFileText(before, patches);
  if (rejected.length > 0 || text === before) return undefined;
  return [changedSpan(before, text)];
}

function asDocumentPatches(patches: readonly TargetedPatch[], documentIndex?: number): DocumentPatch[] {
  return patches.map(({ patch, target }) => ({
    patch,
    documentIndex: documentIndex ?? target.documentIndex,
    sources: [SOURCE],
  }));
}

/** The engine's edits for patches (no added documents) to one document, in its text; undefined when there are none. */
function documentEdits(slice: Slice, patches: readonly TargetedPatch[]): TextEdit[] | undefined {
  const planned = patches.map(({ patch }) => ({ patch: patch as PathPatch, sources: [SOURCE] }));
  const { patches: merged, conflicts } = mergePatches(planned);
  if (conflicts.length > 0) return undefined;
  // Without aliases, planAliases keeps a single patch as it is; it would look for aliases again for every finding.
  const steps = !slice.hasAliases && merged.length === 1 ? merged : planAliases(slice.doc, merged);
  if (steps.length !== 1) return engineEdits(slice.text, asDocumentPatches(patches, 0));
  const edits = editsForPatch(slice.doc, slice.text, slice.style, steps[0]!.patch).filter(
    (edit) => slice.text.slice(edit.start, edit.end) !== edit.text,
  );
  return edits.length === 0 ? undefined : edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

const CONTAINER_LIST_KEYS = new Set(CONTAINER_LISTS.map((list) => list.key));

function formatPath(path: NodePath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_][\w-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** The path to show, and where it is: inside the finding's container when it points there (`securityContext.privileged`). */
function shownPath(path: NodePath, container: string | null): { shown: string; where: string } {
  const at = path.findIndex(
    (segment, i) =>
      typeof segment === 'string' &&
      CONTAINER_LIST_KEYS.has(segment) &&
      typeof path[i + 1] === 'number' &&
      i + 2 < path.length,
  );
  if (container === null || at === -1) return { shown: formatPath(path), where: '' };
  return { shown: formatPath(path.slice(at + 2)), where: ` in container "${container}"` };
}

function describeAddedDocument(value: unknown, file: string): string {
  const data = (typeof value === 'object' && value !== null ? value : {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  };
  const text = (field: unknown) => (typeof field === 'string' ? field : null);
  const resource = {
    apiVersion: text(data.apiVersion) ?? '',
    kind: text(data.kind) ?? 'document',
    name: text(data.metadata?.name),
    namespace: text(data.metadata?.namespace),
  };
  return `Add ${describeResource(resource)} at the end of ${file}`;
}

/** What a patch does, saying where when that is not the finding's own document (a ServiceAccount, a NetworkPolicy). */
export function describePatch({ patch, target }: TargetedPatch, finding: Finding, file: string): string {
  const otherFile = target.file !== file;
  if (patch.op === 'appendDocument') return describeAddedDocument(patch.value, otherFile ? target.file : 'the file');
  const ownDocument = !otherFile && target.documentIndex === finding.documentIndex;
  const { shown, where } = ownDocument
    ? shownPath(patch.path, finding.container)
    : {
        shown: formatPath(patch.path),
        where: otherFile ? ` in ${target.file}` : ` in document ${target.documentIndex + 1} of the file`,
      };
  switch (patch.op) {
    case 'set':
      return `Set ${shown} to ${renderFlow(patch.value)}${where}`;
    case 'delete':
      return `Remove ${shown}${where}`;
    case 'addToList':
      return `Add ${renderFlow(patch.value)} to ${shown}${where}`;
    case 'removeFromList':
      return `Remove ${renderFlow(patch.value)} from ${shown}${where}`;
  }
}

function groupByFile(patches: readonly TargetedPatch[]): Map<string, TargetedPatch[]> {
  const byFile = new Map<string, TargetedPatch[]>();
  for (const patch of patches) byFile.set(patch.target.file, [...(byFile.get(patch.target.file) ?? []), patch]);
  return byFile;
}

/** The fixes of one file's findings. Files other findings patch are read once each, when first needed. */
export class FileFixes {
  private readonly texts = new Map<string, FileText | undefined>();
  private readonly wholeFile = new Map<string, TextEdit[] | undefined>();

  constructor(
    private readonly file: string,
    text: string,
    private readonly locate: Locate,
  ) {
    this.texts.set(file, new FileText(text));
  }

  /** One fix with every change the finding's patches make, or undefined when it has none or they cannot be made alone. */
  fixOf(finding: Finding): Fix | undefined {
    // A finding of a rendered kustomization is fixable in its sources, by --fix --kustomize, but carries no patches.
    if (!finding.fixable || finding.patches.length === 0) return undefined;
    const artifactChanges: ArtifactChange[] = [];
    try {
      for (const [file, patches] of groupByFile(finding.patches)) {
        const target = this.locate(file);
        const text = target && this.textOf(file, target.absolute);
        if (!target || !text) return undefined;
        const edits =
          file === this.file ? this.ownFileEdits(text, finding, patches) : this.wholeFileEdits(file, text, patches);
        if (!edits) return undefined;
        artifactChanges.push({
          artifactLocation: target.location,
          replacements: edits.map((edit): Replacement => ({
            deletedRegion: text.region(edit.start, edit.end),
            insertedContent: { text: edit.text },
          })),
        });
      }
    } catch (error) {
      if (error instanceof FixError) return undefined;
      throw error;
    }
    const description = finding.patches.map((patch) => describePatch(patch, finding, this.file)).join('; ');
    return { description: { text: description }, artifactChanges };
  }

  private ownFileEdits(text: FileText, finding: Finding, patches: readonly TargetedPatch[]): TextEdit[] | undefined {
    const inDocument = patches.every(
      ({ patch, target }) => patch.op !== 'appendDocument' && target.documentIndex === finding.documentIndex,
    );
    const adding = patches.every(({ patch }) => patch.op === 'appendDocument');
    const slice = inDocument || adding ? text.documentAt(finding.line) : undefined;
    if (slice && inDocument)
      return documentEdits(slice, patches)?.map((edit) => ({
        ...edit,
        start: edit.start + slice.start,
        end: edit.end + slice.start,
      }));
    if (slice && (slice.start + slice.text.length === text.text.length || text.text.endsWith('\n'))) {
      // An added document depends on the file's style and on whether the file ends with a line break: the finding's
      // document, which then ends like the file, stands in for it.
      return engineEdits(slice.text, asDocumentPatches(patches, 0))?.map((edit) => ({
        ...edit,
        start: text.text.length,
        end: text.text.length,
      }));
    }
    return this.wholeFileEdits(this.file, text, patches);
  }

  /** Patches to another document or file: the same ones (a ServiceAccount many pods use) are made once. */
  private wholeFileEdits(file: string, text: FileText, patches: readonly TargetedPatch[]): TextEdit[] | undefined {
    const key = JSON.stringify([file, patches]);
    if (!this.wholeFile.has(key)) {
      let edits: TextEdit[] | undefined;
      try {
        edits = engineEdits(text.text, asDocumentPatches(patches));
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
      }
      this.wholeFile.set(key, edits);
    }
    return this.wholeFile.get(key);
  }

  private textOf(file: string, absolute: string): FileText | undefined {
    if (!this.texts.has(file)) this.texts.set(file, readText(absolute));
    return this.texts.get(file);
  }
}

/** A file as the linter read it, or undefined when it cannot be read now. */
function readText(absolute: string): FileText | undefined {
  try {
    return new FileText(decodeManifest(readFileSync(absolute)).text);
  } catch {
    return undefined;
  }
}
