import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, Scalar } from 'yaml';
import type { Document } from 'yaml';
import type { Patch } from '../engine/types.js';
import { editsForPatch, FixError } from './apply-patch.js';
import { combineCreations, firstMissing } from './creations.js';
import { dataOf, hasData } from './document-data.js';
import { applyPatchToData } from './patch-data.js';
import { parseDocuments, streamDocuments } from './parse-documents.js';
import {
  applicationOrder,
  hasAlias,
  mergePatches,
  planAliases,
  withoutFailed,
  type PlannedPatch,
  type Rejection,
} from './plan.js';
import { renderBlock, type RenderStyle } from './render.js';
import { lineEndOf, styleEvidence, styleOf, type StyleEvidence } from './style.js';
import { applyEdits, nextLineStart, type TextEdit } from './text-edits.js';

export interface DocumentPatch {
  patch: Patch;
  /** The document of the file the patch is for (ignored by `appendDocument`). */
  documentIndex: number;
  sources: string[];
}

export interface FileFix {
  /** The fixed text (for a preview, which builds none, the original). */
  text: string;
  /** The same change as edits of the original text: one per changed document, and one adding documents at the end. */
  edits: TextEdit[];
  /** Findings (by source) whose patches were not made, with the reason; nothing of theirs was changed. */
  rejected: Rejection[];
  /** The survey of `text` (read while verifying it), for a later fix of the same text: the original style kept. */
  survey: FileSurvey;
  /** A text of one document: the fixed document, as parsed to verify it (for a lint of the fixed text). */
  parsed?: Document.Parsed;
}

/**
 * Applies the steps in order, each seeing the edits of the ones before. `together` computes as many consecutive
 * steps as it can on one parse of the text (most documents need several independent changes, and a parse per
 * change was most of the cost of --fix); a step waits for a new parse when its edits would touch another step's,
 * when it creates a field another step also creates (a new `securityContext`), or when the document has aliases.
 * Otherwise each step is computed on the text the previous one left.
 */
function applySteps(
  text: string,
  style: RenderStyle,
  steps: readonly PlannedPatch[],
  together: boolean,
  parsed: Document.Parsed,
): { text: string; edits?: TextEdit[]; failure?: undefined } | { failure: Rejection } {
  let current = text;
  /** The edits, while they are all of the original text (made on its one parse). */
  let firstEdits: TextEdit[] | undefined;
  for (let next = 0; next < steps.length;) {
    const doc = next === 0 ? parsed : parseDocuments(current)[0];
    if (!doc || doc.errors.length > 0) {
      const problem = doc?.errors[0]?.message.split('\n')[0] ?? 'empty';
      return {
        failure: { sources: steps[next]!.sources, reason: `an earlier edit left the document unreadable (${problem})` },
      };
    }
    const alone = !together || hasAlias(doc);
    const edits: TextEdit[] = [];
    const created = new Set<string>();
    let taken = 0;
    for (; next + taken < steps.length && (taken === 0 || !alone); taken++) {
      const step = steps[next + taken]!;
      const creates = firstMissing(doc, step.patch.path);
      if (taken > 0 && creates !== undefined && created.has(creates)) break;
      let stepEdits: TextEdit[];
      try {
        stepEdits = editsForPatch(doc, current, style, step.patch);
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
        if (taken === 0) return { failure: { sources: step.sources, reason: error.message } };
        break;
      }
      if (taken > 0 && stepEdits.some((edit) => edits.some((other) => interferes(current, edit, other)))) break;
      edits.push(...stepEdits);
      if (creates !== undefined) created.add(creates);
    }
    // The sort in applyEdits is stable: insertions at one place stay in the order of their steps.
    firstEdits = next === 0 ? edits : undefined;
    current = applyEdits(current, edits);
    next += taken;
  }
  return { text: current, edits: firstEdits };
}

/**
 * Edits of `text` that touch or overlap, except insertions at one place at one indentation (keys added to one
 * mapping, one after the other; a nested mapping ending there too is indented further) and an insertion where a
 * removal of whole lines ends (a key added after the last one, which another fix removes): either pair gives the
 * text the two steps would give one after the other. A removal that stops at a line break (the entries of a collection emptied to `{}`)
 * reaches the next line, where keys added to that collection would go.
 */
function interferes(text: string, a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end && a.start === b.start) return indentation(a) !== indentation(b);
  if (insertsWhereRemovalEnds(text, a, b) || insertsWhereRemovalEnds(text, b, a)) return false;
  return a.start <= reach(text, b) && b.start <= reach(text, a);
}

