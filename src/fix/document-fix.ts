import type { Document } from 'yaml';
import type { FileRole, LintRun } from '../engine/run.js';
import type { FileResult, Finding } from '../engine/types.js';
import { DIRECTIVE_MARK } from '../engine/suppress/comments.js';
import { pushTo } from '../engine/map-of-lists.js';
import { countLineBreaks, scanDocuments, type ScannedDocument } from '../load/document-scan.js';
import { FixError } from './apply-patch.js';
import { fixFileText, surveyFile, type DocumentPatch } from './apply-file.js';
import {
  CHANGES_NOTHING,
  describeFinding,
  findingKey,
  fixedFinding,
  MAX_PASSES,
  notClearedReason,
  PassCheck,
  SUPPRESSION_MOVED,
  type Candidate,
  type FixedFinding,
} from './fix-findings.js';
import { sourceId } from './plan.js';

/*
 * --fix one document at a time: each document of a file is linted alone (its cross-file facts gathered before, as a
 * settled lint does), its own fixes made on its text alone and verified by linting it again, then only its fixed
 * text and its remaining findings are kept. A fix that reaches another document or file, and a document other files'
 * findings depend on, are left to the whole-run passes (run-fix.ts), which take the fixed texts from here.
 */

/** What a file fixed document by document gives: its text and findings as a lint of that text reports them. */
export interface FileByDocuments {
  text: string;
  result: FileResult;
  fixed: FixedFinding[];
  /** Why a finding (by key) was not fixed. */
  reasons: Map<string, string>;
  /** Whether fixable findings remain that only the whole-run passes may fix (their fixes reach other documents). */
  deferred: boolean;
}

/** Why a file is left to the whole-run passes: `frozen`, the reason it must stay as it was; otherwise its errors. */
export class WholeRunNeeded extends Error {
  constructor(readonly frozen?: string) {
    super(frozen ?? 'the file has errors');
  }
}

export interface DocumentFixContext {
  /** A lint with every input's cross-file facts gathered (`gatherDocumentFacts`, at `position`). */
  run: LintRun;
  position: (fileIndex: number, documentIndex: number) => number;
  wanted: (finding: Finding) => boolean;
  /** Numbers the findings of the run, for their source ids. */
  counter: { next: number };
}

/**
 * The documents of a text that can be fixed one at a time, or undefined: only bare `---` lines split it (the text
 * alone then tells where each document is), and no suppression comment, whose blocks and lines are the file's.
 */
export function separateDocuments(text: string): ScannedDocument[] | undefined {
  return text.includes(DIRECTIVE_MARK) ? undefined : scanDocuments(text);
}

/** Whether every patch of a finding changes the document it was found in (not a new document, nor another). */
function fixesOwnDocument(file: string, finding: Finding): boolean {
  return finding.patches.every(
    ({ target, patch }) =>
      patch.op !== 'appendDocument' && target.file === file && target.documentIndex === finding.documentIndex,
  );
}

interface DocumentLint {
  result: FileResult;
  doc: Document.Parsed | undefined;
}

/**
 * Fixes a file document by document. `shared`: the documents other files' findings depend on (they gave facts
 * across files), whose fixes the whole-run passes make, so that every finding they decide is decided again.
 * Throws WholeRunNeeded when the file must be left to the whole-run passes.
 */
export function fixByDocuments(
  context: DocumentFixContext,
  fileIndex: number,
  input: { file: string; text: string; role: FileRole },
  documents: readonly ScannedDocument[],
  shared: ReadonlySet<number>,
): FileByDocuments {
  const { file, text } = input;
  const pieces: string[] = [];
  const result: FileResult = { file, findings: [], errors: [], suppressed: [] };
  const fixed: FixedFinding[] = [];
  const reasons = new Map<string, string>();
  let deferred = false;
  let cursor = 0;
  let lines = 0;
  for (const scanned of documents) {
    const between = text.slice(cursor, scanned.start);
    pieces.push(between);
    lines += countLineBreaks(between);
    const place = { fileIndex, documentIndex: scanned.index, lineOffset: lines };
    const done = fixDocument(context, input, place, scanned.text, shared.has(scanned.index), reasons);
    pieces.push(done.text);
    lines += countLineBreaks(done.text);
    result.findings.push(...done.result.findings);
    result.suppressed.push(...done.result.suppressed);
    fixed.push(...done.fixed);
    deferred ||= done.deferred;
    cursor = scanned.start + scanned.text.length;
  }
  pieces.push(text.slice(cursor));
  return { text: pieces.join(''), result, fixed, reasons, deferred };
}

