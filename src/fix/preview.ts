import type { Document } from 'yaml';
import type { Finding, TargetedPatch } from '../engine/types.js';
import { FixError } from './apply-patch.js';
import { fixFileText, surveyFile, type DocumentPatch, type FileSurvey } from './apply-file.js';
import type { TextEdit } from './text-edits.js';

/** The text of a file as it was linted, or undefined when it is not available (standard input). */
export type SourceOf = (file: string) => string | undefined;

/** What fixing one finding alone would change: the edits of each file it touches, as `--fix` makes them. */
export interface FindingFix {
  files: { file: string; text: string; edits: TextEdit[] }[];
}

const SOURCE = 'finding';

/**
 * Previews of fixes, one finding at a time, made by the engine `--fix` uses (`fixFileText`, the file's own style),
 * so a preview is exactly the edits `--fix` would make of that finding alone. Each file is surveyed once, a
 * document parsed once for its findings, and the same patches (a ServiceAccount many pods use) are made once.
 * Unlike `--fix`, nothing is verified or linted again: a preview writes nothing.
 */
export class FixPreviews {
  private readonly surveys = new Map<string, FileSurvey>();
  /** Per file, the ASTs of the documents the last preview patched: findings come in order, many to a document. */
  private readonly documents = new Map<string, Map<number, Document.Parsed>>();
  private readonly made = new Map<string, TextEdit[] | undefined>();

  constructor(private readonly sourceOf: SourceOf) {}

  /** The fix of one finding, or undefined when it has none, a file is not available, or it cannot be made alone. */
  fixOf(finding: Finding): FindingFix | undefined {
    if (!finding.fixable || finding.patches.length === 0) return undefined;
    const files: FindingFix['files'] = [];
    for (const [file, patches] of groupByFile(finding.patches)) {
      const text = this.sourceOf(file);
      if (text === undefined) return undefined;
      const edits = this.editsOf(file, text, patches);
      if (!edits) return undefined;
      files.push({ file, text, edits });
    }
    return { files };
  }

  private editsOf(file: string, text: string, patches: readonly TargetedPatch[]): TextEdit[] | undefined {
    const key = JSON.stringify([file, patches]);
    if (!this.made.has(key)) {
      const documentPatches = patches.map(({ patch, target }): DocumentPatch => ({
        patch,
        documentIndex: target.documentIndex,
        sources: [SOURCE],
      }));
      let survey = this.surveys.get(file);
      if (!survey) this.surveys.set(file, (survey = surveyFile(text)));
      const indices = new Set(documentPatches.map((p) => p.documentIndex));
      let documents = this.documents.get(file);
      if (!documents || [...documents.keys()].some((index) => !indices.has(index)))
        this.documents.set(file, (documents = new Map()));
      let edits: TextEdit[] | undefined;
      try {
        const fix = fixFileText(text, documentPatches, new Set(), { survey, preview: { documents } });
        if (fix.rejected.length === 0 && fix.edits.length > 0) edits = fix.edits;
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
      }
      this.made.set(key, edits);
    }
    return this.made.get(key);
  }
}

function groupByFile(patches: readonly TargetedPatch[]): Map<string, TargetedPatch[]> {
  const byFile = new Map<string, TargetedPatch[]>();
  for (const patch of patches) {
    const list = byFile.get(patch.target.file);
    if (list) list.push(patch);
    else byFile.set(patch.target.file, [patch]);
  }
  return byFile;
}