function indentation(edit: TextEdit): number {
  return /^(?:\r?\n)?( *)/.exec(edit.text)![1]!.length;
}

function reach(text: string, edit: TextEdit): number {
  const stopsAtLineBreak = edit.text === '' && edit.start < edit.end && /[\r\n]/.test(text[edit.end] ?? '');
  return stopsAtLineBreak ? nextLineStart(text, edit.end) : edit.end;
}

/** Only whole lines: in a flow collection, an entry added after the one removed would start with a comma. */
function insertsWhereRemovalEnds(text: string, insertion: TextEdit, removal: TextEdit): boolean {
  return (
    insertion.start === insertion.end &&
    removal.text === '' &&
    removal.start < removal.end &&
    text[removal.end - 1] === '\n' &&
    insertion.start === removal.end
  );
}

interface DocumentFix {
  text: string;
  /** The change as edits of the document's text, when they were all made on it; else the changed span stands. */
  edits?: TextEdit[];
  applied: PlannedPatch[];
  /** Why the fixed document fails verification, if it does. */
  unverified?: string;
  /** The fixed text, parsed to verify it, when it was parsed with the rest of a text of one document. */
  parsed?: Document.Parsed;
}

/**
 * How a fixed document is verified: not at all (a preview); alone; or, in a text of one document, with what follows
 * it, and the offset where the document must still start.
 */
type Verification = false | { suffix?: string; start?: number };

/**
 * Fixes one document's text. A patch that cannot be made fails the findings it serves, with the reason; the
 * document is then redone from its original text without any patch of those findings, so no finding is half-fixed.
 * The result is verified while the document's AST is alive: it must parse, and its data must equal the original
 * data with the applied patches.
 */
function fixDocument(
  text: string,
  doc: Document.Parsed,
  style: RenderStyle,
  patches: readonly PlannedPatch[],
  rejected: Rejection[],
  failed: Set<string>,
  ordinal: number,
  verify: Verification,
): DocumentFix {
  const check = (result: ReturnType<typeof applySteps>, candidates: readonly PlannedPatch[]) =>
    result.failure || !verify ? {} : verifyDocument(doc, result.text, candidates, ordinal, verify);
  for (;;) {
    const candidates = withoutFailed(patches, failed);
    const steps = planAliases(doc, candidates);
    let result = applySteps(text, style, combineCreations(doc, steps), true, doc);
    let verified = check(result, candidates);
    // Steps computed together that fail or do not verify are done one at a time, which decides.
    if (result.failure || verified.problem) {
      result = applySteps(text, style, steps, false, doc);
      verified = check(result, candidates);
    }
    if (!result.failure) {
      const { problem: unverified, parsed } = verified;
      return { text: result.text, edits: result.edits, applied: candidates, unverified, parsed };
    }
    const { failure } = result;
    if (failure.sources.every((source) => failed.has(source))) throw new FixError(failure.reason);
    rejected.push(failure);
    for (const source of failure.sources) failed.add(source);
  }
}

/**
 * Why `fixed` is not `doc` with the patches applied (as data, aliases expanded), if it is not. With `suffix`, what
 * follows the document in a text of one document: the two are parsed together, and the document must still be the
 * text's only one, from `start` to the end of `fixed` (what `verifySplit` checks of a longer text); its AST is
 * returned.
 */
function verifyDocument(
  doc: Document.Parsed,
  fixed: string,
  applied: readonly PlannedPatch[],
  ordinal: number,
  { suffix, start = 0 }: { suffix?: string; start?: number },
): { problem?: string; parsed?: Document.Parsed } {
  if (applied.length === 0) return {};
  const after = parseDocuments(suffix === undefined ? fixed : fixed + suffix);
  if (after.length !== 1) return { problem: `fixing document ${ordinal} would make it ${after.length} documents` };
  const [parsed] = after as [Document.Parsed];
  if (parsed.errors.length > 0)
    return {
      problem: `fixing document ${ordinal} would leave it unreadable (${parsed.errors[0]!.message.split('\n')[0]})`,
    };
  if (suffix !== undefined && (parsed.range[0] !== start || !endsAt(fixed + suffix, parsed.range[2], fixed.length)))
    return { problem: `document ${ordinal} would not keep its place and text in the fixed file` };
  try {
    const expected = dataOf(doc, `document ${ordinal}`);
    for (const planned of applicationOrder(applied)) applyPatchToData(expected, planned.patch);
    if (!hasData(parsed, expected, `fixed document ${ordinal}`))
      return { problem: `fixing document ${ordinal} would change more than the fixes ask for` };
  } catch (error) {
    if (!(error instanceof FixError)) throw error;
    return { problem: error.message };
  }
  return { parsed: suffix === undefined ? undefined : parsed };
}