/** Lints one document's text in its place in the file; its AST is kept for planning fixes on it. */
function lintDocument(
  context: DocumentFixContext,
  input: { file: string; role: FileRole },
  place: { fileIndex: number; documentIndex: number; lineOffset: number },
  text: string,
  parsed?: Document.Parsed,
): DocumentLint {
  let doc: Document.Parsed | undefined;
  const linted = context.run.addText(input.file, text, input.role, {
    firstIndex: place.documentIndex,
    lineOffset: place.lineOffset,
    onDocument: (linted) => (doc = linted),
    parsed: parsed && [parsed],
  });
  const position = context.position(place.fileIndex, place.documentIndex);
  const result = context.run.settle(context.run.hold(position, linted));
  // Findings the cross-file rules report on other documents of the file belong to those documents' own lints.
  const own = (finding: Finding) => finding.documentIndex === place.documentIndex;
  return {
    result: { ...result, findings: result.findings.filter(own), suppressed: result.suppressed.filter(own) },
    doc,
  };
}

/**
 * Lints a document, fixes its own fixable findings on its text, and lints it again, while fixes are left (up to
 * MAX_PASSES). Each pass must clear the findings it fixed and keep every suppressed finding suppressed; otherwise
 * the whole file is left as it was.
 */
function fixDocument(
  context: DocumentFixContext,
  input: { file: string; role: FileRole },
  place: { fileIndex: number; documentIndex: number; lineOffset: number },
  original: string,
  shared: boolean,
  reasons: Map<string, string>,
): { text: string; result: FileResult; fixed: FixedFinding[]; deferred: boolean } {
  const { file } = input;
  let text = original;
  let { result, doc } = lintDocument(context, input, place, text);
  if (result.errors.length > 0) throw new WholeRunNeeded();
  const fixed: FixedFinding[] = [];
  let deferred = false;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const candidates = new Map<string, Candidate>();
    const patches: DocumentPatch[] = [];
    for (const finding of result.findings) {
      if (!context.wanted(finding)) continue;
      if (shared || !fixesOwnDocument(file, finding)) {
        deferred = true;
        continue;
      }
      const source = sourceId(describeFinding(finding), context.counter.next++);
      candidates.set(source, { file, finding, key: findingKey(file, finding), targets: new Set([file]) });
      // The document is the text's only one.
      for (const { patch } of finding.patches) patches.push({ patch, documentIndex: 0, sources: [source] });
    }
    if (candidates.size === 0) break;
    const failed = new Set<string>();
    let fix;
    try {
      const survey = surveyFile(text, doc ? [doc] : []);
      const parsed = doc && new Map([[0, doc]]);
      fix = fixFileText(text, patches, failed, { survey, parsed, firstIndex: place.documentIndex });
    } catch (error) {
      if (!(error instanceof FixError)) throw error;
      throw new WholeRunNeeded(error.message);
    }
    // Bare `---` lines split the file: a fixed document must not hold one (nor `...` or a directive).
    if (fix.text !== text && scanDocuments(fix.text)?.length !== 1)
      throw new WholeRunNeeded(
        `document ${place.documentIndex + 1} would not keep its place and text in the fixed file`,
      );
    for (const { sources, reason } of fix.rejected)
      for (const source of sources) reasons.set(candidates.get(source)!.key, reason);
    const applied = new Map<string, Candidate[]>();
    for (const [source, candidate] of candidates) if (!failed.has(source)) pushTo(applied, candidate.key, candidate);
    if (fix.text === text) {
      for (const key of applied.keys()) reasons.set(key, CHANGES_NOTHING);
      break;
    }
    const check = new PassCheck([result]);
    // The fixed text's parse that verified it is the one the lint reads.
    const next = lintDocument(context, input, place, fix.text, fix.parsed);
    if (next.result.errors.length > 0)
      throw new WholeRunNeeded(`a fix would leave the file with errors (${next.result.errors[0]!.message})`);
    const verdict = check.verdict(applied, [next.result]);
    if (verdict.unsuppressing.size > 0) throw new WholeRunNeeded(SUPPRESSION_MOVED);
    const [notCleared] = verdict.notCleared;
    if (notCleared !== undefined) throw new WholeRunNeeded(notClearedReason(applied.get(notCleared)![0]!.finding));
    for (const list of applied.values()) for (const { finding } of list) fixed.push(fixedFinding(finding));
    text = fix.text;
    ({ result, doc } = next);
  }
  return { text, result, fixed, deferred };
}