/** Whether the last document of a text ends at `end`, or past it by the line break that ends it there. */
function endsAt(text: string, documentEnd: number, end: number): boolean {
  return documentEnd === end || (documentEnd > end && /^\r?\n$/.test(text.slice(end, documentEnd)));
}

/** Whether a document is written as JSON: a flow mapping with double-quoted keys. */
function isJsonDocument(doc: Document.Parsed | undefined): boolean {
  const root = doc?.contents;
  const first = isMap(root) && root.flow ? root.items[0] : undefined;
  return isScalar(first?.key) && first.key.type === Scalar.QUOTE_DOUBLE;
}

/** What adding documents appends to `text`: a line break if it lacks one, then each document. */
function appendedText(text: string, style: RenderStyle, json: boolean, values: readonly unknown[]): string {
  if (values.length === 0) return '';
  let out = text.length > 0 && !text.endsWith('\n') ? style.eol : '';
  for (const value of values) {
    const lines = json
      ? JSON.stringify(value, null, style.indent).split('\n')
      : typeof value === 'object' && value !== null
        ? renderBlock(value as Record<string, unknown>, 0, style)
        : [];
    out += ['---', ...lines].map((line) => line + style.eol).join('');
  }
  return out;
}

export interface FixFileOptions {
  /** `surveyFile(text)`, when the caller keeps it for several fixes of one text. */
  survey?: FileSurvey;
  /**
   * Only a preview of the edits (SARIF), which nothing writes: nothing is verified (--fix verifies what it writes),
   * and the ASTs of the documents patched stay in `documents` for the next preview of the same text.
   */
  preview?: { documents: Map<number, Document.Parsed> };
  /** ASTs of documents of `text` already parsed (by the lint that found the findings): planned on, not parsed again. */
  parsed?: ReadonlyMap<number, Document.Parsed>;
  /** The file's index of the text's first document, when the text is cut from a file: messages count from it. */
  firstIndex?: number;
}

/** What fixing needs to know of a whole file, read in one streaming parse that keeps no AST. */
export interface FileSurvey {
  /** The file's style, for documents added to it. */
  style: RenderStyle;
  /** Each document's own style, for edits in it. */
  styles: RenderStyle[];
  /** Whether the file is written as JSON: its first document is. */
  json: boolean;
  /** Each document's `[start, end)` in the text, and whether it parsed cleanly. */
  starts: number[];
  ends: number[];
  readable: boolean[];
}

/** `docs`: the documents of `text`, when they are parsed already (a text of one document, linted). */
export function surveyFile(text: string, docs: Iterable<Document.Parsed> = streamDocuments(text)): FileSurvey {
  const survey: Omit<FileSurvey, 'style'> = { json: false, styles: [], starts: [], ends: [], readable: [] };
  const evidence: StyleEvidence[] = [];
  const eol = lineEndOf(text);
  for (const doc of docs) {
    if (survey.starts.length === 0) survey.json = isJsonDocument(doc);
    survey.starts.push(doc.range[0]);
    survey.ends.push(doc.range[2]);
    survey.readable.push(doc.errors.length === 0);
    evidence.push(styleEvidence(text, doc));
    survey.styles.push(styleOf(eol, evidence.slice(-1)));
  }
  return { ...survey, style: styleOf(eol, evidence) };
}

/**
 * Turns patches into the smallest text edits on the original text, document by document; bytes outside the edited
 * spans are kept. The result is verified: each patched document's data must equal its original data with the
 * applied patches, and the fixed text must split into the same documents at the same places, so documents without
 * patches stay byte-identical; otherwise a FixError says why (and the caller keeps the original text). Documents
 * are parsed one at a time, and only patched ones more than once, so the cost grows with the file, not its square.
 */
export function fixFileText(
  text: string,
  patches: readonly DocumentPatch[],
  failed = new Set<string>(),
  options: FixFileOptions = {},
): FileFix {
  const survey = options.survey ?? surveyFile(text);
  const { style } = survey;
  const { firstIndex = 0 } = options;
  const rejected: Rejection[] = [];
  const failedBefore = new Set(failed);
  const byDocument = new Map<number, PlannedPatch[]>();
  const appends: { value: unknown; sources: string[] }[] = [];
  for (const { patch, documentIndex, sources } of patches) {
    if (sources.some((source) => failed.has(source))) continue;
    if (patch.op === 'appendDocument') {
      const same = appends.find((a) => isDeepStrictEqual(a.value, patch.value));
      if (same) same.sources.push(...sources);
      else appends.push({ value: patch.value, sources: [...sources] });
      continue;
    }
    const list = byDocument.get(documentIndex);
    if (list) list.push({ patch, sources });
    else byDocument.set(documentIndex, [{ patch, sources }]);
  }
  const merged = new Map<number, PlannedPatch[]>();
  /** The documents each source has patches in, to redo only those when it fails. */
  const documentsOf = new Map<string, number[]>();
  for (const [index, list] of byDocument) {
    if (!survey.readable[index]) {
      rejected.push({
        sources: list.flatMap((p) => p.sources),
        reason: `document ${index + 1 + firstIndex} cannot be read, so it is not changed`,
      });
      list.forEach((p) => p.sources.forEach((s) => failed.add(s)));
      continue;
    }
    const { patches: kept, conflicts } = mergePatches(list);
    rejected.push(...conflicts);
    for (const conflict of conflicts) for (const source of conflict.sources) failed.add(source);
    merged.set(index, kept);
    for (const source of new Set(kept.flatMap((p) => p.sources))) {
      const documents = documentsOf.get(source);
      if (documents) documents.push(index);
      else documentsOf.set(source, [index]);
    }
  }
  // Fixing one document can fail a finding whose patches reach another one (a Namespace's policy, a ServiceAccount):
  // the documents holding a patch of a newly failed finding are redone, until nothing more fails.
  const fixedDocs = new Map<number, DocumentFix>();
  // A text of one document and nothing to append is verified whole while its document is (no second parse).
  // It is then cut from the text's start, what comes before it included (a comment), as a lint parsed it.
  const alone = survey.starts.length === 1 && appends.length === 0 && !options.preview;
  const verify: Verification = options.preview
    ? false
    : alone
      ? { suffix: text.slice(survey.ends[0]), start: survey.starts[0] }
      : {};
  const cuts = alone ? { ...survey, starts: [0] } : survey;
  for (let pending = [...merged.keys()]; pending.length > 0;) {
    const failedCount = failed.size;
    for (const index of pending) {
      const slice = text.slice(cuts.starts[index], survey.ends[index]);
      // A document parsed within the text has the text's offsets: it stands for the slice only where they agree.
      const parsed = cuts.starts[index] === 0 ? options.parsed?.get(index) : undefined;
      const kept = options.preview?.documents.get(index) ?? parsed;
      const doc = kept ?? parseDocuments(slice)[0]!;
      if (!kept) options.preview?.documents.set(index, doc);
      const documentStyle = survey.styles[index] ?? style;
      const ordinal = index + 1 + firstIndex;
      const fixed = fixDocument(slice, doc, documentStyle, merged.get(index)!, rejected, failed, ordinal, verify);
      fixedDocs.set(index, fixed);
    }
    const redo = new Set<number>();
    let seen = 0;
    for (const source of failed)
      if (seen++ >= failedCount) for (const index of documentsOf.get(source) ?? []) redo.add(index);
    pending = [...redo];
  }
  const edits: TextEdit[] = [];
  for (const index of [...fixedDocs.keys()].sort((a, b) => a - b)) {
    const fixed = fixedDocs.get(index)!;
    if (fixed.unverified) throw new FixError(fixed.unverified);
    edits.push(...documentEdits(text, cuts.starts[index]!, survey.ends[index]!, fixed));
  }
  const appended = appends.filter((a) => !a.sources.some((s) => failed.has(s))).map((a) => a.value);
  const appendix = appendedText(text, style, survey.json, appended);
  if (appendix) edits.push({ start: text.length, end: text.length, text: appendix });
  // A preview needs only the edits (a document of a large file may have thousands of findings, each previewed).
  const out = options.preview ? text : spliceDocuments(text, cuts, fixedDocs) + appendix;
  const parsed = alone ? fixedDocs.get(0)?.parsed : undefined;
  const outSurvey =
    out === text || options.preview
      ? survey
      : parsed
        ? { ...survey, starts: [parsed.range[0]], ends: [parsed.range[2]], readable: [true] }
        : verifySplit(out, expectedRanges(survey, fixedDocs), appended, survey);
  // Findings dropped only because they share a patch with one that failed still need a reason.
  const explained = new Set(rejected.flatMap((r) => r.sources));
  const ours = new Set(patches.flatMap((p) => p.sources));
  const unexplained = [...failed].filter(
    (source) => ours.has(source) && !explained.has(source) && !failedBefore.has(source),
  );
  if (unexplained.length > 0)
    rejected.push({ sources: unexplained, reason: 'its fix shares a change with a fix that could not be made' });
  return { text: out, edits, rejected: dedupe(rejected), survey: outSurvey, parsed };
}

/** The text with each fixed document in place of the original, the bytes between documents kept. */
function spliceDocuments(text: string, survey: FileSurvey, fixedDocs: ReadonlyMap<number, DocumentFix>): string {
  let out = '';
  let cursor = 0;
  for (const index of [...fixedDocs.keys()].sort((a, b) => a - b)) {
    out += text.slice(cursor, survey.starts[index]) + fixedDocs.get(index)!.text;
    cursor = survey.ends[index]!;
  }
  return out + text.slice(cursor);
}

/** Where each original document must start and end in the spliced text. */
function expectedRanges(survey: FileSurvey, fixedDocs: ReadonlyMap<number, DocumentFix>): [number, number][] {
  const ranges: [number, number][] = [];
  let shift = 0;
  for (let index = 0; index < survey.starts.length; index++) {
    const start = survey.starts[index]! + shift;
    const fixed = fixedDocs.get(index);
    if (fixed) shift += fixed.text.length - (survey.ends[index]! - survey.starts[index]!);
    ranges.push([start, survey.ends[index]! + shift]);
  }
  return ranges;
}

/** A fixed document's change as edits of the whole text: its own edits where they change something, in order. */
function documentEdits(text: string, start: number, end: number, fixed: DocumentFix): TextEdit[] {
  if (!fixed.edits) return fixed.text === text.slice(start, end) ? [] : [changedSpan(text, start, end, fixed.text)];
  return fixed.edits
    .map((edit) => ({ ...edit, start: edit.start + start, end: edit.end + start }))
    .filter((edit) => text.slice(edit.start, edit.end) !== edit.text)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The one span of `[start, end)` that `after` changes, as an edit of the whole text. */
function changedSpan(text: string, start: number, end: number, after: string): TextEdit {
  const length = end - start;
  const shorter = Math.min(length, after.length);
  let prefix = 0;
  while (prefix < shorter && text.charCodeAt(start + prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && text.charCodeAt(end - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix))
    suffix++;
  return { start: start + prefix, end: end - suffix, text: after.slice(prefix, after.length - suffix) };
}

function dedupe(rejected: Rejection[]): Rejection[] {
  const seen = new Map<string, Rejection>();
  for (const r of rejected) {
    const existing = seen.get(r.reason);
    if (existing) existing.sources = [...new Set([...existing.sources, ...r.sources])];
    else seen.set(r.reason, { sources: [...new Set(r.sources)], reason: r.reason });
  }
  return [...seen.values()];
}

/**
 * The fixed text, read one document at a time, must have the original documents where they were spliced (so each
 * reads as it did when fixed alone, and the unpatched ones are byte-identical), then the appended ones as asked.
 * Returns the fixed text's survey, in the original's style.
 */
function verifySplit(
  after: string,
  expectedRanges: readonly [number, number][],
  appended: readonly unknown[],
  original: FileSurvey,
): FileSurvey {
  const survey: FileSurvey = {
    style: original.style,
    styles: original.styles,
    json: original.json,
    starts: [],
    ends: [],
    readable: [],
  };
  const count = expectedRanges.length;
  let index = 0;
  for (const fixed of streamDocuments(after)) {
    survey.starts.push(fixed.range[0]);
    survey.ends.push(fixed.range[2]);
    survey.readable.push(fixed.errors.length === 0);
    if (index < count) {
      const [start, end] = expectedRanges[index]!;
      const [fixedStart, , fixedEnd] = fixed.range;
      // The last document may gain the line break that precedes an appended document.
      const last = index === count - 1;
      if (fixedStart !== start || (last ? !endsAt(after, fixedEnd, end) : fixedEnd !== end))
        throw new FixError(`document ${index + 1} would not keep its place and text in the fixed file`);
    } else {
      const value = appended[index - count];
      if (fixed.errors.length > 0 || !hasData(fixed, value, 'a document added by a fix'))
        throw new FixError('a document added by a fix would not read back as intended');
    }
    index++;
  }
  if (index !== count + appended.length)
    throw new FixError(`the fixed text would have ${index} documents instead of ${count + appended.length}`);
  return survey;
}
